"""Property tests: no reader raises anything but a DPL001 problem, and fixes
always re-parse and settle, on thousands of generated inputs."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deploylint.checker import Selection
from deploylint.facts import SourceProblem
from deploylint.fixes import _parses, fix_project
from deploylint.knowledge import knowledge
from deploylint.project import Options
from deploylint.sources import (
    app_engine,
    aws_lambda,
    compose,
    dockerfile,
    github_workflows,
    lockfiles,
    netlify,
    nixpacks,
    pipfile,
    pyproject,
    python,
    railway,
    render,
    requirements,
    runtime_files,
    vercel,
)
from deploylint.text import DecodeProblem, SourceText, decode, decode_python
from deploylint.workspace import Workspace

from conftest import AS_OF

READER_EXAMPLES = int(os.environ.get("DEPLOYLINT_READER_EXAMPLES", "2000"))
FIX_EXAMPLES = int(os.environ.get("DEPLOYLINT_FIX_EXAMPLES", "400"))
reader_settings = settings(
    max_examples=READER_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


def mutated(fragments: list[str]) -> st.SearchStrategy[str]:
    """Texts made of a format's own pieces, shuffled, cut and spliced with noise."""
    piece = st.one_of(st.sampled_from(fragments), st.text(max_size=8))
    return st.lists(piece, max_size=40).map("".join)


def json_documents() -> st.SearchStrategy[str]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10))
    values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)))
    builds = st.fixed_dictionaries(
        {"builds": st.lists(st.fixed_dictionaries({"src": st.text(max_size=5), "use": st.sampled_from(["@vercel/python", "@vercel/python@3.1.0", 3]), "config": values}), max_size=3)}
    )
    return st.one_of(values, builds).map(json.dumps)


JSON_FRAGMENTS = ['{', '}', '[', ']', ',', ':', '"builds"', '"use"', '"config"', '"runtime"', '"@vercel/python@4.1.0"', "NaN", "1e999", "-", "0", '"\\u', "\\", "\n", " ", "true", "null"]
TOML_FRAGMENTS = ["[phases.install]", "[phases.setup]", "[[a]]", "cmds = ", "nixPkgs = ", "[", "]", "{", "}", ",", '"', "'", '"""', "'''", "\n", " = ", "pip install x", "'...'", "#", "[project]", "dependencies = ", "requires-python = ", "1979-05-27T07:32:00Z", "\\u00e9", "a.b.c"]
REQ_FRAGMENTS = ["numpy", "==", ">=", "<2", "1.24.3", "opencv-python==4.8.1.78", " ; ", "python_version < '3.12'", " @ ", "https://x/y.whl", "-r ", "-c ", "--hash=sha256:ab", "\\\n", "\n", "#", "[extra]", "-e .", "./pkg", " "]
DOCKER_FRAGMENTS = ["FROM ", "python:3.12-slim", " AS b", "\n", "RUN ", "pip install ", "COPY ", "ADD ", "--from=b ", "WORKDIR ", "/app ", ". ", "requirements.txt ", "-r ", "uv sync ", "cd .. ", "poetry install ", "numpy==1.24.3 ", '"numpy<2" ', "\\\n", "# c\n", "<<EOF\n", "EOF\n", '["pip", "install", "x"]', "&& ", "; ", "$X ", "`", "'", '"', "# escape=`\n", "ARG PY=3.12\n"]
YAML_FRAGMENTS = ["jobs:", "\n", "  ", "- ", "steps:", "uses: actions/setup-python@v5", "with:", "python-version: ", "3.10", '"3.11"', "runs-on: ubuntu-latest", "strategy:", "matrix:", "[3.9, 3.10]", "${{ matrix.python-version }}", "services:", "runtime: python", "envVars:", "key: PYTHON_VERSION", "value: ", "Resources:", "Type: AWS::Serverless::Function", "Properties:", "Runtime: python3.8", "!Ref x", "provider:", "functions:", "build:", "context: ", "dockerfile: ", "../x", "CodeUri: ", "buildCommand: ", "run: pip install -r requirements.txt", "&a ", "*a", "{", "}", "[", "]", ": ", "'", '"', "#", "\t", "---\n", "..."]
# Whole TOML lines, so that most texts parse and the readers' handling of odd values is what gets tested.
LOCK_FRAGMENTS = ['name = "werkzeug"\n', 'version = "2.0.3"\n', 'version = "not a version"\n', "version = 2\n", 'name = "Odd_Name"\n', "\n"]
PY_FRAGMENTS = ["import werkzeug.security as ws\n", "from werkzeug.security import safe_str_cmp", " as eq", ", generate_password_hash", "\n", "ws.safe_str_cmp(a, b)\n", "eq(1, 2)\n", "def safe_str_cmp(a, b):\n    return a\n", "(", ")", "    ", "from werkzeug import secure_filename\n", "import werkzeug.contrib.cache\n", "x = 1\n", ":", "lambda: ", "class C:\n", "'''", "#", "\\"]


def _only_problems(read, text: str, path: str = "file") -> None:
    try:
        read(SourceText(path, text))
    except SourceProblem:
        pass


@reader_settings
@given(st.one_of(json_documents(), mutated(JSON_FRAGMENTS)))
def test_vercel_reader(text):
    _only_problems(vercel.read, text, "vercel.json")


@reader_settings
@given(mutated(TOML_FRAGMENTS))
def test_nixpacks_reader(text):
    _only_problems(nixpacks.read, text, "nixpacks.toml")


@reader_settings
@given(mutated(TOML_FRAGMENTS))
def test_pyproject_reader(text):
    _only_problems(pyproject.read, text, "pyproject.toml")


@reader_settings
@given(mutated(REQ_FRAGMENTS))
def test_requirements_reader(text):
    _only_problems(requirements.read, text, "requirements.txt")


@reader_settings
@given(mutated(DOCKER_FRAGMENTS))
def test_dockerfile_reader(text):
    _only_problems(dockerfile.read, text, "Dockerfile")


@reader_settings
@given(st.text(max_size=60))
def test_runtime_file_reader(text):
    _only_problems(runtime_files.read, text, ".python-version")


@reader_settings
@given(st.sampled_from([
    (github_workflows.read, ".github/workflows/ci.yml"),
    (render.read, "render.yaml"),
    (app_engine.read, "app.yaml"),
    (aws_lambda.read_template, "template.yaml"),
    (aws_lambda.read_serverless, "serverless.yml"),
    (compose.read, "docker-compose.yml"),
]), mutated(YAML_FRAGMENTS))
def test_yaml_readers(reader, text):
    _only_problems(reader[0], text, reader[1])


@reader_settings
@given(st.sampled_from([
    (netlify.read, "netlify.toml", TOML_FRAGMENTS + ["[build.environment]", "PYTHON_VERSION = "]),
    (pipfile.read, "Pipfile", TOML_FRAGMENTS + ["[requires]", "python_version = "]),
    (railway.read, "railway.toml", TOML_FRAGMENTS + ["[build]", "builder = "]),
    (railway.read, "railway.json", JSON_FRAGMENTS + ['"build"', '"builder"', '"RAILPACK"']),
    (railway.read_railpack, "railpack.json", JSON_FRAGMENTS + ['"packages"', '"python"', '"3.13"']),
    (pipfile.read, "Pipfile.lock", JSON_FRAGMENTS + ['"_meta"', '"requires"', '"python_version"', '"default"', '"version"', '"==1.0"', '"markers"']),
    (pipfile.read, "Pipfile", LOCK_FRAGMENTS + ["[packages]\n", 'werkzeug = "<2"\n', 'x = {version = "*", markers = "os_name == \'nt\'"}\n', "y = 3\n"]),
    (lockfiles.read_uv_lock, "uv.lock", LOCK_FRAGMENTS + ["[[package]]\n", 'source = { virtual = "." }\n', "source = 1\n", "package = 1\n"]),
    (lockfiles.read_poetry_lock, "poetry.lock", LOCK_FRAGMENTS + ["[[package]]\n", 'markers = "python_version < \'3.8\'"\n', "markers = 1\n"]),
    (lockfiles.read_pylock, "pylock.toml", LOCK_FRAGMENTS + ["[[packages]]\n", 'marker = "bad marker"\n', "packages = []\n"]),
    (pyproject.read, "pyproject.toml", LOCK_FRAGMENTS + [
        "[tool.poetry.dependencies]\n", 'werkzeug = "^2.0 || ^3"\n', 'python = "^3.10"\n', "x = {version = 3}\n",
        "[tool.poetry.group.dev]\n", "[tool.poetry.group.dev.dependencies]\n", "[dependency-groups]\n",
        'dev = ["x", {include-group = "a"}, 3]\n', "[tool.uv]\n", 'override-dependencies = ["werkzeug>=3", "-e ."]\n',
        "[tool.pdm.dev-dependencies]\n", "tool = 1\n", 'y = "^a.b"\n', 'z = "~"\n', 'w = "^"\n',
    ]),
]), st.data())
def test_toml_and_json_platform_readers(reader, data):
    read, path, fragments = reader
    _only_problems(read, data.draw(mutated(fragments)), path)


@reader_settings
@given(st.sampled_from([".tool-versions", "Procfile", "runtime.txt"]), st.text(max_size=60))
def test_other_runtime_file_readers(path, text):
    _only_problems(runtime_files.read, text, path)


@reader_settings
@given(mutated(PY_FRAGMENTS))
def test_python_reader(text):
    try:
        python.read(SourceText("app.py", text), knowledge())
    except SourceProblem:
        pass


@reader_settings
@given(st.tuples(st.sampled_from([b"", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf"]), st.binary(max_size=64)).map(b"".join))
def test_decoders(data):
    for decoder in (decode, decode_python):
        try:
            decoder("file", data)
        except DecodeProblem:
            pass
    try:
        file = decode("requirements.txt", data)  # UTF-8 or, by its BOM, UTF-16
    except DecodeProblem:
        return
    assert file.encode() == data  # what a fix writes back keeps every byte it did not change


# -- the fix engine on generated projects ----------------------------------

_PINS = st.sampled_from(
    [
        "opencv-python-headless==4.8.1.78", "opencv-python==4.9.0.80", "numpy", "numpy>=1.20", "numpy==2.0.0", "Flask==2.3.3",
        "werkzeug==1.0.1", "werkzeug>=2", "flask", "flask==1.1.2", "jinja2", "itsdangerous", "gunicorn==20.1.0",
    ]
)
_ENDINGS = st.sampled_from(["\n", "\r\n"])


@st.composite
def projects(draw) -> dict[str, str]:
    ending = draw(_ENDINGS)
    files = {}
    pins = draw(st.lists(_PINS, max_size=5))
    comments = draw(st.lists(st.sampled_from(["", "  # pinned", "\t# tab"]), min_size=len(pins), max_size=len(pins)))
    body = ending.join(p + c for p, c in zip(pins, comments))
    files["requirements.txt"] = body + (ending if draw(st.booleans()) else "")
    if draw(st.booleans()):
        config = draw(st.sampled_from(['{"runtime": "python3.9"}', '{"pythonVersion": "3.11", "maxLambdaSize": "15mb"}', "{}"]))
        use = draw(st.sampled_from(["@vercel/python", "@vercel/python@3.1.0", "@vercel/python@4.1.2"]))
        indent = draw(st.sampled_from(["", "  ", "\t"]))
        files["vercel.json"] = f'{{{ending}{indent}"builds": [{{"src": "api/index.py", "use": "{use}", "config": {config}}}]{ending}}}{ending}'
    if draw(st.booleans()):
        # A Docker build: which file it installs decides what every pin rule judges.
        python = draw(st.sampled_from(["3.8", "3.11", "3.12"]))
        copy = draw(st.sampled_from(["COPY requirements.txt .", "COPY . .", "COPY requirements.txt /tmp/r.txt", ""]))
        install = draw(st.sampled_from(["RUN pip install -r requirements.txt", "RUN pip install -r /tmp/r.txt", 'RUN pip install "numpy<2" opencv-python==4.8.0.76']))
        files["Dockerfile"] = ending.join([f"FROM python:{python}-slim", "WORKDIR /app", copy, install, ""])
    if draw(st.booleans()):
        command = draw(st.sampled_from(["pip install -r requirements.txt", "python3 -m pip install flask", "...", "echo hi"]))
        pkgs = draw(st.sampled_from(['["python311", "pip"]', '["pip"]', '[\n  "python311",  # py\n  "pip",\n]', '["..."]']))
        pkgs = pkgs.replace("\n", ending)
        files["nixpacks.toml"] = f'# build{ending}[phases.setup]{ending}nixPkgs = {pkgs}{ending}[phases.install]{ending}cmds = ["{command}"]{ending}'
    if draw(st.booleans()):
        files["api/auth.py"] = draw(
            st.sampled_from(
                [
                    "from werkzeug.security import safe_str_cmp\nimport os\n",
                    "import werkzeug.security as ws\n\n\ndef f(a, b):\n    return ws.safe_str_cmp(a, b)  # compare\n",
                    "from werkzeug.security import safe_str_cmp as eq, generate_password_hash\n\nx = eq('a', 'b')\n",
                    "from werkzeug import secure_filename, cached_property\n\n\tsecure_filename\n",
                    "from werkzeug import secure_filename, cached_property\n\nsecure_filename('x')\n",
                ]
            )
        )
    return files


@settings(max_examples=FIX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(projects(), st.booleans())
def test_fixes_reparse_and_settle(files, unsafe):
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for name, content in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(content.encode())
        workspace = Workspace(root)
        subjects = sorted(workspace.walk(""))
        options = Options(as_of=AS_OF)
        outcome = fix_project(workspace, subjects, options, Selection(), unsafe)
        assert outcome.converged and not outcome.rolled_back
        for path, text in outcome.new_texts.items():
            original = files.get(path)
            assert original is None or _parses(path, original) <= _parses(path, text), path
            if original is not None and "\r\n" in original and "\n" not in original.replace("\r\n", ""):
                assert "\n" not in text.replace("\r\n", ""), f"{path}: a fix mixed line endings"
        assert outcome.write(root) == []
        again = fix_project(Workspace(root), sorted(Workspace(root).walk("")), options, Selection(), unsafe)
        assert again.new_texts == {}, "fixing twice changed something"


@reader_settings
@given(
    st.sampled_from(["app.py", "Dockerfile", "requirements.txt", "pyproject.toml", ".github/workflows/ci.yml"]),
    mutated([*PY_FRAGMENTS, *DOCKER_FRAGMENTS, "# deploylint: ignore", "[DPL401", "]", "# noqa: DPL", "401", ", E501", "-file", " reason"]),
)
def test_suppression_directives_never_raise(path, text):
    from deploylint.suppressions import directives

    for directive in directives(SourceText(path, text)):
        assert text[directive.span.start] == "#"
