"""The terminal summary as a renderer (entry point ``console`` in ``tef_harness.renderers``):
what ``tef check`` prints on stderr after the run, and, with ``--format console``, the same
text without colour in ``summary.txt``.

It adapts to the width it is given: from :data:`TABLE_MIN_WIDTH` columns a table (check,
status, outcome, why or the key value), below that one block per check (status and outcome,
then the check id whole on its own line, then the reason wrapped under it), so a check id is
never cut or folded mid-word, in a CI log or on a phone-sized terminal. The outcome is the
shared status-to-outcome table's (``reports/outcomes.py``), so the terminal never shows
"pass" where JUnit shows a failure. A TEF operator replaces this look by registering their
own ``console`` renderer (it is looked up through the registry like every format).
"""

from __future__ import annotations

import io
from typing import ClassVar

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from tef_harness.reports.coverage import partial_detail, reasons_besides_partial
from tef_harness.reports.outcomes import insufficient_evidence_gate, outcome_for
from tef_harness.reports.readable import reason_of
from tef_harness.reports.schema import ConformityReport
from tef_harness.reports.views import headline

#: narrower than this, the summary is one block per check instead of a table
TABLE_MIN_WIDTH = 100
STYLE = {
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
OUTCOME_STYLE = {"pass": "green", "failure": "bold red", "error": "bold red", "skipped": "dim"}


def render_console(report: ConformityReport, *, width: int = 100, color: bool = False, where: str = "") -> str:
    """The summary as text ``width`` columns wide (ANSI colours when ``color``); ``where``:
    the report's path, named on the last line."""
    buf = io.StringIO()
    out = Console(file=buf, width=width, force_terminal=color, no_color=not color, highlight=False, soft_wrap=False)
    gate = insufficient_evidence_gate(report)
    rows = []
    for r in report.results:
        why = reason_of(r) or (headline(r) if r.status.value in ("passed", "waived") else "")
        rows.append((r.check_id, r.status.value, outcome_for(r, gate).outcome.value, why))
    if width >= TABLE_MIN_WIDTH:
        table = Table(show_lines=False, expand=False, width=width)
        table.add_column("check", no_wrap=True)
        table.add_column("status", no_wrap=True)
        table.add_column("outcome", no_wrap=True)
        table.add_column("why / key value", overflow="fold")
        for check_id, status, outcome, why in rows:
            table.add_row(
                check_id,
                Text(status, style=STYLE.get(status, "")),
                Text(outcome, style=OUTCOME_STYLE.get(outcome, "")),
                why,
            )
        out.print(table, crop=False)
    else:
        for check_id, status, outcome, why in rows:
            line = Text()
            line.append(status, style=STYLE.get(status, ""))
            line.append(" · ")
            line.append(outcome, style=OUTCOME_STYLE.get(outcome, ""))
            out.print(line)
            # the id on its own line: rich never breaks a word shorter than the width
            out.print(Text("  " + check_id, style="bold"), overflow="fold")
            if why:
                out.print(Padding(Text(why), (0, 0, 0, 4)), overflow="fold")
    for f in report.plugin_failures:
        out.print(Text.assemble(("plugin failed to load", "bold red"), f": {f.entry_point}: {f.error}"))
    for w in report.warnings:
        out.print(Text.assemble(("warning", "yellow"), f": {w}"))
    v = report.verdict.value
    # a partial run (--only) says so beside the word, in the colour of a caution
    # (said once: the reason that names the checks left out is folded into the qualifier)
    partial = partial_detail(report)
    reasons = reasons_besides_partial(report) if partial else report.verdict_reasons
    out.print(
        Text.assemble(
            "verdict: ",
            (v, STYLE[v]),
            (f" ({partial})", "bold yellow") if partial else "",
            f" ({'; '.join(reasons)})" if reasons else "",
        )
    )
    if where:
        out.print(f"report: {where}", overflow="fold")
    # padding fills lines to the width; a log needs no trailing blanks
    return "".join(line.rstrip() + "\n" for line in buf.getvalue().splitlines())


class ConsoleRenderer:
    """``render`` gives plain text 100 columns wide (``summary.txt``); ``for_terminal`` the
    same renderer set to a terminal's width and colours."""

    name: ClassVar[str] = "console"
    filename: ClassVar[str] = "summary.txt"

    def __init__(self, width: int = 100, color: bool = False, where: str = "") -> None:
        self.width, self.color, self.where = width, color, where

    def unavailable(self) -> str | None:
        return None

    def for_terminal(self, width: int, color: bool, where: str) -> ConsoleRenderer:
        return ConsoleRenderer(width, color, where)

    def render(self, report: ConformityReport) -> str:
        return render_console(report, width=self.width, color=self.color, where=self.where)
