"""What the PDF shows of a check: the rows an auditor needs, the full tables stay in the HTML.

WeasyPrint lays out every table cell twice (its minimum and maximum content width, then the
line boxes), so the PDF's render time grew with the report's longest tables: 491 table rows
and 14 inline SVG plots (about 3,500 SVG elements, each one styled by the CSS cascade as an
HTML element) took 6.7 s of CPU for the demo. The printed document therefore keeps, per check:

1. every threshold that failed, was waived or could not be tested, and the first
   :data:`PASSED_THRESHOLDS` that passed (the judgement is the thresholds);
2. the metrics a threshold names, then others up to :data:`METRICS` rows;
3. the :data:`FINDINGS` most severe findings, in reading order (``finding_order.py``);
4. the first :data:`TABLE_ROWS` rows of each view table;
5. the first :data:`PRINTED_EXAMPLES` tables of example rows;

and says, under each cut table, how many rows report.html holds. Checks that were not
applicable get no page of their own: the summary table lists them with the reason.
The plots are the same SVG as in the HTML page, embedded as images (``<img>`` with a data
URI), so WeasyPrint parses them as one image each instead of thousands of styled elements.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from tef_harness.reports.finding_order import reading_order
from tef_harness.reports.views import TableView
from tef_harness.sdk.results import CheckResult

PASSED_THRESHOLDS = 6
METRICS = 6
FINDINGS = 6
TABLE_ROWS = 5
#: example-row tables per check in print (each is up to 5 rows by 12 cells)
PRINTED_EXAMPLES = 2

_T = TypeVar("_T")


@dataclass(frozen=True)
class Rows:
    """Rows of one table (screen: all of them; print: the cut), and how many there are in all."""

    shown: tuple[Any, ...]
    total: int
    #: the file that holds every row
    where: str = "report.html"

    @property
    def note(self) -> str:
        hidden = self.total - len(self.shown)
        return f"{len(self.shown)} of {self.total} shown here; {self.where} holds them all" if hidden else ""


def _rows(items: Sequence[_T], keep: Sequence[_T]) -> Rows:
    return Rows(tuple(keep), len(items))


def thresholds_for_print(result: CheckResult) -> Rows:
    items = result.thresholds
    attention = [t for t in items if not t.passed]
    passed = [t for t in items if t.passed][:PASSED_THRESHOLDS]
    keep: set[int] = {id(t) for t in attention + passed}
    return _rows(items, [t for t in items if id(t) in keep])


def metrics_for_print(result: CheckResult) -> Rows:
    items = result.metrics
    judged = {t.metric for t in result.thresholds}
    first = [m for m in items if m.name in judged]
    rest = [m for m in items if m.name not in judged]
    chosen = {id(m) for m in (first + rest)[:METRICS]}
    return _rows(items, [m for m in items if id(m) in chosen])


def findings_for_print(result: CheckResult) -> Rows:
    """The :data:`FINDINGS` first in reading order (most severe first, a finding that explains
    others before them: ``finding_order.py``)."""
    return _rows(result.findings, reading_order(result.findings)[:FINDINGS])


def table_for_print(table: TableView) -> TableView:
    if len(table.rows) <= TABLE_ROWS:
        return table
    note = f"first {TABLE_ROWS} of {len(table.rows)} rows; report.html holds them all"
    return TableView(table.title, table.columns, table.rows[:TABLE_ROWS], "; ".join(x for x in (table.note, note) if x))


def screen_rows(result: CheckResult) -> tuple[Rows, Rows, Rows]:
    """The HTML page's thresholds, metrics (first 200) and findings (first 100)."""
    return (
        Rows(tuple(result.thresholds), len(result.thresholds)),
        Rows(tuple(result.metrics[:200]), len(result.metrics), "report.json"),
        Rows(tuple(reading_order(result.findings)[:100]), len(result.findings), "report.json"),
    )


def print_rows(result: CheckResult) -> tuple[Rows, Rows, Rows]:
    return thresholds_for_print(result), metrics_for_print(result), findings_for_print(result)


def svg_as_image(svg: str, alt: str) -> str:
    """An ``<img>`` holding one plot's SVG (from ``plots.render_svg``) as a data URI; ``alt``
    (the plot's title, which may come from the data) is escaped here."""
    import html

    from tef_harness.reports.renderers.print_svg import flatten_for_print

    data = base64.b64encode(flatten_for_print(svg).encode("utf-8")).decode("ascii")
    return f'<img class="plot" alt="{html.escape(alt, quote=True)}" src="data:image/svg+xml;base64,{data}">'
