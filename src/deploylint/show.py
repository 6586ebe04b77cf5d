"""`deploylint show`: what deploylint believes each app's builders do.

Per app: each platform, the Python it runs and the file that decided it, the
dependency files it installs and why those, and the versions they allow. It
is how a user learns why a finding fires (as `ruff check --show-settings`
teaches ruff users), and what to change when deploylint has it wrong.
"""

from __future__ import annotations

from packaging.utils import canonicalize_name

from deploylint import versions


def describe(project) -> list[dict]:
    """Every unit as plain data, for text and JSON alike."""
    apps = []
    for unit in project.units:
        installs = []
        for install in unit.installs():
            deployment = install.deployment
            installs.append(
                {
                    "platform": deployment.platform if deployment else ("github-actions" if install.ci else None),
                    "label": install.label,
                    "python": install.python,
                    "python_from": _where(project, install.python_declared.span, install.python_declared.source) if install.python_declared else None,
                    "installs": list(install.files),
                    "inline": [str(fact.requirement) for fact in install.facts if fact.span.path not in install.files],
                    "why": install.chosen_by,
                    "chosen_at": _where(project, install.chosen_at, None) if install.chosen_at else None,
                    "ships": "nothing: a CI job runs the tests" if install.ci else _ships(deployment),
                    "versions": _versions(install),
                }
            )
        apps.append({"app": unit.root or ".", "installs": installs})
    return apps


def _where(project, span, source) -> dict:
    file = project.files.get(span.path)
    line, column = file.position(span.start) if file else (1, 1)
    found = {"file": span.path, "line": line, "column": column}
    if source:
        found["source"] = source
    return found


def _ships(deployment) -> str:
    if deployment is None:
        return "every file of the app"
    ships = deployment.ships
    if ships is None:
        return "every file of the app"
    context = ships.context or "."
    if ships.sources is None:
        return f"the build context {context}" + (" less .dockerignore" if ships.ignore else "")
    return f"from {context}: {', '.join(ships.sources) or 'nothing'}"


def _versions(install) -> dict[str, str]:
    """Each package the install names, and the versions it can get on its Python."""
    found: dict[str, str] = {}
    for name in dict.fromkeys(fact.name for fact in install.requirement_facts()):
        constraints = install.constraints(name)
        if not versions.satisfiable(constraints):
            found[name] = "none: the requirements contradict each other"
            continue
        shown = ",".join(sorted({str(spec) for specs in constraints for spec in specs}))
        found[canonicalize_name(name)] = shown or "any (the newest release)"
    return found


def render_text(apps: list[dict]) -> str:
    lines = []
    for app in apps:
        lines.append(f"app {app['app']}")
        if not app["installs"]:
            lines.append("  no deployment and no dependency file")
        for install in app["installs"]:
            python = f"Python {install['python']}" if install["python"] else "an unknown Python"
            origin = install["python_from"]
            decided = f" (from {origin['source']}, {origin['file']}:{origin['line']})" if origin else (" (its default)" if install["python"] and install["platform"] else "")
            lines.append(f"  {install['label']}: {python}{decided}")
            files = ", ".join(install["installs"]) or "no dependency file"
            lines.append(f"    installs: {files}")
            if install["inline"]:
                lines.append(f"    and inline: {', '.join(install['inline'])}")
            if install["why"]:
                at = install["chosen_at"]
                lines.append(f"    because: {install['why']}" + (f" ({at['file']}:{at['line']})" if at else ""))
            lines.append(f"    ships: {install['ships']}")
            if install["versions"]:
                lines.append("    allows: " + "; ".join(f"{name} {spec}" for name, spec in install["versions"].items()))
    return "\n".join(lines) + "\n"
