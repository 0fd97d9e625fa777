"""What ``tef --version`` prints: the harness, the Python running it, and every distribution
that registers checks, read from installed metadata (no check module is imported)."""

from __future__ import annotations

import sys
from importlib.metadata import entry_points

from tef_harness import __version__
from tef_harness.engine.registry import GROUP


def version_lines() -> list[str]:
    """``tef-harness 0.1.0``, ``Python 3.11.9``, then ``checks: <distribution> <version>
    (<n> checks)`` per distribution registering entry points in the checks group, by name."""
    counts: dict[tuple[str, str], int] = {}
    for ep in entry_points(group=GROUP):
        dist = ep.dist
        key = (dist.name, dist.version) if dist is not None else ("(unknown distribution)", "?")
        counts[key] = counts.get(key, 0) + 1
    lines = [f"tef-harness {__version__}", f"Python {sys.version.split()[0]}"]
    for (name, version), n in sorted(counts.items()):
        lines.append(f"checks: {name} {version} ({n} check{'s' if n != 1 else ''})")
    return lines
