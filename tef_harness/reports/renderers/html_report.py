"""HTML: one self-contained page a person reads (no script, no network, no external font).

Built with a jinja2 template with autoescaping on, so every string that came from the data,
the card or a plugin is text in the page, never markup. The only unescaped content is the
plots' SVG, which matplotlib writes with its own XML escaping (see ``plots.py``).
The page reads without JavaScript (``<details>`` sections), prints (``@media print`` opens
nothing and breaks pages between checks) and reflows on a narrow screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from markupsafe import Markup

from tef_harness.reports.coverage import partial_label
from tef_harness.reports.outcomes import did_not_run, insufficient_evidence_gate, marks_optional, outcome_for, ran
from tef_harness.reports.readable import display_name, readable, reason_of
from tef_harness.reports.renderers.print_view import (
    PRINTED_EXAMPLES,
    Rows,
    print_rows,
    screen_rows,
    svg_as_image,
    table_for_print,
)
from tef_harness.reports.schema import ConformityReport
from tef_harness.reports.units import unit_of, with_unit
from tef_harness.reports.views import TableView, fmt, fmt_bound, headline, view_of
from tef_harness.sdk.results import CheckResult
from tef_harness.sdk.views.examples import ExampleRows


@dataclass(frozen=True)
class _Section:
    result: CheckResult
    anchor: str
    outcome: str
    outcome_message: str
    plots: tuple[Markup, ...]
    tables: tuple[TableView, ...]
    thresholds: Rows
    metrics: Rows
    findings: Rows
    #: masked example rows behind the findings (at most five rows each)
    examples: tuple[ExampleRows, ...] = ()
    #: example tables the PDF leaves out (report.html shows every one)
    examples_hidden: int = 0


def anchor_for(check_id: str) -> str:
    """A stable, HTML-safe id for a check's section (check ids are ``family.name``)."""
    return "check-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in check_id)


def build_sections(report: ConformityReport, *, pdf: bool = False) -> list[_Section]:
    """One section per check that ran, failed first (a not-applicable check is listed once,
    under "Checks that did not run"). ``pdf``: the printed cut (``print_view.py``)."""
    from tef_harness.reports.renderers.plots import render_svg

    gate = insufficient_evidence_gate(report)
    sections = []
    for r in ran(report):
        view = view_of(r)
        o = outcome_for(r, gate)
        if pdf:
            plots = tuple(Markup(svg_as_image(render_svg(p), p.title)) for p in view.plots)
            tables = tuple(table_for_print(t) for t in view.tables)
            thresholds, metrics, findings = print_rows(r)
        else:
            plots = tuple(Markup(render_svg(p)) for p in view.plots)
            tables = view.tables
            thresholds, metrics, findings = screen_rows(r)
        sections.append(
            _Section(
                r,
                anchor_for(r.check_id),
                o.outcome.value,
                readable(r, o.message),  # the section's headline: 61+, not 61_x2B
                plots,
                tables,
                thresholds,
                metrics,
                findings,
                examples=view.examples[:PRINTED_EXAMPLES] if pdf else view.examples,
                examples_hidden=max(0, len(view.examples) - PRINTED_EXAMPLES) if pdf else 0,
            )
        )
    return sections


def render_html(report: ConformityReport, *, pdf: bool = False, report_digest: str | None = None) -> str:
    """The report as one HTML document (str). ``pdf`` adds the paged-media header rules and
    opens every section, for WeasyPrint. ``report_digest``: sha256 of report.json as written
    (computed here when not given), shown in the banner so a printout can be matched to it."""
    from tef_harness.intake.hashing import sha256_text
    from tef_harness.reports.renderers.json_report import render_json
    from tef_harness.reports.renderers.templating import environment

    template = environment().get_template("report.html.j2")
    sections = build_sections(report, pdf=pdf)
    # link only to checks that have a section: a check that did not run has none, and a link
    # to a missing anchor is an error in a PDF
    known = {s.result.check_id for s in sections}
    return template.render(
        report=report,
        sections=sections,
        anchor_for=anchor_for,
        known_checks=known,
        not_run=did_not_run(report),
        partial=partial_label(report),
        mark_optional=marks_optional(report),
        fmt=fmt,
        fmt_bound=fmt_bound,
        with_unit=with_unit,
        unit_of=unit_of,
        headline=headline,
        reason_of=reason_of,
        display_name=display_name,
        pdf=pdf,
        # on screen a wide table scrolls in its own box; on paper the box is an element more
        scroll_open=Markup("") if pdf else Markup('<div class="scroll">'),
        scroll_close=Markup("") if pdf else Markup("</div>"),
        report_digest=report_digest or sha256_text(render_json(report)),
    )


class HtmlRenderer:
    name: ClassVar[str] = "html"
    filename: ClassVar[str] = "report.html"

    def unavailable(self) -> str | None:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            return "matplotlib is not installed"
        return None

    def render(self, report: ConformityReport) -> str:
        return render_html(report)
