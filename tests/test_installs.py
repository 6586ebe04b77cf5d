"""The install model: which files each builder installs, what each build ships,
and which versions an install can get on its Python."""

from __future__ import annotations

import json

import pytest
from conftest import AS_OF, write_files
from packaging.specifiers import SpecifierSet
from test_cli import run

from deploylint import versions
from deploylint.project import Options, load
from deploylint.workspace import Workspace

IMAGE = "FROM python:{python}-slim\nWORKDIR /app\nCOPY {copy}\nRUN pip install --no-cache-dir -r {install}\nCOPY . .\n"


def _unit(tmp_path, files, python=None):
    write_files(tmp_path, files)
    workspace = Workspace(tmp_path)
    project = load(workspace, sorted(workspace.walk("")), Options(as_of=AS_OF, python=python))
    [unit] = [unit for unit in project.units if unit.root == ""]
    return unit


def _installed(unit) -> list[tuple[str, tuple[str, ...], str | None]]:
    return [(install.label, install.files, install.python) for install in unit.installs()]


# -- Which files each builder installs ---------------------------------------

BOTH = {"requirements.txt": "flask==3.0.3\n", "Pipfile": '[packages]\nflask = "==2.2.2"\n', "pyproject.toml": '[project]\nname = "a"\nversion = "1"\ndependencies = ["flask"]\n'}


@pytest.mark.parametrize(
    "platform_files, expected",
    [
        ({"nixpacks.toml": "[phases.setup]\nnixPkgs = ['...']\n"}, ("requirements.txt",)),
        ({"railway.json": '{"build": {"builder": "RAILPACK"}}\n'}, ("requirements.txt",)),
        # @vercel/python: any pyproject.toml hides requirements.txt (vercel/vercel#14041).
        ({"vercel.json": "{}\n", "api/index.py": "app = None\n"}, ("pyproject.toml",)),
        ({"app.yaml": "runtime: python312\n"}, ("requirements.txt",)),
    ],
)
def test_each_builder_installs_its_first_file(tmp_path, platform_files, expected):
    unit = _unit(tmp_path, {**BOTH, **platform_files})
    [install] = unit.installs()
    assert install.files == expected


def test_nixpacks_takes_pyproject_before_pipfile_with_its_lock(tmp_path):
    files = {"nixpacks.toml": "", "Pipfile": '[packages]\nflask = "*"\n', "pyproject.toml": '[project]\nname = "a"\nversion = "1"\n', "poetry.lock": ""}
    [install] = _unit(tmp_path, files).installs()
    assert install.files == ("pyproject.toml", "poetry.lock")


def test_a_custom_nixpacks_install_phase_installs_what_it_names(tmp_path):
    toml = '[phases.install]\ncmds = ["python -m venv /opt/venv && . /opt/venv/bin/activate && pip install -r requirements/prod.txt"]\n'
    unit = _unit(tmp_path, {"nixpacks.toml": toml, "requirements.txt": "flask==2.2.2\n", "requirements/prod.txt": "flask==3.0.3\n"})
    [install] = unit.installs()
    assert install.files == ("requirements/prod.txt",)


def test_heroku_installs_nothing_from_two_package_manager_files(tmp_path):
    unit = _unit(tmp_path, {"Procfile": "web: gunicorn app:app\n", "requirements.txt": "flask\n", "Pipfile": "[packages]\n", "Pipfile.lock": "{}"})
    [install] = unit.installs()
    assert install.files == () and "installs nothing" in install.chosen_by


def test_heroku_installs_the_one_package_manager_file(tmp_path):
    unit = _unit(tmp_path, {"Procfile": "web: gunicorn app:app\n", "pyproject.toml": '[project]\nname = "a"\nversion = "1"\n', "uv.lock": "", ".python-version": "3.12\n"})
    [install] = unit.installs()
    assert install.files == ("pyproject.toml", "uv.lock") and install.python == "3.12"


def test_includes_follow_the_file_that_names_them(tmp_path):
    files = {
        "Dockerfile": IMAGE.format(python="3.12", copy="requirements/ requirements/", install="requirements/prod.txt"),
        "requirements/base.txt": "flask==3.0.3\n",
        "requirements/prod.txt": "-r base.txt\n-c constraints.txt\ngunicorn\n",
        "requirements/constraints.txt": "numpy<2\n",
        "requirements/dev.txt": "-r base.txt\npytest\n",
    }
    [install] = _unit(tmp_path, files).installs()
    assert install.files == ("requirements/prod.txt", "requirements/constraints.txt", "requirements/base.txt")
    assert [fact.name for fact in install.facts if fact.is_constraint] == ["numpy"]


def test_without_a_platform_each_dependency_file_is_an_alternative(tmp_path):
    unit = _unit(tmp_path, {"requirements.txt": "flask==3.0.0\n", "requirements-dev.txt": "werkzeug<3\npytest\n", "requirements/docs.txt": "mkdocs\n"})
    assert sorted(install.files for install in unit.installs()) == [("requirements-dev.txt",), ("requirements.txt",), ("requirements/docs.txt",)]


# -- Docker: COPY decides which context file a RUN line installs --------------


@pytest.mark.parametrize(
    "copy, install, expected",
    [
        ("requirements.txt .", "requirements.txt", "requirements.txt"),
        ("requirements/prod.txt /tmp/req.txt", "/tmp/req.txt", "requirements/prod.txt"),
        ("requirements/ ./requirements/", "requirements/prod.txt", "requirements/prod.txt"),
        (". .", "requirements/prod.txt", "requirements/prod.txt"),
    ],
)
def test_docker_installs_the_context_file_its_copy_brings_in(tmp_path, copy, install, expected):
    files = {"Dockerfile": IMAGE.format(python="3.12", copy=copy, install=install), "requirements.txt": "flask\n", "requirements/prod.txt": "flask\n"}
    [found] = _unit(tmp_path, files).installs()
    assert found.files == (expected,) and found.python == "3.12"


def test_docker_project_installs_read_the_manifest_and_lock(tmp_path):
    dockerfile = "FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN pip install uv && uv sync --frozen --no-dev\n"
    [install] = _unit(tmp_path, {"Dockerfile": dockerfile, "pyproject.toml": '[project]\nname = "a"\nversion = "1"\n', "uv.lock": ""}).installs()
    assert install.files == ("pyproject.toml", "uv.lock")


def test_a_docker_build_ships_its_copied_sources_less_dockerignore(tmp_path):
    files = {
        "Dockerfile": "FROM python:3.12-slim\nCOPY api/ /app/api/\nCOPY shared /app/shared\n",
        ".dockerignore": "**/legacy_*.py\n",
        "api/main.py": "",
        "api/legacy_auth.py": "",
        "shared/util.py": "",
        "tools/migrate.py": "",
    }
    [deployment] = _unit(tmp_path, files).deployments()
    assert [path for path in ("api/main.py", "api/legacy_auth.py", "shared/util.py", "tools/migrate.py") if deployment.deploys(path)] == [
        "api/main.py",
        "shared/util.py",
    ]


def test_compose_names_the_context_of_a_dockerfile_elsewhere(tmp_path):
    files = {
        "docker-compose.yml": "services:\n  api:\n    build:\n      context: .\n      dockerfile: docker/api.Dockerfile\n",
        "docker/api.Dockerfile": IMAGE.format(python="3.12", copy="requirements.txt .", install="requirements.txt"),
        "requirements.txt": "flask\n",
    }
    [install] = _unit(tmp_path, files).installs()
    assert install.files == ("requirements.txt",) and install.deployment.ships.context == ""


def test_sam_ships_and_installs_the_function_code_uri(tmp_path):
    template = "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: fn/\n      Runtime: python3.12\n"
    unit = _unit(tmp_path, {"template.yaml": template, "fn/requirements.txt": "numpy\n", "fn/app.py": "", "tests/requirements.txt": "pytest\n"})
    [install] = unit.installs()
    assert install.files == ("fn/requirements.txt",) and install.python == "3.12"
    assert install.deployment.deploys("fn/app.py") and not install.deployment.deploys("tests/test_app.py")


def test_a_workflow_installs_what_its_run_steps_name_on_setup_pythons(tmp_path):
    workflow = (
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        python-version: ['3.11', '3.12']\n"
        "    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: ${{ matrix.python-version }}\n"
        "      - run: pip install -r requirements/ci.txt\n"
    )
    unit = _unit(tmp_path, {".github/workflows/ci.yml": workflow, "requirements/ci.txt": "numpy\n"})
    ci = [(install.files, install.python) for install in unit.installs() if install.ci]
    assert ci == [(("requirements/ci.txt",), "3.11"), (("requirements/ci.txt",), "3.12")]


# -- Which versions an install can get on its Python --------------------------


def test_numpy_2_cannot_install_on_python_3_8(tmp_path):
    [install] = _unit(tmp_path, {"Dockerfile": IMAGE.format(python="3.8", copy="requirements.txt .", install="requirements.txt"), "requirements.txt": "numpy\n"}).installs()
    assert not versions.satisfiable(install.constraints("numpy") + [SpecifierSet(">=2")])


@pytest.mark.parametrize("python, kept", [("3.11", True), ("3.12", False)])
def test_setuptools_is_preinstalled_up_to_python_3_11(tmp_path, python, kept):
    files = {"Dockerfile": IMAGE.format(python=python, copy="requirements.txt .", install="requirements.txt"), "requirements.txt": "gunicorn==20.1.0\n"}
    [install] = _unit(tmp_path, files).installs()
    assert versions.satisfiable(install.constraints("setuptools") + [SpecifierSet(">=82")]) is not kept


def test_a_requirement_the_held_setuptools_does_not_meet_lets_pip_replace_it(tmp_path):
    files = {"Dockerfile": IMAGE.format(python="3.11", copy="requirements.txt .", install="requirements.txt"), "requirements.txt": "setuptools>=80\n"}
    [install] = _unit(tmp_path, files).installs()
    assert install.preinstalled("setuptools") is None


def test_markers_are_evaluated_for_the_install_python(tmp_path):
    files = {"Dockerfile": IMAGE.format(python="3.12", copy="requirements.txt .", install="requirements.txt"), "requirements.txt": "numpy<2; python_version < '3.9'\nnumpy>=2; python_version >= '3.9'\n"}
    [install] = _unit(tmp_path, files).installs()
    assert [str(fact.requirement.specifier) for fact in install.facts_for("numpy")] == [">=2"]


# -- deploylint show -----------------------------------------------------------

RAILWAY = {
    "railway.json": '{"build": {"builder": "NIXPACKS"}}\n',
    "requirements.txt": "flask==3.0.3\ngunicorn==22.0.0\n",
    "Pipfile": '[packages]\nflask = "==2.2.2"\n',
    ".python-version": "3.12\n",
}


def test_show_names_the_platform_its_python_and_what_it_installs(tmp_path):
    write_files(tmp_path, RAILWAY)
    result = run("show", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "  Nixpacks: Python 3.12 (from .python-version, .python-version:1)\n    installs: requirements.txt\n" in result.stdout
    assert "allows: flask ==3.0.3; gunicorn ==22.0.0" in result.stdout


def test_show_json(tmp_path):
    write_files(tmp_path, RAILWAY)
    result = run("show", "--output-format", "json", cwd=tmp_path)
    [app] = json.loads(result.stdout)
    [install] = app["installs"]
    assert (install["platform"], install["python"], install["installs"]) == ("nixpacks", "3.12", ["requirements.txt"])
    assert install["python_from"] == {"file": ".python-version", "line": 1, "column": 1, "source": ".python-version"}
    assert install["versions"]["flask"] == "==3.0.3"


def test_a_pyproject_of_tool_settings_alone_is_no_alternative(tmp_path):
    unit = _unit(tmp_path, {"requirements.txt": "werkzeug==1.0.1\n", "pyproject.toml": "[tool.ruff]\nline-length = 100\n"})
    assert [install.files for install in unit.installs()] == [("requirements.txt",)]


@pytest.mark.parametrize("python, breaks", [("3.12", False), ("3.13", True)])
def test_heroku_pip_installs_its_own_setuptools_up_to_3_12(tmp_path, python, breaks):
    unit = _unit(tmp_path, {"Procfile": "web: gunicorn app:app\n", ".python-version": f"{python}\n", "requirements.txt": "gunicorn==20.1.0\n"})
    [install] = unit.installs()
    assert versions.satisfiable(install.constraints("setuptools") + [SpecifierSet(">=82")]) is breaks


def test_vercel_takes_the_manifest_nearest_the_entrypoint(tmp_path):
    files = {"vercel.json": "{}\n", "api/index.py": "app = None\n", "api/requirements.txt": "flask==3.0.3\n", "requirements.txt": "mkdocs\n"}
    [install] = _unit(tmp_path, files).installs()
    assert install.files == ("api/requirements.txt",)


def test_serverless_installs_the_service_requirements_not_the_tests(tmp_path):
    files = {
        "serverless.yml": "service: api\nprovider:\n  name: aws\n  runtime: python3.12\nplugins:\n  - serverless-python-requirements\n",
        "requirements.txt": "requests\n",
        "tests/requirements.txt": "numpy==1.24.3\n",
    }
    [install] = _unit(tmp_path, files).installs()
    assert install.files == ("requirements.txt",) and install.python == "3.12"


def test_railway_builds_a_named_dockerfile_from_the_service_directory(tmp_path):
    files = {
        "railway.json": '{"build": {"builder": "DOCKERFILE", "dockerfilePath": "deploy/web.docker"}}\n',
        "deploy/web.docker": IMAGE.format(python="3.12", copy="requirements.txt .", install="requirements.txt"),
        "requirements.txt": "flask\n",
    }
    [install] = _unit(tmp_path, files).installs()
    assert install.files == ("requirements.txt",) and install.python == "3.12"


@pytest.mark.parametrize(
    "command",
    ["pip install uv && uv sync --frozen", "poetry install --only main", "cd . && pip install ."],
)
def test_a_custom_nixpacks_install_of_the_project_installs_its_manifest(tmp_path, command):
    toml = f'[phases.install]\ncmds = ["python -m venv /opt/venv && . /opt/venv/bin/activate && {command}"]\n'
    files = {"nixpacks.toml": toml, "requirements.txt": "flask==2.2.2\n", "pyproject.toml": '[project]\nname = "a"\nversion = "1"\n', "uv.lock": ""}
    [install] = _unit(tmp_path, files).installs()
    assert install.files == ("pyproject.toml", "uv.lock")


def test_render_runs_its_build_command(tmp_path):
    render = "services:\n  - type: web\n    runtime: python\n    buildCommand: pip install -r requirements/prod.txt\n"
    files = {"render.yaml": render, "requirements.txt": "flask==2.2.2\n", "requirements/prod.txt": "flask==3.0.3\n"}
    [install] = _unit(tmp_path, files).installs()
    assert install.files == ("requirements/prod.txt",)


def test_a_docker_install_follows_cd_into_the_copied_project(tmp_path):
    dockerfile = "FROM python:3.12-slim\nCOPY service/ /srv/service/\nRUN cd /srv/service && pip install uv && uv sync --frozen\n"
    files = {"Dockerfile": dockerfile, "service/pyproject.toml": '[project]\nname = "a"\nversion = "1"\n', "service/uv.lock": ""}
    [install] = _unit(tmp_path, files).installs()
    assert install.files == ("service/pyproject.toml", "service/uv.lock")


@pytest.mark.parametrize("runtime", ["python-3.7.17", "python-3.9.20"])
def test_old_pythons_keep_an_old_setuptools(tmp_path, runtime):
    # Heroku's own setuptools pin covers 3.10-3.12; below that the interpreter's
    # bundled one (3.9) or setuptools' own Requires-Python (3.7) keeps 82 out.
    unit = _unit(tmp_path, {"Procfile": "web: gunicorn app:app\n", "runtime.txt": f"{runtime}\n", "requirements.txt": "gunicorn==20.0.4\n"})
    [install] = unit.installs()
    assert not versions.satisfiable(install.constraints("setuptools") + [SpecifierSet(">=82")])


def test_app_engine_python27_installs_nothing(tmp_path):
    unit = _unit(tmp_path, {"app.yaml": "runtime: python27\napi_version: 1\nthreadsafe: true\n", "requirements.txt": "Flask==0.10.1\n"})
    [install] = unit.installs()
    assert install.files == () and install.python == "2.7"


def test_pip_install_upgrade_setuptools_replaces_the_held_one(tmp_path):
    dockerfile = "FROM python:3.11-slim\nCOPY requirements.txt .\nRUN pip install -U setuptools wheel\nRUN pip install -r requirements.txt\n"
    [install] = _unit(tmp_path, {"Dockerfile": dockerfile, "requirements.txt": "gunicorn==20.1.0\n"}).installs()
    assert install.preinstalled("setuptools") is None
    assert versions.satisfiable(install.constraints("setuptools") + [SpecifierSet(">=82")])


@pytest.mark.parametrize("command", ["pip install --requirement=requirements.txt", "uv pip install --system --requirements requirements.txt", "pip install -rrequirements.txt"])
def test_every_spelling_of_a_requirements_option(tmp_path, command):
    dockerfile = f"FROM python:3.12-slim\nCOPY requirements.txt .\nRUN {command}\n"
    [install] = _unit(tmp_path, {"Dockerfile": dockerfile, "requirements.txt": "flask\n"}).installs()
    assert install.files == ("requirements.txt",)


def test_a_root_compose_file_builds_a_sub_directory_once_with_its_context(tmp_path):
    files = {
        "docker-compose.yml": "services:\n  api:\n    build:\n      context: .\n      dockerfile: backend/Dockerfile\n",
        "backend/Dockerfile": IMAGE.format(python="3.12", copy="backend/requirements.txt .", install="requirements.txt"),
        "backend/requirements.txt": "flask\n",
        "backend/app.py": "",
    }
    write_files(tmp_path, files)
    workspace = Workspace(tmp_path)
    project = load(workspace, sorted(workspace.walk("")), Options(as_of=AS_OF))
    dockers = [(unit.root, install.files) for unit in project.units for install in unit.installs() if install.deployment and install.deployment.platform == "docker"]
    # The Compose file's directory is the app; the Dockerfile is read once, from the root context.
    assert dockers == [("", ("backend/requirements.txt",))]
