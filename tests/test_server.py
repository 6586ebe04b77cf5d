"""`deploylint server` end to end: a small LSP client speaks JSON-RPC over the server's stdio."""

from __future__ import annotations

import importlib.util
import json
import queue
import shutil
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

import pytest

pytest.importorskip("pygls")

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "vercel-incident"
# LSP's message framing, shared with the latency benchmark's client.
_spec = importlib.util.spec_from_file_location("deploylint_server_latency", Path(__file__).resolve().parent.parent / "benchmarks" / "server_latency.py")
server_latency = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(server_latency)
# A bound on every wait, so a broken server fails the test instead of hanging it.
TIMEOUT = 30


class Client:
    def __init__(self, root: Path, capabilities: dict | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "deploylint", "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.messages: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.next_id = 0
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.root = root
        self.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": capabilities or {}})
        self.notify("initialized", {})

    def _read(self) -> None:
        for message in server_latency.read_messages(self.process.stdout):
            self.messages.put(message)

    def send(self, message: dict) -> None:
        self.process.stdin.write(server_latency.frame(message))
        self.process.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        message = self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)
        assert "error" not in message, message
        return message["result"]

    def wait(self, matches):
        """The next message that `matches`; notifications before it are dropped, server requests answered."""
        while True:
            try:
                message = self.messages.get(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"no answer from the server within {TIMEOUT}s; stderr: {self._stderr()}") from None
            if "method" in message and "id" in message:  # a request from the server (e.g. registerCapability)
                self.send({"id": message["id"], "result": None})
            if matches(message):
                return message

    def diagnostics(self, path: str, until) -> list[dict]:
        """Waits for a publishDiagnostics on `path` whose codes satisfy `until`; returns them."""
        uri = self.uri(path)
        while True:
            message = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
            found = message["params"]["diagnostics"]
            if until({d["code"] for d in found}):
                return found

    def uri(self, path: str) -> str:
        return (self.root / path).as_uri()

    def open(self, path: str) -> None:
        self.texts[path] = (self.root / path).read_text(encoding="utf-8")
        self.versions[path] = 1
        kind = "json" if path.endswith(".json") else "python" if path.endswith(".py") else "plaintext"
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": self.uri(path), "languageId": kind, "version": 1, "text": self.texts[path]}},
        )

    def change(self, path: str, text: str) -> None:
        self.texts[path] = text
        self.versions[path] += 1
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": self.uri(path), "version": self.versions[path]}, "contentChanges": [{"text": text}]},
        )

    def _stderr(self) -> str:
        if self.process.poll() is None:
            return "(server still running)"
        return self.process.stderr.read().decode("utf-8", "replace")

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.process.wait(timeout=TIMEOUT)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


def apply_edits(text: str, edits: list[dict]) -> str:
    """Applies LSP TextEdits (UTF-16 positions) to a text, last first."""
    lines = text.splitlines(keepends=True) + [""]

    def offset(position: dict) -> int:
        before = sum(len(line) for line in lines[: position["line"]])
        line = lines[position["line"]].encode("utf-16-le")[: position["character"] * 2].decode("utf-16-le")
        return before + len(line)

    for edit in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


@pytest.fixture
def client(tmp_path):
    project = tmp_path / "app"
    shutil.copytree(EXAMPLE, project)
    client = Client(project)
    yield client
    client.close()


def test_open_vercel_json_reports_its_mistakes(client):
    client.open("vercel.json")
    found = client.diagnostics("vercel.json", until=lambda codes: {"DPL103", "DPL104"} <= codes)
    assert all(d["source"] == "deploylint" for d in found)


def test_code_action_fixes_the_finding(client):
    client.open("vercel.json")
    found = client.diagnostics("vercel.json", until=lambda codes: "DPL104" in codes)
    dpl104 = next(d for d in found if d["code"] == "DPL104")
    actions = client.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": client.uri("vercel.json")}, "range": dpl104["range"], "context": {"diagnostics": [dpl104]}},
    )
    quickfixes = [a for a in actions if a["kind"] == "quickfix" and a["diagnostics"][0]["code"] == "DPL104"]
    assert quickfixes, actions
    assert "safe" in quickfixes[0]["title"]
    assert any(a["kind"] == "source.fixAll.deploylint" for a in actions)
    edits = quickfixes[0]["edit"]["changes"][client.uri("vercel.json")]
    client.change("vercel.json", apply_edits(client.texts["vercel.json"], edits))
    after = client.diagnostics("vercel.json", until=lambda codes: "DPL104" not in codes)
    assert "DPL104" not in {d["code"] for d in after}


def test_hover_shows_the_rule(client):
    client.open("vercel.json")
    found = client.diagnostics("vercel.json", until=lambda codes: "DPL104" in codes)
    dpl104 = next(d for d in found if d["code"] == "DPL104")
    hover = client.request("textDocument/hover", {"textDocument": {"uri": client.uri("vercel.json")}, "position": dpl104["range"]["start"]})
    assert "DPL104" in hover["contents"]["value"]
    assert "docs/rules.md#dpl104" in hover["contents"]["value"]


def test_editing_requirements_updates_the_finding_in_another_file(client):
    client.open("api/auth.py")
    client.diagnostics("api/auth.py", until=lambda codes: "DPL401" in codes)
    client.open("requirements.txt")
    original = client.texts["requirements.txt"]
    assert "Flask==2.3.3" in original and "werkzeug==1.0.1" in original
    # Without Flask 2.3, which needs a newer werkzeug, werkzeug 1.0.1 still has safe_str_cmp.
    client.change("requirements.txt", "werkzeug==1.0.1\n")
    client.diagnostics("api/auth.py", until=lambda codes: "DPL401" not in codes)
    client.change("requirements.txt", original)
    client.diagnostics("api/auth.py", until=lambda codes: "DPL401" in codes)


def test_the_core_cli_does_not_load_pygls():
    code = "import sys, deploylint.cli; deploylint.cli.main(['rules']); print('pygls' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT, check=True)
    assert result.stdout.strip().endswith("False")


def test_hover_on_a_removed_api_cites_the_knowledge_source(client):
    client.open("api/auth.py")
    found = client.diagnostics("api/auth.py", until=lambda codes: "DPL401" in codes)
    dpl401 = next(d for d in found if d["code"] == "DPL401")
    hover = client.request("textDocument/hover", {"textDocument": {"uri": client.uri("api/auth.py")}, "position": dpl401["range"]["start"]})
    assert "Source: https://" in hover["contents"]["value"]


def applied(client: Client, edit: dict) -> dict[str, str]:
    """The texts a WorkspaceEdit leaves, by path: `changes`, or `documentChanges` with created files."""
    texts = {}
    if "changes" in edit:
        operations = [{"textDocument": {"uri": uri}, "edits": edits} for uri, edits in edit["changes"].items()]
    else:
        operations = [op for op in edit["documentChanges"] if "textDocument" in op]
        created = {op["uri"] for op in edit["documentChanges"] if op.get("kind") == "create"}
        assert created <= {op["textDocument"]["uri"] for op in operations}
    for operation in operations:
        path = Path(urllib.parse.unquote(urllib.parse.urlparse(operation["textDocument"]["uri"]).path)).relative_to(client.root).as_posix()
        before = client.texts.get(path)
        if before is None:
            before = (client.root / path).read_text() if (client.root / path).exists() else ""
        texts[path] = apply_edits(before, operation["edits"])
    return texts


def read_tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in root.rglob("*") if p.is_file() and ".deploylint_cache" not in p.parts}


def fixed_by_the_cli(client: Client, path: str, tmp_path: Path) -> dict[str, str]:
    """What `deploylint check PATH --fix` writes in a copy of the client's project."""
    copy = tmp_path / "cli-copy"
    shutil.copytree(client.root, copy, ignore=shutil.ignore_patterns(".deploylint_cache"))
    for name, text in client.texts.items():
        (copy / name).write_text(text)
    before = read_tree(copy)
    subprocess.run([sys.executable, "-m", "deploylint", "check", path, "--fix"], cwd=copy, capture_output=True, timeout=TIMEOUT)
    return {name: text for name, text in read_tree(copy).items() if before.get(name) != text}


def test_fix_all_applies_what_check_fix_writes(client, tmp_path):
    client.open("vercel.json")
    client.diagnostics("vercel.json", until=lambda codes: "DPL104" in codes)
    # An unsaved edit: fix-all starts from the buffer, not from the file on disk.
    client.change("vercel.json", client.texts["vercel.json"].replace('"version": 2', '"version":  2'))
    client.diagnostics("vercel.json", until=lambda codes: "DPL104" in codes)
    on_disk = read_tree(client.root)
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": client.uri("vercel.json")},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]},
        },
    )
    assert [a["kind"] for a in actions] == ["source.fixAll.deploylint"]
    assert read_tree(client.root) == on_disk  # the edit is the editor's to apply
    texts = applied(client, actions[0]["edit"])
    # Every pass until none is left, as the CLI: the same files, the same texts.
    assert texts == fixed_by_the_cli(client, "vercel.json", tmp_path)
    assert '"version":  2' in texts["vercel.json"]
    client.change("vercel.json", texts["vercel.json"])
    client.diagnostics("vercel.json", until=lambda codes: "DPL104" not in codes)


def test_fix_all_is_computed_when_the_editor_resolves_it(tmp_path):
    project = tmp_path / "app"
    shutil.copytree(EXAMPLE, project)
    capabilities = {"textDocument": {"codeAction": {"resolveSupport": {"properties": ["edit"]}}}}
    client = Client(project, capabilities)
    try:
        client.open("vercel.json")
        client.diagnostics("vercel.json", until=lambda codes: "DPL104" in codes)
        everything = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
        actions = client.request(
            "textDocument/codeAction", {"textDocument": {"uri": client.uri("vercel.json")}, "range": everything, "context": {"diagnostics": []}}
        )
        [fix_all] = [a for a in actions if a["kind"] == "source.fixAll.deploylint"]
        assert "edit" not in fix_all  # a fix run for every lightbulb would be wasted work
        resolved = client.request("codeAction/resolve", fix_all)
        assert applied(client, resolved["edit"]) == fixed_by_the_cli(client, "vercel.json", tmp_path)
    finally:
        client.close()


def test_the_files_on_disk_are_analysed_through_the_cache(client):
    # The first check fills the disk cache with the files on disk; an open buffer's text,
    # which may be unsaved, is analysed afresh and never stored.
    client.open("api/auth.py")
    client.diagnostics("api/auth.py", until=lambda codes: "DPL401" in codes)
    (index,) = (client.root / ".deploylint_cache").glob("index-*.json")
    cached = json.loads(index.read_text())["entries"]
    assert "api/index.py" in cached and "api/auth.py" not in cached
