"""The report folder sink: render every selected format, then write each file atomically.

Every renderer runs before the first file is written, so a renderer that raises leaves the
folder as it was (no new HTML beside an old JSON). Each write is atomic (``files.py``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from tef_harness.reports.renderers.registry import Renderer
from tef_harness.reports.schema import ConformityReport
from tef_harness.reports.sinks.files import write_atomic, write_atomic_bytes


@dataclass(frozen=True)
class Written:
    name: str
    path: Path
    bytes: int
    seconds: float


def render_all(report: ConformityReport, renderers: list[Renderer]) -> list[tuple[Renderer, str | bytes, float]]:
    """Run every renderer (pure), timing each."""
    out = []
    for r in renderers:
        t0 = time.perf_counter()
        content = r.render(report)
        out.append((r, content, time.perf_counter() - t0))
    return out


def write_outputs(report: ConformityReport, renderers: list[Renderer], folder: Path) -> list[Written]:
    """Render, then write ``folder/<renderer.filename>`` for each; returns what was written."""
    rendered = render_all(report, renderers)
    written = []
    for r, content, seconds in rendered:
        path = folder / r.filename
        if isinstance(content, bytes):
            write_atomic_bytes(path, content)
        else:
            write_atomic(path, content)
        written.append(Written(r.name, path, path.stat().st_size, seconds))
    return written
