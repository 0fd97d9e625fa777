"""Human output on stderr: progress while checks run, then a summary table.

stdout is left to data (``--json``, ``list-checks --format json``), so a pipe never has to
filter progress lines out.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.status import Status as Spinner
from rich.table import Table

from tef_harness.reports.renderers.console_summary import STYLE as _STYLE
from tef_harness.reports.schema import ConformityReport
from tef_harness.sdk.results import CheckResult

stderr = Console(stderr=True, highlight=False, soft_wrap=False)


class ProgressPrinter:
    """A spinner naming the running check (on a terminal) and one line per finished check."""

    def __init__(self) -> None:
        self._spinner: Spinner | None = None
        self._t0 = 0.0

    def __enter__(self) -> ProgressPrinter:
        if stderr.is_terminal:
            self._spinner = stderr.status("starting")
            self._spinner.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._spinner is not None:
            self._spinner.stop()

    def update(self, check_id: str, result: CheckResult | None) -> None:
        if result is None:
            self._t0 = time.perf_counter()
            if self._spinner is not None:
                self._spinner.update(f"running {check_id}")
            return
        style = _STYLE.get(result.status.value, "")
        took = time.perf_counter() - self._t0
        stderr.print(f"  [{style}]{result.status.value:<22}[/] {check_id} [dim]({took:.1f}s)[/]")


def summary_width() -> int:
    """The terminal's width; off a terminal (a CI log) COLUMNS, else 160: rich would assume 80
    there and a long check id would not fit beside its reason."""
    if stderr.is_terminal:
        return stderr.width
    try:
        return max(40, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return 160


def print_summary(report: ConformityReport, path: Path) -> None:
    """The ``console`` renderer's text on stderr, at the terminal's width (a plugin may
    replace the built-in one through the entry-point group)."""
    from tef_harness.reports.renderers.console_summary import ConsoleRenderer
    from tef_harness.reports.renderers.registry import discover_renderers

    found, _ = discover_renderers()
    renderer = found.get("console")
    if renderer is None or renderer.unavailable() is not None:
        renderer = ConsoleRenderer()
    for_terminal = getattr(renderer, "for_terminal", None)
    if callable(for_terminal):
        renderer = for_terminal(summary_width(), stderr.is_terminal, str(path))
    text = renderer.render(report)
    sys.stderr.write(text if isinstance(text, str) else text.decode("utf-8", "replace"))


def print_check_table(rows: list[dict[str, Any]], failures: list[dict[str, str]]) -> None:
    """The ``tef list-checks`` table on stdout, at the terminal's width (off a terminal,
    COLUMNS, else rich's 80). An id is what a user copies into ``--only``: it is never cut; the
    other columns wrap. Too narrow for a table beside the longest id, each check is a block:
    its id on a line of its own, the other fields indented below it."""
    out = Console(highlight=False)
    id_width = max((len(r["id"]) for r in rows), default=2)
    fields = [
        (
            r["id"],
            r["title"],
            ", ".join(r["requires"]),
            ", ".join(r["evidence_for"]),
            f"{r['distribution']} {r['version']}",
        )
        for r in rows
    ]
    # 6 borders and 2 padding per column, and room for the four other columns to wrap in
    if out.width >= id_width + 16 + 4 * 10:
        table = Table()
        table.add_column("id", no_wrap=True, min_width=id_width)
        for col in ("title", "requires", "evidence for", "from"):
            table.add_column(col, overflow="fold")
        for row in fields:
            table.add_row(*row)
        out.print(table)
    else:
        import textwrap

        for check_id, title, requires, evidence, source in fields:
            lines = [check_id]  # whole, however narrow: it is what --only takes
            labelled = (("title", title), ("requires", requires), ("evidence for", evidence), ("from", source))
            for label, value in labelled:
                if value:
                    lines += textwrap.wrap(
                        f"{label}: {value}", width=out.width, initial_indent="  ", subsequent_indent="    "
                    )
            out.print("\n".join(lines), markup=False, highlight=False, crop=False, soft_wrap=True)
    for f in failures:
        stderr.print(f"[bold red]failed to load[/] {f['name']} ({f['distribution']}): {f['error']}")
