"""Human output on stderr: progress while checks run, then a summary table.

stdout is left to data (``--json``, ``list-checks --format json``), so a pipe never has to
filter progress lines out.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.status import Status as Spinner
from rich.table import Table

from tef_harness.reports.schema import ConformityReport
from tef_harness.sdk.results import CheckResult

_STYLE = {
    "passed": "green",
    "failed": "bold red",
    "waived": "yellow",
    "insufficient_evidence": "magenta",
    "not_applicable": "dim",
    "error": "bold red",
    "conformant": "bold green",
    "non_conformant": "bold red",
    "incomplete": "bold yellow",
}
_OUTCOME_STYLE = {"pass": "green", "failure": "bold red", "error": "bold red", "skipped": "dim"}

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


def print_summary(report: ConformityReport, path: Path) -> None:
    from tef_harness.reports.outcomes import insufficient_evidence_gate, outcome_for
    from tef_harness.reports.views import headline

    # A CI log is not a terminal, and rich would assume 80 columns there and fold check ids
    # mid-word: ids and statuses never wrap, and off a terminal the table gets 160 columns
    # unless COLUMNS says otherwise.
    width = None if stderr.is_terminal or os.environ.get("COLUMNS") else 160
    table = Table(title=None, show_lines=False, expand=False, width=width)
    table.add_column("check", no_wrap=True)
    table.add_column("status", no_wrap=True)
    # the outcome column is the shared status-to-outcome table (reports/outcomes.py), the one
    # JUnit and the pytest plugin use, so the terminal never shows "pass" where CI shows a failure
    table.add_column("outcome", no_wrap=True)
    table.add_column("why / key value", overflow="fold")
    gate = insufficient_evidence_gate(report)
    for r in report.results:
        why = r.reason or (headline(r) if r.status.value in ("passed", "waived") else "")
        outcome = outcome_for(r, gate).outcome.value
        table.add_row(
            r.check_id,
            f"[{_STYLE.get(r.status.value, '')}]{r.status.value}[/]",
            f"[{_OUTCOME_STYLE.get(outcome, '')}]{outcome}[/]",
            why,
        )
    stderr.print(table, width=width, crop=False)
    for f in report.plugin_failures:
        stderr.print(f"[bold red]plugin failed to load[/]: {f.entry_point}: {f.error}")
    for w in report.warnings:
        stderr.print(f"[yellow]warning[/]: {w}")
    v = report.verdict.value
    stderr.print(f"verdict: [{_STYLE[v]}]{v}[/] ({'; '.join(report.verdict_reasons)})", soft_wrap=True)
    stderr.print(f"report: {path}")


def print_check_table(rows: list[dict[str, Any]], failures: list[dict[str, str]]) -> None:
    out = Console(highlight=False)
    table = Table()
    for col in ("id", "title", "requires", "evidence for", "from"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            r["id"],
            r["title"],
            ", ".join(r["requires"]),
            ", ".join(r["evidence_for"]),
            f"{r['distribution']} {r['version']}",
        )
    out.print(table)
    for f in failures:
        stderr.print(f"[bold red]failed to load[/] {f['name']} ({f['distribution']}): {f['error']}")
