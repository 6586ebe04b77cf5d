"""`deploylint server`: time from a `textDocument/didChange` to the `publishDiagnostics` it causes.

    python benchmarks/server_latency.py [--runs 20] [--modules 1000]

Builds a 1,000-module Vercel app in a temporary git repository (vercel.json,
requirements.txt, api/index.py, api/auth.py as in examples/vercel-incident,
plus packages of ordinary modules under app/), starts `deploylint server` over
stdio, opens the files an editor would have open, and times three kinds of
edit, each sent as a user types: one change, wait for its diagnostics, pause
(beyond the server's 30 ms debounce), the next change. The debounce is part
of the latency the user sees, so it is included.

- own_file: api/index.py gains or loses `import imp` (DPL402 in that file);
- own_file_json: vercel.json's `use` gains or loses a pin (DPL104 in that file);
- cross_file: requirements.txt toggles werkzeug==2.0.3 <-> werkzeug==3.0.1,
  so DPL401 appears or clears in api/auth.py (`from werkzeug.security import
  safe_str_cmp`); timed until api/auth.py's diagnostics reflect the change.

The goals (the issue's): own-file diagnostics within 100 ms, cross-file within
300 ms. Another benchmark may `from server_latency import measure` and call
`measure(runs)`, which returns the median milliseconds by case.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

GOALS_MS = {"own_file": 100.0, "own_file_json": 100.0, "cross_file": 300.0}
# Longer than the server's debounce (DEBOUNCE_SECONDS, 30 ms): each change is checked on its own.
PAUSE_SECONDS = 0.2
TIMEOUT = 120  # a bound on every wait: a broken server fails the benchmark instead of hanging it

VERCEL_JSON = """\
{
  "version": 2,
  "builds": [
    {
      "src": "api/index.py",
      "use": "@vercel/python"
    }
  ],
  "routes": [{ "src": "/(.*)", "dest": "api/index.py" }]
}
"""
VERCEL_JSON_PINNED = VERCEL_JSON.replace('"@vercel/python"', '"@vercel/python@3.1.0"')  # DPL104
REQUIREMENTS = """\
Flask==2.0.3
werkzeug==2.0.3
Flask-CORS==4.0.0
python-dotenv==1.0.0
gunicorn==21.2.0
flask-httpauth==4.8.0
"""
REQUIREMENTS_NEW_WERKZEUG = REQUIREMENTS.replace("werkzeug==2.0.3", "werkzeug==3.0.1")  # DPL401 in api/auth.py
AUTH_PY = '''\
from flask_httpauth import HTTPTokenAuth
from werkzeug.security import safe_str_cmp
import os
from dotenv import load_dotenv

load_dotenv()
auth = HTTPTokenAuth(scheme="Bearer")
VALID_API_KEYS = set(filter(None, os.environ.get("API_KEYS", "").split(",")))


@auth.verify_token
def verify_token(token):
    for key in VALID_API_KEYS:
        if safe_str_cmp(token, key):
            return token
    return None
'''
INDEX_PY = '''\
from flask import Flask, jsonify

from api.auth import auth
from app.pkg00 import module000

app = Flask(__name__)


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/v1/models")
@auth.login_required
def models():
    return jsonify(models=module000.list_names())
'''
INDEX_PY_IMP = "import imp\n" + INDEX_PY  # DPL402: imp is gone in Python 3.12, which Vercel runs
GITIGNORE = "__pycache__/\n*.pyc\n.venv/\n.env\n.vercel\n"

MODULE = '''\
"""{title} for the {package} package."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional
{extra_import}
log = logging.getLogger(__name__)
DEFAULT_LIMIT = int(os.environ.get("{env}", "{limit}"))


@dataclass
class {cls}:
    """One {noun} as the API returns it."""

    name: str
    size: int = 0
    tags: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({{"name": self.name, "size": self.size, "tags": self.tags, "meta": self.meta}})

    @classmethod
    def from_json(cls, text: str) -> "{cls}":
        data = json.loads(text)
        return cls(data["name"], int(data.get("size", 0)), list(data.get("tags", [])), dict(data.get("meta", {{}})))


def load_{noun}s(path: str) -> list[{cls}]:
    if not os.path.exists(path):
        log.warning("no %s file at %s", "{noun}", path)
        return []
    with open(path, encoding="utf-8") as handle:
        return [{cls}.from_json(line) for line in handle if line.strip()]


def filter_{noun}s(items: Iterable[{cls}], tag: Optional[str] = None, limit: int = DEFAULT_LIMIT) -> list[{cls}]:
    found = [item for item in items if tag is None or tag in item.tags]
    return sorted(found, key=lambda item: (-item.size, item.name))[:limit]


def list_names() -> list[str]:
    return [item.name for item in filter_{noun}s(load_{noun}s(os.path.join("data", "{noun}s.jsonl")))]
{extra_code}'''
FLASK_EXTRA_IMPORT = "\nfrom flask import Blueprint, jsonify, request\n"
FLASK_EXTRA_CODE = '''

blueprint = Blueprint("{noun}s", __name__)


@blueprint.get("/{noun}s")
def index():
    return jsonify([item.name for item in filter_{noun}s(load_{noun}s("data/{noun}s.jsonl"), request.args.get("tag"))])
'''
SIBLING_EXTRA_IMPORT = "\nfrom app.{package} import {sibling}\n"
SIBLING_EXTRA_CODE = '''

def merged() -> list[str]:
    return sorted(set(list_names()) | set({sibling}.list_names()))
'''
NOUNS = ("voice", "model", "user", "token", "job", "report", "invoice", "upload", "session", "event")
MODULES_PER_PACKAGE = 50


def build_project(root: Path, modules: int = 1000) -> None:
    """A Vercel app (as examples/vercel-incident, its pins clean) with `modules` ordinary modules under app/."""
    (root / "api").mkdir(parents=True)
    (root / "vercel.json").write_text(VERCEL_JSON)
    (root / "requirements.txt").write_text(REQUIREMENTS)
    (root / ".gitignore").write_text(GITIGNORE)
    (root / "api" / "__init__.py").write_text("")
    (root / "api" / "index.py").write_text(INDEX_PY)
    (root / "api" / "auth.py").write_text(AUTH_PY)
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    for index in range(modules):
        module = root / _module_path(index)
        directory, package = module.parent, module.parent.name
        if not directory.exists():
            directory.mkdir()
            (directory / "__init__.py").write_text(f'"""The {package} package."""\n')
        noun = NOUNS[index % len(NOUNS)]
        fields = {
            "title": f"{noun.capitalize()} helpers",
            "package": package,
            "env": f"{noun.upper()}_LIMIT_{index}",
            "limit": 10 + index % 90,
            "cls": f"{noun.capitalize()}Record{index}",
            "noun": noun,
            "sibling": f"module{index - 1:03d}",
        }
        # One module in ten is a Flask blueprint, one in five uses a sibling module.
        if index % 10 == 3:
            extra_import, extra_code = FLASK_EXTRA_IMPORT, FLASK_EXTRA_CODE
        elif index % 5 == 1:
            extra_import, extra_code = SIBLING_EXTRA_IMPORT, SIBLING_EXTRA_CODE
        else:
            extra_import, extra_code = "", ""
        text = MODULE.format(extra_import=extra_import.format(**fields), extra_code=extra_code.format(**fields), **fields)
        module.write_text(text)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "app"], cwd=root, check=True)


def read_messages(stream):
    """The JSON-RPC messages a language server writes to `stream`, in LSP's base
    protocol (headers, a blank line, then Content-Length bytes of JSON), until it closes."""
    while True:
        headers = {}
        while True:
            line = stream.readline()
            if not line:
                return
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("ascii").partition(":")
            headers[name.strip().lower()] = value.strip()
        yield json.loads(stream.read(int(headers["content-length"])))


def frame(message: dict) -> bytes:
    """A JSON-RPC message as LSP's base protocol sends it."""
    body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
    return f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body


class Client:
    """A minimal LSP client over the server's stdio; each message is stamped when it is read."""

    def __init__(self, root: Path, stderr) -> None:
        self.root = root
        self.process = subprocess.Popen(
            [sys.executable, "-m", "deploylint", "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr
        )
        self.messages: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.next_id = 0
        self.versions: dict[str, int] = {}
        self.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {}})
        self.notify("initialized", {})

    def _read(self) -> None:
        for message in read_messages(self.process.stdout):
            self.messages.put((time.perf_counter(), message))

    def send(self, message: dict) -> float:
        """Sends a message; returns the time just before it was written."""
        data = frame(message)
        start = time.perf_counter()
        self.process.stdin.write(data)
        self.process.stdin.flush()
        return start

    def notify(self, method: str, params) -> float:
        return self.send({"method": method, "params": params})

    def request(self, method: str, params):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        _, message = self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)
        if "error" in message:
            raise RuntimeError(f"{method}: {message['error']}")
        return message.get("result")

    def wait(self, matches) -> tuple[float, dict]:
        """(arrival time, message) of the next message that `matches`; server requests are answered."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                arrived, message = self.messages.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise RuntimeError(f"no matching message from the server within {TIMEOUT}s") from None
            if "method" in message and "id" in message:  # a request from the server
                self.send({"id": message["id"], "result": None})
            if matches(message):
                return arrived, message

    def diagnostics(self, path: str, until) -> tuple[float, set[str]]:
        """(arrival time, codes) of the next publishDiagnostics on `path` whose codes satisfy `until`."""
        uri = self.uri(path)
        while True:
            arrived, message = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
            codes = {d["code"] for d in message["params"]["diagnostics"]}
            if until(codes):
                return arrived, codes

    def uri(self, path: str) -> str:
        return (self.root / path).as_uri()

    def open(self, path: str) -> None:
        self.versions[path] = 1
        kind = "json" if path.endswith(".json") else "python" if path.endswith(".py") else "pip-requirements"
        text = (self.root / path).read_text(encoding="utf-8")
        self.notify("textDocument/didOpen", {"textDocument": {"uri": self.uri(path), "languageId": kind, "version": 1, "text": text}})

    def change(self, path: str, text: str) -> float:
        self.versions[path] += 1
        return self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": self.uri(path), "version": self.versions[path]}, "contentChanges": [{"text": text}]},
        )

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.process.wait(timeout=10)
        except (RuntimeError, OSError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


# Each case: the file edited, its two texts (without and with the finding), the file whose
# diagnostics show the change, and the code that appears there.
CASES = {
    "own_file": ("api/index.py", INDEX_PY, INDEX_PY_IMP, "api/index.py", "DPL402"),
    "own_file_json": ("vercel.json", VERCEL_JSON, VERCEL_JSON_PINNED, "vercel.json", "DPL104"),
    "cross_file": ("requirements.txt", REQUIREMENTS, REQUIREMENTS_NEW_WERKZEUG, "api/auth.py", "DPL401"),
}
# What an editor has open while someone works on the app: the edited files and a few modules.
def open_files(modules: int) -> list[str]:
    """What an editor would have open: the app's files, and two of its modules."""
    second = modules * 7 // 20  # 351 of 1,000, as this benchmark has always opened
    return ["vercel.json", "requirements.txt", "api/index.py", "api/auth.py", _module_path(0), _module_path(second)]


def _module_path(index: int) -> str:
    return f"app/pkg{index // MODULES_PER_PACKAGE:02d}/module{index:03d}.py"


def _toggle(client: Client, case: str, with_finding: bool) -> float:
    """One change of `case`; returns the milliseconds until the diagnostics reflect it."""
    edited, without, with_, shown_in, code = CASES[case]
    sent = client.change(edited, with_ if with_finding else without)
    arrived, _ = client.diagnostics(shown_in, until=lambda codes: (code in codes) == with_finding)
    return (arrived - sent) * 1000


def _session(root: Path, modules: int, runs: int, warmups: int, stderr) -> dict[str, list[float]]:
    client = Client(root, stderr)
    try:
        for path in open_files(modules):
            client.open(path)
        # The project starts clean, so the checks on open publish nothing to wait for; the
        # first (untimed) changes wait for the first check, which loads everything.
        samples: dict[str, list[float]] = {case: [] for case in CASES}
        for case in CASES:
            state = False
            for index in range(warmups + runs):
                state = not state
                elapsed = _toggle(client, case, state)
                if index >= warmups:
                    samples[case].append(elapsed)
                time.sleep(PAUSE_SECONDS)
            if state:  # leave the file as it started, for the next case
                _toggle(client, case, False)
                time.sleep(PAUSE_SECONDS)
        return samples
    finally:
        client.close()


def measure(runs: int = 20, modules: int = 1000, warmups: int = 4, samples: dict | None = None) -> dict[str, float]:
    """Median milliseconds from didChange to the publishDiagnostics that reflects it, by case.

    Each case alternates its change (finding appears, finding clears) `runs` times after
    `warmups` untimed changes. Pass a dict as `samples` to get every timing as well.
    """
    with tempfile.TemporaryDirectory(prefix="deploylint-server-latency-") as scratch:
        root = Path(scratch).resolve() / "app"
        build_project(root, modules)
        with tempfile.TemporaryFile() as stderr:
            try:
                timings = _session(root, modules, runs, warmups, stderr)
            except Exception:
                stderr.seek(0)
                sys.stderr.write(stderr.read().decode("utf-8", "replace")[-4000:])
                raise
    if samples is not None:
        samples.update(timings)
    return {case: statistics.median(values) for case, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed changes per case (default 20)")
    parser.add_argument("--modules", type=int, default=1000, help="ordinary Python modules in the app (default 1000)")
    args = parser.parse_args()
    samples: dict[str, list[float]] = {}
    medians = measure(args.runs, args.modules, samples=samples)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.modules}-module Vercel app, median of {args.runs} changes per case")
    print("(didChange sent -> matching publishDiagnostics read; includes the server's debounce)\n")
    print(f"{'case':16} {'median':>9} {'min':>9} {'max':>9} {'goal':>8}")
    for case, median in medians.items():
        values = samples[case]
        goal = GOALS_MS[case]
        verdict = "ok" if median <= goal else "MISSED"
        print(f"{case:16} {median:7.1f}ms {min(values):7.1f}ms {max(values):7.1f}ms {goal:6.0f}ms {verdict}")


if __name__ == "__main__":
    main()
