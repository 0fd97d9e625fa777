"""Markdown: what a CI job posts on a pull request or writes to its job summary.

The verdict, the checks that need attention with their reasons, the top findings and where
the full report is. GitHub refuses a comment over 65,536 characters, so the text is cut at
:data:`MAX_CHARS` with a note saying so, whatever the run. Values from the data or the card
are escaped: GitHub renders inline HTML in Markdown, and a ``|`` would break a table. Only what
Markdown would read as markup is escaped, with CommonMark's backslash: ``needs >= 0.8`` and
``a & b`` stay as written (an HTML entity in plain text reads as ``&gt;`` in every viewer that
shows the source), while ``<script>`` becomes ``\\<script>`` and ``&amp;`` becomes ``\\&amp;``.
"""

from __future__ import annotations

import re
from typing import ClassVar

from tef_harness.reports.coverage import partial_label
from tef_harness.reports.finding_order import lead_rank, reading_order
from tef_harness.reports.outcomes import Outcome, did_not_run, insufficient_evidence_gate, outcome_for, ran
from tef_harness.reports.readable import readable
from tef_harness.reports.schema import ConformityReport
from tef_harness.reports.views import headline
from tef_harness.sdk.results import CheckResult, Severity

MAX_CHARS = 65_000
_TOP_FINDINGS = 10
_EXAMPLE_SETS = 3
_ESCAPE = re.compile(r"([\\`*_{}\[\]|#!~])")
#: where CommonMark would start inline HTML or an autolink (``<`` before a letter, ``/``, ``!``
#: or ``?``) or read a character reference (``&name;``, ``&#123;``); a backslash makes it text
_MARKUP_START = re.compile(r"<(?=[A-Za-z/!?])|&(?=#?[A-Za-z0-9]+;)")
_ICON = {"conformant": "✅", "non_conformant": "❌", "incomplete": "⚠️"}
_TRUNCATED = "\n\n_… truncated to stay under {limit:,} characters; the full report is in {where}._\n"


def md_text(text: str, limit: int = 500) -> str:
    """Escape what Markdown would read as markup (inline HTML, an entity, emphasis, a table
    cell's end, a quote at the start), fold newlines, and cut very long values."""
    one_line = " ".join(str(text).split())
    if len(one_line) > limit:
        one_line = one_line[: limit - 1] + "…"
    escaped = _MARKUP_START.sub(lambda m: "\\" + m.group(0), _ESCAPE.sub(r"\\\1", one_line))
    # a '>' opens a block quote only at the start of a line
    return "\\" + escaped if escaped.startswith(">") else escaped


def render_markdown(
    report: ConformityReport,
    *,
    full_report: str = "report.html",
    limit: int = MAX_CHARS,
    baseline: ConformityReport | None = None,
    baseline_label: str = "baseline",
) -> str:
    """The summary as Markdown, never longer than ``limit`` characters; with ``baseline``, the
    changes against it (``markdown_changes.py``)."""
    gate = insufficient_evidence_gate(report)
    v = report.verdict.value
    lines = [
        f"## {_ICON.get(v, '')} Conformity report: **{v.replace('_', '-')}**"
        + (f" ({partial})" if (partial := partial_label(report)) else ""),
        "",
        f"Profile `{md_text(report.profile.name)}` v{md_text(report.profile.version)} · run `{report.run_id}` · "
        f"{report.provenance.started_at:%Y-%m-%d %H:%M} UTC · "
        f"{report.provenance.tool} {report.provenance.tool_version}",
        "",
    ]
    if report.subject.model is not None:
        lines.append(
            f"Model: {md_text(report.subject.model.description)} (sha256 `{report.subject.model.sha256[:16]}…`)"
        )
        lines.append("")
    lines += [f"- {md_text(reason)}" for reason in report.verdict_reasons]
    counts = " · ".join(f"{k.replace('_', ' ')}: {n}" for k, n in report.summary.items() if n)
    lines += ["", counts, ""]
    # what this change did comes first: it is a reviewer's first question, and a long table of
    # checks below must never push it past the length limit
    if baseline is not None:
        from tef_harness.reports.renderers.markdown_changes import changes_section

        lines += changes_section(baseline, report, baseline_label, md_text)
    # a not-applicable check did not run: it is listed once, under "Did not run", with its reason
    attention = [r for r in ran(report) if outcome_for(r, gate).outcome != Outcome.PASS]
    if attention:
        lines += ["### Checks that need attention", "", "| check | status | why |", "|---|---|---|"]
        for r in attention:
            why = readable(r, outcome_for(r, gate).message)  # 61+, not its key 61_x2B
            lines.append(f"| `{r.check_id}` | {r.status.value.replace('_', ' ')} | {md_text(why)} |")
        lines.append("")
    passed = [r for r in report.results if outcome_for(r, gate).outcome == Outcome.PASS]
    if passed:
        # each with its key value and unit ("accuracy = 0.795 rate (>= 0.7)"), as the console shows
        keyed = (f"`{r.check_id}`" + (f" ({md_text(k, 200)})" if (k := headline(r)) else "") for r in passed)
        lines += [f"Passed: {', '.join(keyed)}", ""]
    # each check's findings in reading order (a finding that explains others leads them, ranked
    # as the most severe of them: finding_order.py), then most severe first across checks
    ranked = [
        (lead_rank(f, r.findings), f, r.check_id)
        for r in report.results
        for f in reading_order(r.findings)
        if f.severity.rank >= Severity.MEDIUM.rank
    ]
    findings = [(f, cid) for _, f, cid in sorted(ranked, key=lambda t: -t[0])]
    if findings:
        lines += [f"### Top findings ({min(len(findings), _TOP_FINDINGS)} of {len(findings)})", ""]
        lines += ["| code | severity | check | message |", "|---|---|---|---|"]
        for f, cid in findings[:_TOP_FINDINGS]:
            lines.append(f"| `{f.code}` | {f.severity.value} | `{cid}` | {md_text(f.message, 300)} |")
        lines.append("")
    lines += _examples(attention)
    failures = report.plugin_failures
    if failures:
        lines += ["### Plugins that failed to load", ""]
        lines += [f"- `{md_text(f.entry_point)}`: {md_text(f.error, 300)}" for f in failures]
        lines.append("")
    not_run = did_not_run(report)
    if not_run:
        lines += ["Did not run:", ""]
        lines += [
            f"- `{n.check_id}` ({n.reason.value.replace('_', ' ')}{': ' + md_text(n.detail, 200) if n.detail else ''})"
            for n in not_run
        ]
        lines.append("")
    failed_reqs = [row for row in report.requirements if row.status.value == "tested_failed"]
    if failed_reqs:
        lines += ["### Requirements with failing evidence", ""]
        lines += [f"- `{md_text(row.id)}` {md_text(row.title, 200)}" for row in failed_reqs]
        lines.append("")
    lines.append(f"Full report: `{md_text(full_report)}` (and `report.json`, the canonical record).")
    text = "\n".join(lines) + "\n"
    return truncate(text, limit, full_report)


def _examples(attention: list[CheckResult]) -> list[str]:
    """The first :data:`_EXAMPLE_SETS` sets of masked example rows of the checks that need
    attention, as small tables (their cells were masked when the check emitted them)."""
    from tef_harness.sdk.views.examples import examples_of

    sets = [(r.check_id, e) for r in attention for e in examples_of(r)][:_EXAMPLE_SETS]
    if not sets:
        return []
    lines = ["### Example rows (masked)", ""]
    for check_id, e in sets:
        code = f"`{e.finding_code}` " if e.finding_code else ""
        lines += [
            f"`{check_id}` {code}{md_text(e.location or '')}: {md_text(e.caption, 200)} "
            f"({len(e.rows)} of {e.total} rows; row = position in the evaluation data)",
            "",
        ]
        lines.append("| row | " + " | ".join(md_text(c, 60) for c in e.columns) + " |")
        lines.append("|---" * (len(e.columns) + 1) + "|")
        for n, row in zip(e.row_numbers, e.rows, strict=True):
            lines.append(f"| {n} | " + " | ".join(md_text(c, 60) for c in row) + " |")
        lines.append("")
    return lines


def truncate(text: str, limit: int, where: str) -> str:
    """Cut at a line boundary so the note fits within ``limit``."""
    if len(text) <= limit:
        return text
    note = _TRUNCATED.format(limit=limit, where=md_text(where))
    cut = text[: limit - len(note)]
    cut = cut[: cut.rfind("\n")] if "\n" in cut else cut
    return cut + note


class MarkdownRenderer:
    name: ClassVar[str] = "md"
    filename: ClassVar[str] = "report.md"

    def __init__(self, baseline: ConformityReport | None = None, baseline_label: str = "baseline") -> None:
        self.baseline = baseline
        self.baseline_label = baseline_label

    def unavailable(self) -> str | None:
        return None

    def with_baseline(self, baseline: ConformityReport, label: str) -> MarkdownRenderer:
        """The same renderer, adding the changes against ``baseline`` (``tef check --baseline``)."""
        return MarkdownRenderer(baseline, label)

    def render(self, report: ConformityReport) -> str:
        return render_markdown(report, baseline=self.baseline, baseline_label=self.baseline_label)
