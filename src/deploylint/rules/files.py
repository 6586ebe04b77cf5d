"""DPL0xx: files deploylint cannot read, or whose values have the wrong shape."""

from __future__ import annotations

from deploylint.diagnostics import Diagnostic
from deploylint.rules import Example, Rule


class UnparsableFile(Rule):
    """
    ## What it does
    Reports a file deploylint reads (vercel.json, nixpacks.toml, a Dockerfile,
    a requirements file, pyproject.toml, .python-version, runtime.txt, or a
    Python source) that does not parse, with the parser's own message and
    position. A file is decoded as its consumer decodes it: a requirements or
    constraints file may be UTF-16 (LE or BE) or UTF-8 with a byte-order mark,
    since pip decodes by the BOM (PowerShell's `pip freeze > requirements.txt`
    writes UTF-16 LE); a fix writes such a file back in its own encoding, BOM
    included. Every other file must be UTF-8, and bytes no BOM explains (UTF-16
    without a BOM, a lone surrogate) are reported.

    ## Why is this bad?
    The platform's builder parses the same file and stops the deploy: Vercel
    reads vercel.json with `JSON.parse`, which rejects `NaN`, comments and
    trailing commas; pip refuses an invalid requirement line. Nothing else in
    the file can be checked either.

    ## Example
    ```json
    {"builds": [{"src": "api/index.py", "use": "@vercel/python"},]}
    ```

    Use instead:
    ```json
    {"builds": [{"src": "api/index.py", "use": "@vercel/python"}]}
    ```

    ## Fix safety
    No fix: only the author knows what the file should say.

    ## References
    - [RFC 8259: The JSON Data Interchange Format](https://www.rfc-editor.org/rfc/rfc8259)
    - [TOML v1.0.0](https://toml.io/en/v1.0.0)
    - [pip: requirements file format](https://pip.pypa.io/en/stable/reference/requirements-file-format/)
    - [pip's `auto_decode`: BOMs decide a requirements file's encoding](https://github.com/pypa/pip/blob/main/src/pip/_internal/utils/encoding.py)
    """

    code = "DPL001"
    name = "unparsable-file"
    VALID = [Example({"vercel.json": '{"builds": [{"src": "api/index.py", "use": "@vercel/python"}]}\n'})]
    INVALID = [
        Example({"vercel.json": '{\n  "builds": [{"src": "api/index.py", "use": "@vercel/python"},]\n}\n'}, "vercel.json", 2),
        Example({"nixpacks.toml": "[phases.install]\ncmds = ['pip install'\n"}, "nixpacks.toml", 3),
        Example({"requirements.txt": "flask\nnumpy==\n"}, "requirements.txt", 2),
    ]

    def check_project(self, project):
        for problem in project.problems:
            yield Diagnostic(self.code, problem.message, problem.span)


class InvalidConfigValue(Rule):
    """
    ## What it does
    Reports a value in a deployment file that parses but has a type or shape
    the platform rejects or ignores, such as `"builds": 3` in vercel.json or
    `cmds = "pip install"` (a string, not an array) in nixpacks.toml.

    ## Why is this bad?
    Vercel validates vercel.json against its schema and fails the deploy.
    Nixpacks fails to read a phase whose `cmds` is not an array of strings.

    ## Example
    ```toml
    [phases.install]
    cmds = "pip install -r requirements.txt"
    ```

    Use instead:
    ```toml
    [phases.install]
    cmds = ["pip install -r requirements.txt"]
    ```

    ## Fix safety
    No fix.

    ## References
    - [Vercel: project configuration](https://vercel.com/docs/project-configuration)
    - [Nixpacks: configuration file](https://nixpacks.com/docs/configuration/file)
    """

    code = "DPL002"
    name = "invalid-config-value"
    VALID = [Example({"nixpacks.toml": '[phases.install]\ncmds = ["...", "echo done"]\n'})]
    INVALID = [
        Example({"nixpacks.toml": '[phases.install]\ncmds = "pip install -r requirements.txt"\n'}, "nixpacks.toml", 2),
        Example({"vercel.json": '{\n  "builds": 3\n}\n'}, "vercel.json", 2),
    ]

    def check_project(self, project):
        for problem in project.config_problems:
            yield Diagnostic(self.code, problem.message, problem.span)
