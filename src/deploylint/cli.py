"""The command line: `deploylint check`, `show`, `rule CODE`, `rules`, `knowledge [TOPIC]`.

Exit status: 0 nothing left to report; 1 findings remain, or --fix changed a
file; 2 a usage error or a bug in deploylint (bad *input* is a finding).
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import sys
from pathlib import Path

from deploylint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
OUTPUT_FORMATS = ("text", "concise", "json", "json-lines", "sarif", "github", "gitlab", "junit", "pylint", "rdjson")


class UsageError(Exception):
    pass


def _codes(value: str) -> tuple[str, ...]:
    codes = tuple(part.strip().upper() for part in value.split(",") if part.strip())
    for code in codes:
        if code != "ALL" and not re.fullmatch(r"DPL\d{0,3}", code):
            raise argparse.ArgumentTypeError(f"{code!r} is not a rule code or prefix (e.g. DPL401, DPL4)")
    return tuple("DPL" if code == "ALL" else code for code in codes)


def _platforms(value: str) -> tuple[str, ...]:
    from deploylint.deployments import PLATFORMS

    names = tuple(part.strip().lower() for part in value.split(",") if part.strip())
    for name in names:
        if name not in PLATFORMS:
            raise argparse.ArgumentTypeError(f"{name!r} is not a platform ({', '.join(PLATFORMS)})")
    return names


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _python(value: str) -> str:
    from deploylint.config import python_minor

    minor = python_minor(value)
    if minor is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not a Python version (e.g. 3.12)")
    return minor


class _Version(argparse.Action):
    """--version, loading the knowledge base only when asked (it is not cheap)."""

    def __call__(self, parser, namespace, values, option_string=None):
        from deploylint.knowledge import knowledge

        # On standard output, as ruff and pip print theirs.
        print(f"deploylint {__version__} (knowledge as of {knowledge().as_of})")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="deploylint", description="Catch and fix the mistakes that break Python deployments.")
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and the knowledge's as-of date")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="check files or directories (default: the current directory)")
    check.add_argument("paths", nargs="*", type=Path, help="files or directories to check")
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument(
        "--unsafe-fixes", action=argparse.BooleanOptionalAction, default=None, help="also apply (and show as fixable) unsafe fixes"
    )
    check.add_argument("--diff", action="store_true", help="print the fixes as a diff and write nothing")
    check.add_argument("--select", type=_codes, default=None, help="comma-separated codes or prefixes to enable (replaces the configuration's)")
    check.add_argument("--extend-select", type=_codes, default=(), help="codes or prefixes to enable on top of the selection")
    check.add_argument("--ignore", type=_codes, default=(), help="comma-separated codes or prefixes to disable")
    check.add_argument("--platforms", type=_platforms, default=None, help="judge only these platforms, e.g. vercel,docker")
    check.add_argument("--config", type=Path, default=None, help="read settings from this file instead of finding one")
    check.add_argument("--output-format", choices=OUTPUT_FORMATS, default="text")
    check.add_argument("--output-file", type=Path, default=None, help="write the report to this file instead of standard output")
    check.add_argument("--statistics", action="store_true", help="print how many findings each rule has, instead of the findings")
    check.add_argument("--show-fixes", action="store_true", help="show each finding's fix (with --fix: list what was fixed)")
    check.add_argument("--as-of", type=_date, default=None, help="judge end-of-life dates on this day (default: today)")
    check.add_argument("--python", type=_python, default=None, help="the target Python for every deployment, e.g. 3.12")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings remain")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the cache of Python files' analyses")
    check.add_argument(
        "--add-noqa",
        action="store_true",
        help="suppress every current finding: a `# deploylint: ignore[CODE]` comment at it (JSON: a per-file-ignores entry)",
    )
    check.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        default=None,
        help="report only findings not recorded in FILE; when FILE does not exist, record the current findings into it",
    )

    show = commands.add_parser("show", help="what each app's platforms run and install, as deploylint judges them")
    show.add_argument("paths", nargs="*", type=Path, help="files or directories (default: the current directory)")
    show.add_argument("--output-format", choices=("text", "json"), default="text")
    show.add_argument("--python", type=_python, default=None, help="the target Python for every deployment, e.g. 3.12")
    show.add_argument("--platforms", type=_platforms, default=None, help="only these platforms, e.g. vercel,docker")
    show.add_argument("--config", type=Path, default=None, help="read settings from this file instead of finding one")
    show.add_argument("--as-of", type=_date, default=None, help="the day end-of-life dates are judged on (default: today)")
    show.add_argument("--no-cache", action="store_true", help="neither read nor write the cache of Python files' analyses")

    rule = commands.add_parser("rule", help="explain a rule")
    rule.add_argument("code")
    commands.add_parser("rules", help="list every rule")
    knowledge = commands.add_parser("knowledge", help="what deploylint knows about a package or platform, with sources")
    knowledge.add_argument("topic", nargs="?", help="a package (werkzeug, numpy) or platform (vercel, heroku, python); omit to list them")
    knowledge.add_argument("--config", type=Path, default=None, help="read extend-knowledge from this file instead of finding one")
    commands.add_parser("server", help="run the language server over stdio (needs the `server` extra: pip install 'deploylint[server]')")
    return parser


def run() -> None:
    """The console entry point: `main`, then exit at once, as mypy does (`util.hard_exit`).

    A run leaves nothing to clean up: files are written atomically and closed, worker
    processes joined. The interpreter's teardown, which frees every object one by one,
    would add about a tenth to a whole-tree check.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away (`deploylint check | head`): as Python exits then
        code = code or 120
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "rule":
            return _rule(args.code)
        if args.command == "rules":
            return _rules()
        if args.command == "knowledge":
            return _knowledge(args)
        if args.command == "show":
            return _show(args)
        if args.command == "server":
            # pygls is loaded only here: the other commands never need it.
            try:
                from deploylint.server import serve
            except ImportError as error:
                raise UsageError(f"the language server needs pygls ({error}); install it with: pip install 'deploylint[server]'") from None
            return serve()
        return _check(args)
    except UsageError as error:
        print(f"deploylint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_ERROR
    except Exception:  # a bug in deploylint: say so, never pass it off as a finding
        import traceback

        print("deploylint: internal error; please report it with this traceback:", file=sys.stderr)
        traceback.print_exc()
        return EXIT_ERROR


def _rule(code: str) -> int:
    from deploylint.rules import rule_by_code

    rule = rule_by_code(code)
    if rule is None:
        raise UsageError(f"unknown rule code {code!r}; `deploylint rules` lists them")
    print(f"# {rule.name} ({rule.code})\n")
    print(f"Fix is {'always' if rule.fix == 'always' else 'sometimes' if rule.fix == 'sometimes' else 'not'} available.\n")
    print(rule.doc())
    return EXIT_CLEAN


def _rules() -> int:
    from deploylint.rules import all_rules

    for rule in all_rules():
        fix = {"always": "fix", "sometimes": "fix (sometimes)"}.get(rule.fix, "")
        print(f"{rule.code}  {rule.name:32} {fix}".rstrip())
    return EXIT_CLEAN


def _knowledge(args) -> int:
    from deploylint.knowledge import knowledge
    from deploylint.knowledge.describe import describe, topics
    from deploylint.workspace import find_root

    # The configuration's extend-knowledge files are shown beside the packaged data.
    _load_config(args, find_root([], Path.cwd()))
    topic = args.topic
    data = knowledge()
    if topic is None:
        extended = f" Extended by {', '.join(data.extensions)}." if data.extensions else ""
        print(f"Knowledge as of {data.as_of}.{extended} Topics:\n  " + "\n  ".join(topics(data)))
        return EXIT_CLEAN
    report = describe(data, topic)
    if report is None:
        import difflib

        close = difflib.get_close_matches(topic.lower(), topics(data), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `deploylint knowledge` lists the topics"
        raise UsageError(f"deploylint knows nothing about {topic!r}{hint}")
    print(report, end="")
    return EXIT_CLEAN


def _subjects(workspace, paths: list[Path], cwd: Path) -> list[str]:
    from deploylint.workspace import file_kind

    subjects: list[str] = []
    for path in paths or [cwd]:
        full = (cwd / path) if not path.is_absolute() else path
        if not full.exists() and not full.is_symlink():
            raise UsageError(f"{path}: no such file or directory")
        try:
            relative = workspace.relative(full) if full.resolve() != workspace.root else ""
        except ValueError:
            raise UsageError(f"{path} is outside the workspace {workspace.root}") from None
        if full.is_dir():
            subjects.extend(workspace.walk(relative))
        elif file_kind(relative):
            subjects.append(relative)
    return sorted(set(subjects))


def _nothing_to_find(args) -> bool:
    """Are all the subjects Python files that cannot hold a finding?

    pre-commit runs the hook with the changed files; when they are ordinary
    Python files that the pre-filter rules out, no rule can report anything
    (a cross-file finding is reported only in its own file), so nothing else
    need be loaded. Anything unusual (a directory, another kind of file, a
    decoding problem, a suppression comment that may be unused) takes the
    full path.
    """
    if args.fix or args.diff or not args.paths or os.environ.get("DEPLOYLINT_PREFILTER") == "0":
        return False
    from deploylint.limits import MAX_PYTHON_BYTES
    from deploylint.sources.python_prefilter import load_index
    from deploylint.suppressions import may_have_directives
    from deploylint.text import DecodeProblem, decode_python

    can_hold_finding = None
    for path in args.paths:
        if path.suffix != ".py" or path.is_symlink():
            return False
        try:
            if path.stat().st_size > MAX_PYTHON_BYTES:
                return False
            data = path.read_bytes()
            text = decode_python(str(path), data).text
        except (OSError, DecodeProblem):
            return False
        can_hold_finding = can_hold_finding or _prefilter(load_index)
        if can_hold_finding(text) or may_have_directives(text):
            return False
    return True


def _prefilter(load_index):
    """The fast path's pre-filter: the packaged index, unless the configuration extends
    the knowledge, whose names that index cannot hold."""
    module = sys.modules.get("deploylint.knowledge")  # not imported: nothing is extended
    extended = module.extended() if module is not None else None
    return extended.prefilter_for(None) if extended is not None else load_index()


def _load_config(args, root: Path):
    from deploylint.config import ConfigError, find_config, load_config

    try:
        config = load_config(args.config if args.config else find_config(root))
    except ConfigError as error:
        raise UsageError(str(error)) from None
    # extend-knowledge: loaded now, all or nothing. Without it the knowledge module is not
    # even imported (a pre-commit run over plain files needs only the pre-filter), unless an
    # earlier run in this process extended it, which is then undone.
    if config.extend_knowledge or "deploylint.knowledge" in sys.modules:
        from deploylint.knowledge import extend
        from deploylint.knowledge.extensions import KnowledgeError

        try:
            extend(config.extend_knowledge)
        except KnowledgeError as error:
            raise UsageError(str(error)) from None
    return config


def _options(args, config, root: Path | None = None):
    from deploylint.project import Options

    platforms = args.platforms if args.platforms is not None else config.platforms
    return Options(
        as_of=args.as_of or datetime.date.today(),
        python=args.python or config.python,
        platforms=frozenset(platforms) if platforms is not None else None,
        cache_dir=_cache_dir(args, config, root),
    )


def _cache_dir(args, config, root: Path | None) -> Path | None:
    """--no-cache (or no root given): none; else DEPLOYLINT_CACHE_DIR, the configuration's
    `cache-dir`, or .deploylint_cache at the workspace root."""
    from deploylint.cache import DIRECTORY_NAME

    if root is None or getattr(args, "no_cache", False):
        return None
    if os.environ.get("DEPLOYLINT_CACHE_DIR"):
        return Path(os.environ["DEPLOYLINT_CACHE_DIR"]).absolute()
    return config.cache_dir or root / DIRECTORY_NAME


# Past this many days, what deploylint knows (runtimes' dates, removals) may have moved on.
KNOWLEDGE_SHELF_LIFE_DAYS = 180


def _warn_if_knowledge_is_old(as_of: datetime.date) -> None:
    """One line on stderr when the knowledge base is older than its shelf life on the as-of day:
    not a finding, and the exit status stays what the findings make it."""
    from deploylint.knowledge import knowledge

    checked = datetime.date.fromisoformat(knowledge().as_of)
    age = (as_of - checked).days
    if age > KNOWLEDGE_SHELF_LIFE_DAYS:
        print(
            f"deploylint: warning: its knowledge is {age} days old (as of {checked.isoformat()}): platforms and packages "
            "have moved on since; upgrade deploylint (`pip install -U deploylint`, or a newer `rev` in .pre-commit-config.yaml)",
            file=sys.stderr,
        )


def _show(args) -> int:
    import json

    from deploylint.project import load
    from deploylint.show import describe, render_text
    from deploylint.workspace import Workspace, find_root

    cwd = Path.cwd()
    root = find_root(args.paths, cwd)
    config = _load_config(args, root)
    workspace = Workspace(root)
    project = load(workspace, _subjects(workspace, args.paths, cwd), _options(args, config, root))
    apps = describe(project)
    sys.stdout.write(json.dumps(apps, indent=2) + "\n" if args.output_format == "json" else render_text(apps))
    return EXIT_CLEAN


def _check(args) -> int:
    from deploylint.workspace import find_root

    cwd = Path.cwd()
    root = find_root(args.paths, cwd)
    config = _load_config(args, root)
    if args.add_noqa and (args.fix or args.diff or args.baseline):
        raise UsageError("--add-noqa suppresses the findings as they are; it does not combine with --fix, --diff or --baseline")
    if args.baseline and args.diff:
        raise UsageError("--baseline filters the findings reported; --diff reports none")
    recording = args.baseline is not None and not args.baseline.exists()  # a new baseline needs the full run
    if args.output_format not in ("sarif", "gitlab", "junit", "rdjson") and not (args.add_noqa or recording) and _nothing_to_find(args):
        # What each format says about no findings (SARIF needs the rules, and the
        # CI reports a document of their own even when empty: the full path).
        if args.output_format == "json":
            _emit(args, "[]\n")
        elif args.output_format in ("text", "concise") and not args.statistics:
            _emit(args, "All checks passed!\n")
        else:
            _emit(args, "")
        return EXIT_CLEAN
    from deploylint.checker import Selection, check
    from deploylint.fixes import MAX_PASSES, fix_project
    from deploylint.report import Locator
    from deploylint.suppressions import FileIgnores
    from deploylint.workspace import Workspace

    workspace = Workspace(root)
    subjects = _subjects(workspace, args.paths, cwd)
    options = _options(args, config, root)
    _warn_if_knowledge_is_old(options.as_of)
    # The command line stacks on the configuration, as in ruff.
    configured = Selection(config.select, config.ignore, config.extend_select, below=Selection())
    selection = Selection(args.select, args.ignore, args.extend_select, below=configured)
    file_ignores = FileIgnores(config.per_file_ignores)
    args.unsafe_fixes = args.unsafe_fixes if args.unsafe_fixes is not None else bool(config.unsafe_fixes)

    if args.add_noqa:
        return _add_noqa(args, workspace, subjects, options, selection, config, file_ignores)
    if not (args.fix or args.diff):
        project, diagnostics = check(workspace, subjects, options, selection, file_ignores=file_ignores)
        diagnostics = _apply_baseline(args, diagnostics, project, subjects)
        _report(args, diagnostics, Locator(project, cwd), fixed=[])
        return EXIT_FINDINGS if diagnostics and not args.exit_zero else EXIT_CLEAN

    outcome = fix_project(workspace, subjects, options, selection, unsafe=args.unsafe_fixes, file_ignores=file_ignores)
    for diagnostic in outcome.rolled_back:
        print(f"deploylint: dropped the {diagnostic.code} fix for {diagnostic.span.path}: its result did not parse", file=sys.stderr)
    for diagnostic in outcome.unbuilt:
        print(f"deploylint: no {diagnostic.code} fix could be built for {diagnostic.span.path}; it is left as it is", file=sys.stderr)
    if not outcome.converged:
        print(f"deploylint: fixes did not settle after {MAX_PASSES} passes; nothing was written", file=sys.stderr)
    if args.diff:
        import difflib

        diff = []
        for path, text in sorted(outcome.new_texts.items()):
            before = outcome.original_text(path)
            diff.extend(
                difflib.unified_diff(
                    (before or "").splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    fromfile=f"a/{path}" if before is not None else "/dev/null",
                    tofile=f"b/{path}",
                )
            )
        _emit(args, "".join(diff))
        changed = bool(outcome.new_texts)
        print(f"Would fix {len(outcome.applied)} error{'s' if len(outcome.applied) != 1 else ''}.", file=sys.stderr)
        return EXIT_FINDINGS if changed and not args.exit_zero else EXIT_CLEAN
    if outcome.converged:
        for failure in outcome.write(workspace.root):
            print(f"deploylint: {failure}", file=sys.stderr)
    remaining = _apply_baseline(args, outcome.remaining, outcome.project, subjects)
    _report(args, remaining, Locator(outcome.project, cwd), fixed=outcome.applied if outcome.converged else [])
    changed = bool(outcome.new_texts) and outcome.converged
    return EXIT_FINDINGS if (remaining or changed) and not args.exit_zero else EXIT_CLEAN


def _apply_baseline(args, diagnostics: list, project, subjects: list[str]) -> list:
    """--baseline: record the findings when FILE is new (then none is reported), else drop the recorded ones."""
    if args.baseline is None:
        return diagnostics
    from deploylint import baseline
    from deploylint.fixes import write_atomically

    try:
        recorded = baseline.load(args.baseline)
    except baseline.BaselineError as error:
        raise UsageError(str(error)) from None
    if recorded is None:
        try:
            write_atomically(args.baseline, baseline.render(diagnostics, project.files).encode("utf-8"))
        except OSError as error:
            raise UsageError(f"cannot write the baseline {args.baseline}: {error.strerror or error}") from None
        count = len(diagnostics)
        print(
            f"deploylint: recorded {count} finding{'s' if count != 1 else ''} in the baseline {args.baseline}; "
            "from now on only findings not in it are reported",
            file=sys.stderr,
        )
        return []
    kept, matched = baseline.new_findings(diagnostics, project.files, recorded)
    # Recorded findings of the files checked that are gone: fixed, or changed past recognition.
    checked = set(subjects)
    gone = sum(1 for fingerprint, path in recorded.paths.items() if path in checked and fingerprint not in matched)
    if gone:
        print(
            f"deploylint: {gone} finding{'s' if gone != 1 else ''} recorded in {args.baseline} "
            f"{'are' if gone != 1 else 'is'} gone; delete it and run again to record the findings as they are now",
            file=sys.stderr,
        )
    return kept


def _add_noqa(args, workspace, subjects, options, selection, config, file_ignores) -> int:
    """--add-noqa: suppress every current finding in place, then check again and report what is left."""
    import json

    from deploylint import add_noqa
    from deploylint.checker import check
    from deploylint.fixes import FixOutcome
    from deploylint.report import Locator
    from deploylint.suppressions import FileIgnores
    from deploylint.text import DecodeProblem
    from deploylint.workspace import Workspace

    project, diagnostics = check(workspace, subjects, options, selection, file_ignores=file_ignores)
    plan = add_noqa.plan(diagnostics, project.files)
    new_texts = dict(plan.new_texts)
    originals = {path: project.files[path] for path in new_texts}
    target = add_noqa.config_target(config.path, workspace.root) if plan.file_ignores else None
    if target is not None:
        try:
            original = add_noqa.read_config(target)
            text = add_noqa.with_file_ignores(original.text if original else None, plan.file_ignores, target.name == "pyproject.toml")
        except (OSError, DecodeProblem):
            text = None
        if text is None:
            print(f"deploylint: could not add to the per-file-ignores of {target}; add these entries by hand:", file=sys.stderr)
            for key, codes in plan.file_ignores.items():
                print(f"  {json.dumps(key)} = {json.dumps(codes)}", file=sys.stderr)
        else:
            relative = add_noqa.relative(target, workspace.root)
            new_texts[relative] = text
            originals[relative] = original
    for failure in FixOutcome(project, [], new_texts, originals).write(workspace.root):
        print(f"deploylint: {failure}", file=sys.stderr)
    entries = sum(len(codes) for codes in plan.file_ignores.values()) if target is not None and text is not None else 0
    print(
        f"Added {plan.directives_added} suppression comment{'s' if plan.directives_added != 1 else ''}"
        + (f", and {entries} code{'s' if entries != 1 else ''} to the per-file-ignores of {os.path.relpath(target)}" if entries else "")
        + ".",
        file=sys.stderr,
    )
    # Check again as the next run will: the configuration re-read, the files from disk.
    config = _load_config(args, workspace.root)
    workspace = Workspace(workspace.root)
    project, remaining = check(workspace, subjects, options, selection, file_ignores=FileIgnores(config.per_file_ignores))
    _report(args, remaining, Locator(project, Path.cwd()), fixed=[])
    return EXIT_FINDINGS if remaining and not args.exit_zero else EXIT_CLEAN


def _report(args, diagnostics, locator, *, fixed: list) -> None:
    from deploylint import report

    if args.output_format in ("json", "json-lines", "sarif"):
        from deploylint.diagnostics import settle_fixes

        settle_fixes(diagnostics)  # these formats carry each fix's edits
    colour = args.output_file is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    rendered = report.render(
        args.output_format,
        diagnostics,
        locator,
        unsafe=args.unsafe_fixes,
        fixed=fixed,
        statistics=args.statistics,
        show_fixes=args.show_fixes,
        colour=colour,
    )
    _emit(args, rendered)


def _emit(args, output: str) -> None:
    if args.output_file is None:
        sys.stdout.write(output)
        return
    from deploylint.fixes import write_atomically

    try:
        write_atomically(args.output_file, output.encode("utf-8"))
    except OSError as error:
        raise UsageError(f"cannot write {args.output_file}: {error.strerror or error}") from None
