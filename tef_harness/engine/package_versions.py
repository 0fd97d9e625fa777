"""The package versions a report records: those of the distributions behind the checks that ran.

A fixed list of libraries (what the built-in families happened to use) leaves a plugin's own
dependencies unrecorded and records libraries no check of this run touched. So the list is
derived: each check that ran was registered by a distribution (its entry point's); that
distribution's ``Requires-Dist`` names what its checks may import, and each name resolves to
the version installed here.

Only the unconditional requirements count. A requirement behind an optional extra
(``extra == "art"``) is left out even when installed: whether it is installed says nothing
about this run (the ``dev`` extra's test tools are installed wherever tests run), and any
rule based on what happens to be imported would make two runs of the same audit (a notebook,
the CLI) record different lists. Markers other than ``extra`` (``python_version``) are not
evaluated: a requirement that does not apply here is not installed, and an uninstalled one is
left out. Nothing is imported to find a version; it is read from installed metadata.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, distribution

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EXTRA = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


def canonical(name: str) -> str:
    """PEP 503 normalisation: ``Scikit_Learn`` -> ``scikit-learn``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements_of(dist_name: str) -> list[tuple[str, str | None]]:
    """(canonical requirement name, extra or None) for each ``Requires-Dist`` of an installed
    distribution, in declared order; [] when it is not installed (a plugin loaded from a path)."""
    try:
        dist = distribution(dist_name)
    except PackageNotFoundError:
        return []
    found = []
    for line in dist.requires or []:
        m = _NAME.match(line)
        if not m:
            continue
        _, _, marker = line.partition(";")
        extra = _EXTRA.search(marker)
        found.append((canonical(m.group(1)), extra.group(1) if extra else None))
    return found


def _installed_version(name: str) -> str | None:
    try:
        return distribution(name).version
    except PackageNotFoundError:
        return None


def recorded_versions(check_distributions: Iterable[str]) -> dict[str, str]:
    """``{package: installed version}`` for the unconditional requirements of the given
    distributions (those whose entry points provided the checks that ran), sorted by name."""
    names: set[str] = set()
    for dist_name in set(check_distributions):
        for req, extra in requirements_of(dist_name):
            if extra is None:
                names.add(req)
    found = {}
    for name in sorted(names):
        v = _installed_version(name)
        if v is not None:
            found[name] = v
    return found
