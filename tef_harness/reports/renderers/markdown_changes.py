"""The "changes against the baseline" section of report.md (``tef check --baseline``).

A reviewer of a pull request asks what this change did to the audit: the verdict, the checks
whose status moved, the metrics that moved beyond the ``[baseline]`` thresholds, and the
findings that appeared or went away. The comparison is ``report_diff.py``'s, the one
``tef report diff`` and the baseline gate use, so the three never disagree; the thresholds
are the run's own (``report.config["baseline"]``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tef_harness.config.schema import BaselineThreshold
from tef_harness.reports.coverage import verdict_label
from tef_harness.reports.report_diff import compare, diff_reports
from tef_harness.reports.schema import ConformityReport
from tef_harness.sdk.dimensions import display_name
from tef_harness.sdk.views.examples import plain

#: at most this many lines per list (statuses, metrics, findings); the count says how many more
MAX_ITEMS = 25


def baseline_thresholds(report: ConformityReport) -> tuple[BaselineThreshold, ...]:
    """The ``[baseline]`` thresholds the run was configured with (none when absent or unreadable)."""
    section = report.config.get("baseline")
    raw = section.get("thresholds") if isinstance(section, Mapping) else None
    out = []
    for item in raw if isinstance(raw, list | tuple) else []:
        try:
            out.append(BaselineThreshold.model_validate(plain(item)))
        except ValueError:
            continue
    return tuple(out)


def _code(text: str) -> str:
    """A code span: nothing inside is escaped by Markdown, so a backtick is replaced and a pipe
    is written as GFM's table-safe ``\\|``; newlines folded."""
    return "`" + " ".join(text.split()).replace("`", "'").replace("|", "\\|") + "`"


def _capped(items: list[str], what: str) -> list[str]:
    more = len(items) - MAX_ITEMS
    return items[:MAX_ITEMS] + ([f"- … and {more} more {what} (`tef report diff` lists them all)"] if more > 0 else [])


def changes_section(
    baseline: ConformityReport, report: ConformityReport, label: str, esc: Callable[[str], str]
) -> list[str]:
    """Markdown lines; ``esc`` escapes a value for Markdown (the renderer's ``md_text``)."""
    lines = ["### Changes against the baseline", ""]
    lines.append(
        f"Baseline: {_code(label)} (run {_code(baseline.run_id)}, {verdict_label(baseline, words=True)}, "
        f"{baseline.provenance.started_at:%Y-%m-%d %H:%M} UTC)"
    )
    lines.append("")
    d = diff_reports(baseline, report)
    if d.partial_sides:
        # a check one side left out was not run there: not resolved, not new, not compared
        sides = "; ".join(d.partial_sides)
        lines += [
            f"**Partial comparison**: {sides[0].upper() + sides[1:]}. {len(d.not_compared_checks)} check(s) "
            f"left out by `--only` are not compared: {', '.join(_code(c) for c in d.not_compared_checks)}.",
            "",
        ]
    if d.verdict is not None:
        before, after = (v.replace("_", "-") for v in d.verdict)
        # a verdict over fewer checks is not an improvement: no bold on a partial side's word
        lines += [f"- **verdict**: {before} → {after if d.partial_sides else f'**{after}**'}"]
    else:
        lines += [f"- verdict unchanged ({report.verdict.value.replace('_', '-')})"]
    if d.different_model:
        lines.append("- the model is a different artifact (its sha256 differs)")
    lines.append("")
    if d.statuses:
        lines += ["| check | before | now |", "|---|---|---|"]
        rows = [
            f"| {_code(check_id)} | {before.replace('_', ' ')} | {after.replace('_', ' ')} |"
            for check_id, before, after in d.statuses
        ]
        lines += [*_capped(rows, "status changes"), ""]
    thresholds = baseline_thresholds(report)
    if thresholds:
        compared = compare(baseline, report, thresholds)
        regressed = [c for c in compared if not c.passed]
        lines.append(
            f"Metrics against the `[baseline]` thresholds: {len(compared) - len(regressed)} within, "
            f"**{len(regressed)} beyond**."
        )
        if regressed:
            lines += ["", "| metric | baseline | now | change | allowed |", "|---|---|---|---|---|"]
            # decoded for the reader (61+, not its key 61_x2B), as every other table of report.md
            rows = [
                f"| {_code(display_name(c.key))} | {c.baseline:.4g} | {c.candidate:.4g} | "
                f"{c.candidate - c.baseline:+.4g} | "
                f"{esc(_rule(c.min_absolute_change, c.min_relative_change, c.greater_is_better))} |"
                for c in regressed
            ]
            lines += _capped(rows, "metrics")
        lines.append("")
    else:
        lines += ["No `[baseline]` thresholds are configured: no metric is gated against the baseline.", ""]
    if d.metrics:
        lines += [f"{len(d.metrics)} metric value(s) or interval(s) changed; `tef report diff` lists them.", ""]
    for title, items in (("New findings", d.new_findings), ("Resolved findings", d.resolved_findings)):
        if items:
            lines += [f"{title} ({len(items)}):", ""]
            lines += [*_capped([f"- {esc(i)}" for i in items], title.lower()), ""]
    if d.not_compared_findings:
        lines += [
            f"{len(d.not_compared_findings)} finding(s) of checks run on one side only are not compared "
            "(neither new nor resolved); `tef report diff` lists them.",
            "",
        ]
    return lines


def _rule(absolute: float | None, relative: float | None, greater_is_better: bool) -> str:
    parts = []
    if absolute is not None:
        parts.append(f"change ≥ {absolute:+g}")
    if relative is not None:
        parts.append(f"relative change ≥ {relative:+.1%}")
    return f"{' and '.join(parts)} ({'higher' if greater_is_better else 'lower'} is better)"
