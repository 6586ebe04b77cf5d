"""Reasoning about the versions a set of specifiers allows, with no index at hand.

Specifier sets are intersections of intervals, so whether several of them can
all be met is decided by probing every boundary version they mention, plus a
point just above and just below each: if any interval of the intersection is
non-empty, one of those probes falls inside it.
"""

from __future__ import annotations

from collections.abc import Iterable

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

_FAR_BELOW = Version("0")
_FAR_ABOVE = Version("99999999")


def _neighbours(version: Version) -> list[Version]:
    release = list(version.release)
    above = Version(".".join(map(str, release + [0, 1])))
    below: Version | None = None
    for index in range(len(release) - 1, -1, -1):
        if release[index] > 0:
            lowered = release[:index] + [release[index] - 1] + [99999999]
            below = Version(".".join(map(str, lowered)))
            break
    return [v for v in (version, above, below) if v is not None]


def probes(specifier_sets: Iterable[SpecifierSet]) -> list[Version]:
    found = {_FAR_BELOW, _FAR_ABOVE}
    for specifier_set in specifier_sets:
        for specifier in specifier_set:
            text = specifier.version.rstrip(".*")
            try:
                version = Version(text)
            except InvalidVersion:
                continue
            found.update(_neighbours(Version(version.base_version)))
            found.add(version)
    return sorted(found)


def satisfiable(specifier_sets: list[SpecifierSet]) -> bool:
    """Can one version meet every set? Arbitrary equality (===) is assumed met."""
    sets = [s for s in specifier_sets if not any(spec.operator == "===" for spec in s)]
    if not sets:
        return True
    return any(all(s.contains(v, prereleases=True) for s in sets) for v in probes(sets))


def guarantees(specifier_sets: list[SpecifierSet], bound: SpecifierSet) -> bool:
    """Do the sets allow some version, and only versions inside `bound`?"""
    if not satisfiable(specifier_sets):
        return False
    return all(
        bound.contains(v, prereleases=True)
        for v in probes([*specifier_sets, bound])
        if all(s.contains(v, prereleases=True) for s in specifier_sets)
    )


def exact_pin(specifier_set: SpecifierSet) -> Version | None:
    """The version of `==X.Y.Z` (no wildcard), else None."""
    specs = list(specifier_set)
    if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
        try:
            return Version(specs[0].version)
        except InvalidVersion:
            return None
    return None
