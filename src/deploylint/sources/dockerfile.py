"""Dockerfiles, parsed by BuildKit's own parser (the `dockerfile` package).

BuildKit decides what an instruction is (continuations, heredocs, comments);
it reports lines only, so the words inside an instruction are located by
tokenizing that instruction's own lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from deploylint.diagnostics import Span
from deploylint.facts import DeclaredPython, Facts, RequirementFact, SourceProblem
from deploylint.parsing.shell import Word
from deploylint.sources.pip_commands import PipInstall, pip_installs, project_installs
from deploylint.text import SourceText

_OFFICIAL_PYTHON = re.compile(r"^(?:(?:docker\.io|index\.docker\.io)/)?(?:library/)?python:(?P<tag>[^@\s]+)")


@dataclass
class Stage:
    image: str
    image_span: Span
    name: str | None
    python: DeclaredPython | None  # set for official python images with a versioned tag


@dataclass
class RunPip:
    stage: int
    install: PipInstall
    instruction_span: Span


@dataclass
class Copy:
    """COPY or ADD from the build context (not `--from` another stage or image)."""

    sources: list[str]  # context-relative, as written ("." is the whole context)
    dest: str  # absolute in the image, WORKDIR applied
    span: Span


@dataclass
class ProjectInstall:
    """An install that reads a project manifest, not a requirements file.

    `uv sync` and `poetry install` read pyproject.toml (and the lock beside
    it), `pipenv install` the Pipfile, `pip install .` the project itself.
    """

    tool: str  # "uv", "poetry", "pipenv", "pdm", "pip"
    directory: str  # in the image, WORKDIR applied
    span: Span


@dataclass
class Dockerfile:
    file: SourceText
    stages: list[Stage] = field(default_factory=list)
    pip_runs: list[RunPip] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    project_installs: list[ProjectInstall] = field(default_factory=list)
    # The WORKDIR in force at each RUN pip, by the RunPip's index.
    pip_workdirs: list[str] = field(default_factory=list)
    facts: Facts = field(default_factory=Facts)

    def python_stage(self) -> Stage | None:
        """The stage the app runs in: the last one, when it is a python image."""
        for stage in reversed(self.stages):
            if stage.python:
                return stage
            if not _derives_from_stage(stage, self.stages):
                return None
        return None


def _derives_from_stage(stage: Stage, stages: list[Stage]) -> bool:
    return any(other.name and other.name == stage.image for other in stages)


def read(file: SourceText) -> Dockerfile:
    import dockerfile as buildkit  # imported here: only Dockerfiles pay for it

    try:
        instructions = buildkit.parse_string(file.text)
    except buildkit.GoParseError as error:
        raise SourceProblem(str(error), 0) from None
    result = Dockerfile(file)
    workdir = "/"
    for instruction in instructions:
        command = (instruction.cmd or "").upper()  # a stray continuation yields none
        start = file.offset(instruction.start_line)
        end = file.line_span(instruction.end_line)[1]
        if command == "FROM":
            _read_from(result, instruction, start, end)
            workdir = "/"
        elif command == "WORKDIR" and instruction.value:
            workdir = image_path(workdir, instruction.value[0])
        elif command in ("COPY", "ADD") and len(instruction.value) >= 2:
            if not any(flag.lower().startswith("--from") for flag in instruction.flags):
                *sources, dest = instruction.value
                result.copies.append(Copy(list(sources), image_path(workdir, dest, directory=dest.endswith("/")), Span(file.path, start, end)))
        elif command == "RUN":
            before = len(result.pip_runs)
            _read_run(result, instruction, start, end, workdir)
            result.pip_workdirs.extend([workdir] * (len(result.pip_runs) - before))
    return result


def image_path(workdir: str, path: str, directory: bool = False) -> str:
    """An absolute, normalised path in the image; `directory` keeps a trailing slash."""
    import posixpath

    joined = posixpath.normpath(posixpath.join(workdir, path)) if "$" not in path else path
    return joined.rstrip("/") + "/" if directory and joined != "/" else joined


def _read_from(result: Dockerfile, instruction, start: int, end: int) -> None:
    text = result.file.text
    if not instruction.value:
        return
    image = instruction.value[0]
    image_start = text.find(image, start, end)
    image_start = start if image_start == -1 else image_start
    span = Span(result.file.path, image_start, image_start + len(image))
    name = instruction.value[2] if len(instruction.value) >= 3 and instruction.value[1].upper() == "AS" else None
    python = None
    match = _OFFICIAL_PYTHON.match(image)
    if match and "$" not in image and re.match(r"\d+\.\d+", match.group("tag")):
        python = DeclaredPython(match.group("tag"), span, f"FROM {image}")
        result.facts.pythons.append(python)
    result.stages.append(Stage(image, span, name, python))


def _read_run(result: Dockerfile, instruction, start: int, end: int, workdir: str = "/") -> None:
    text = result.file.text
    stage = len(result.stages) - 1
    instruction_span = Span(result.file.path, start, end)
    # The shell text(s) the RUN executes, and where each starts in the file (None: exec form).
    if instruction.heredocs:
        bodies = []
        for heredoc in instruction.heredocs:
            body_start = text.find(heredoc.content, text.find("\n", start) + 1) if heredoc.content else -1
            if body_start != -1:
                bodies.append((heredoc.content, body_start))
    elif instruction.json:
        bodies = [(" ".join(_quote(arg) for arg in instruction.value), None)]
    else:
        keyword = re.compile(r"\s*RUN\b", re.IGNORECASE).match(text, start)
        body_start = keyword.end() if keyword else start
        bodies = [(_blank_comment_lines(text[body_start:end]), body_start)]
    installs = []
    for body, body_start in bodies:
        found = pip_installs(body, body_start or 0)
        if body_start is None:
            for install in found:  # exec form: point every word at the instruction
                _repoint(install, start, end)
        installs += found
        for tool, directory in project_installs(body, workdir):
            result.project_installs.append(ProjectInstall(tool, directory, instruction_span))
    for install in installs:
        result.pip_runs.append(RunPip(stage, install, instruction_span))
        for word, requirement in install.parsed_requirements():
            result.facts.requirements.append(
                RequirementFact(
                    requirement,
                    Span(result.file.path, word.start, word.end),
                    "dockerfile",
                    insert_at=word.end,
                    # Quoted, so a specifier's `<` is never read as a redirection.
                    insert_template=' "{requirement}"',
                    upgrades=install.upgrades,
                )
            )


def _blank_comment_lines(body: str) -> str:
    """BuildKit drops comment and empty lines inside a continued instruction.

    They become spaces (their newline too), so offsets stay exact and the
    continuation carries on past them.
    """
    chars = list(body)
    position = 0
    continued = False
    for line in body.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        if continued and (not content.strip() or content.lstrip().startswith("#")):
            chars[position : position + len(line)] = " " * len(line)
        else:
            continued = content.endswith("\\")
        position += len(line)
    return "".join(chars)


def _quote(arg: str) -> str:
    return "'" + arg.replace("'", "'\"'\"'") + "'"


def _repoint(install: PipInstall, start: int, end: int) -> None:
    def fix(word: Word) -> Word:
        return Word(word.value, start, end, word.dynamic)

    install.requirements = [fix(w) for w in install.requirements]
    install.requirement_files = [fix(w) for w in install.requirement_files]
    install.executable = fix(install.executable)
