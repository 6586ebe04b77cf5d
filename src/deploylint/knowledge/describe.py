"""`deploylint knowledge TOPIC`: what deploylint knows about a package or platform, with sources."""

from __future__ import annotations

from packaging.utils import canonicalize_name

from deploylint.knowledge import Knowledge

PLATFORMS = ("vercel", "nixpacks", "railpack", "heroku", "render", "netlify", "docker", "lambda", "app-engine", "github-actions", "python")


def topics(knowledge: Knowledge) -> list[str]:
    packages = {api.package for api in knowledge.removed_apis if api.package != "python"}
    packages |= {r.package for r in knowledge.requires} | set(knowledge.numpy2_abi) | {s.package for s in knowledge.python_support}
    packages |= {b.package for b in knowledge.breaks_with}
    return sorted(packages) + list(PLATFORMS)


def describe(knowledge: Knowledge, topic: str) -> str | None:
    """The report for `topic`, or None when deploylint knows nothing about it."""
    name = topic.lower()
    if name in ("aws-lambda", "aws_lambda"):
        name = "lambda"
    if name in PLATFORMS:
        lines = _platform(knowledge, name)
    else:
        lines = _package(knowledge, canonicalize_name(topic))
    if not lines:
        return None
    return "\n".join([f"{topic} (knowledge as of {knowledge.as_of})", *lines]) + "\n"


def _package(knowledge: Knowledge, package: str) -> list[str]:
    lines: list[str] = []
    removals = sorted((a for a in knowledge.removed_apis if a.package == package), key=lambda a: (a.removed_in, a.qualified_name))
    if removals:
        lines.append("\nRemoved names (DPL401):")
        for api in removals:
            restored = f", restored in {api.restored_in}" if api.restored_in else ""
            fix = f"; fix: {api.fix}" if api.fix else ""
            shown = api.qualified_name.replace("().", ".")
            lines.append(f"  {api.removed_in}{restored}  {shown} -> {api.replacement}{fix}")
            lines.append(f"      {api.source}{_origin(api.origin)}")
    requires = [r for r in knowledge.requires if r.package == package]
    if requires:
        lines.append("\nDeclared requirements (DPL303):")
        for entry in requires:
            lines.append(f"  {package}{entry.versions} requires {', '.join(map(str, entry.requires))}")
            lines.append(f"      {entry.source}")
    abi = [(p, a) for p, a in knowledge.numpy2_abi.items() if p == package or package == "numpy"]
    if abi:
        lines.append("\nFirst release built against NumPy 2 (DPL301):")
        for name, entry in sorted(abi):
            lines.append(f"  {name} {entry.first_numpy2_build}")
            lines.append(f"      {entry.source}")
    support = sorted((s for s in knowledge.python_support if s.package == package), key=lambda s: s.python)
    if support:
        lines.append("\nPython support (DPL302):")
        for entry in support:
            if entry.first:
                what = f"first release for Python {entry.python}: {entry.first}"
            elif entry.last:
                what = f"last release for Python {entry.python}: {entry.last}"
            else:
                what = f"dropped Python {entry.python} in {entry.dropped_in}"
            lines.append(f"  {what} ({entry.why})")
            lines.append(f"      {entry.source}{_origin(entry.origin)}")
    breaks = [b for b in knowledge.breaks_with if b.package == package or canonicalize_name(b.other.name) == package]
    if breaks:
        lines.append("\nInstalls, then fails at import (DPL304):")
        for entry in breaks:
            lines.append(f"  {entry.package}{entry.versions} with {entry.other}: {entry.symptom}")
            lines.append(f"      {entry.source}")
    return lines


def _platform(knowledge: Knowledge, platform: str) -> list[str]:
    if platform == "python":
        lines = ["\nEnd of life (DPL101):"]
        for release in knowledge.python_releases.values():
            lines.append(f"  {release.version}: {release.end_of_life_text}")
            lines.append(f"      {release.source}")
        removals = sorted((a for a in knowledge.removed_apis if a.package == "python"), key=lambda a: (a.removed_in, a.qualified_name))
        lines.append("\nStandard-library removals (DPL402):")
        for api in removals:
            lines.append(f"  {api.removed_in}  {api.qualified_name} -> {api.replacement}")
            lines.append(f"      {api.source}")
        return lines
    data = {
        "vercel": knowledge.vercel,
        "nixpacks": knowledge.nixpacks,
        "railpack": knowledge.railpack,
        "heroku": knowledge.heroku,
        "render": knowledge.render,
        "netlify": knowledge.netlify,
        "docker": knowledge.docker,
        "github-actions": knowledge.github_actions,
        "lambda": {"runtime": knowledge.lambda_runtimes},
        "app-engine": {"runtime": knowledge.app_engine_runtimes},
    }[platform]
    lines: list[str] = []
    _flatten(data, "", lines)
    return lines + _minimums(knowledge, platform)


def _minimums(knowledge: Knowledge, platform: str) -> list[str]:
    """The platform's minimum Python from extend-knowledge files."""
    minimums = [m for m in knowledge.platform_minimums if m.platform == platform]
    if not minimums:
        return []
    lines = ["\nMinimum Python (DPL101):"]
    for entry in minimums:
        why = f" ({entry.why})" if entry.why else ""
        lines.append(f"  {entry.python}{why}")
        lines.append(f"      {entry.source}{_origin(entry.origin)}")
    return lines


def _origin(origin: str | None) -> str:
    """Where a team's own entry came from; the packaged ones say nothing."""
    return f"  (from {origin})" if origin else ""


def _flatten(value, prefix: str, lines: list[str]) -> None:
    """Nested platform data as `key: value` lines, each table's source under it."""
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else key, lines)
    elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        for item in value:
            facts = ", ".join(f"{k}={v}" for k, v in item.items() if k != "source")
            lines.append(f"  {prefix}: {facts}")
            if "source" in item:
                lines.append(f"      {item['source']}")
    else:
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        lines.append(f"  {prefix}: {shown}")
