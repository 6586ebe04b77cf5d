"""`--baseline FILE`: adopt deploylint on an old repository without comments.

The first run records the current findings into FILE; later runs report only
the findings not recorded there (ESLint's, detekt's and Psalm's baselines).
A finding is recorded by a fingerprint that survives lines moving above it:
a hash of its path, code, message and the source text it points at, never its
line, with an occurrence index telling apart identical findings in one file
(two `import imp` lines). Line numbers a message quotes are left out of the
hash for the same reason.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from deploylint.diagnostics import Diagnostic
from deploylint.text import SourceText

FORMAT = 1


class BaselineError(Exception):
    """The baseline file cannot be read: a usage error, never silently an empty baseline."""


@dataclass(frozen=True)
class Baseline:
    fingerprints: frozenset[str]
    paths: dict[str, str]  # fingerprint -> path, to tell which recorded findings a run could have seen


# `requirements.txt:3`, `Dockerfile:5:1`: a location quoted in a message moves with its lines.
_LOCATION = re.compile(r"(?<=[\w.)\]/-]):\d+(?::\d+)?(?=[)\s,;]|$)")


def fingerprints(diagnostics: list[Diagnostic], files: dict[str, SourceText]) -> list[str]:
    """One fingerprint for each diagnostic, in their order."""
    seen: dict[str, int] = {}
    # Occurrences count in reading order, whatever order the caller holds them in.
    order = sorted(range(len(diagnostics)), key=lambda index: diagnostics[index].sort_key())
    result: list[str] = [""] * len(diagnostics)
    for index in order:
        diagnostic = diagnostics[index]
        base = _hash(diagnostic.span.path, diagnostic.code, _LOCATION.sub("", diagnostic.message), _source(diagnostic, files))
        occurrence = seen.get(base, 0)
        seen[base] = occurrence + 1
        result[index] = _hash(base, str(occurrence))
    return result


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _source(diagnostic: Diagnostic, files: dict[str, SourceText]) -> str:
    """The text the finding points at, blanks normalised; its line when it points at no text."""
    file = files.get(diagnostic.span.path)
    if file is None:
        return ""
    text = file.text[diagnostic.span.start : diagnostic.span.end]
    if not text.strip():
        start, end = file.line_span(file.position(diagnostic.span.start)[0])
        text = file.text[start:end]
    return " ".join(text.split())


def load(path: Path) -> Baseline | None:
    """The recorded findings; None when the file does not exist yet."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise BaselineError(f"cannot read the baseline {path}: {error.strerror or error}") from None
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise BaselineError(f"{path} is not a deploylint baseline: not JSON ({error})") from None
    if not isinstance(document, dict) or document.get("deploylint-baseline") != FORMAT:
        raise BaselineError(f'{path} is not a deploylint baseline: it needs "deploylint-baseline": {FORMAT}')
    findings = document.get("findings")
    if not isinstance(findings, list) or not all(
        isinstance(item, dict) and isinstance(item.get("fingerprint"), str) and isinstance(item.get("path"), str) for item in findings
    ):
        raise BaselineError(f'{path} is not a deploylint baseline: "findings" must be a list of objects with a "fingerprint" and a "path"')
    return Baseline(frozenset(item["fingerprint"] for item in findings), {item["fingerprint"]: item["path"] for item in findings})


def render(diagnostics: list[Diagnostic], files: dict[str, SourceText]) -> str:
    """The baseline file: the findings sorted by path and code, so it diffs well when re-recorded."""
    entries = [
        {"path": d.span.path, "code": d.code, "message": d.message, "fingerprint": fingerprint}
        for d, fingerprint in zip(diagnostics, fingerprints(diagnostics, files))
    ]
    entries.sort(key=lambda entry: (entry["path"], entry["code"], entry["message"], entry["fingerprint"]))
    return json.dumps({"deploylint-baseline": FORMAT, "findings": entries}, indent=2, ensure_ascii=False) + "\n"


def new_findings(diagnostics: list[Diagnostic], files: dict[str, SourceText], baseline: Baseline) -> tuple[list[Diagnostic], set[str]]:
    """The diagnostics the baseline does not hold, and the fingerprints it holds that matched."""
    kept, matched = [], set()
    for diagnostic, fingerprint in zip(diagnostics, fingerprints(diagnostics, files)):
        if fingerprint in baseline.fingerprints:
            matched.add(fingerprint)
        else:
            kept.append(diagnostic)
    return kept, matched
