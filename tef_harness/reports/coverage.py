"""What every renderer and sink says about a partial audit (``--only``): the verdict as a
person reads it (``conformant (partial: 1 of 16 checks)``) and the checks left out.

The verdict word in machine fields (``report.json``'s ``verdict``, the ``tef.verdict`` tag, the
JUnit ``verdict`` property) and the exit code stay the judge's, as pytest's ``-k`` still exits
0 and says "N deselected": a CI gate that runs a subset on purpose can pass. Everything a
person reads carries the qualifier (see ``engine/coverage.py`` for where it is computed).
"""

from __future__ import annotations

from tef_harness.reports.schema import ConformityReport, Coverage, NotRunReason

#: how the verdict reason of a partial run begins (``engine/coverage.py`` writes it)
PARTIAL_REASON_PREFIX = "partial audit: "


def coverage_of(report: ConformityReport) -> Coverage:
    """The report's coverage; for a report written before the field, derived from ``not_run``
    and the results (selected = the checks with a result)."""
    if report.coverage is not None:
        return report.coverage
    left = tuple(sorted(n.check_id for n in report.not_run if n.reason == NotRunReason.NOT_SELECTED))
    selected = len(report.results)
    return Coverage(
        partial=bool(left), checks_selected=selected, checks_in_profile=selected + len(left), not_selected=left
    )


def partial_label(report: ConformityReport) -> str:
    """``partial: 1 of 16 checks`` for a partial run, else empty."""
    c = coverage_of(report)
    return f"partial: {c.checks_selected} of {c.checks_in_profile} checks" if c.partial else ""


def verdict_label(report: ConformityReport, *, words: bool = False) -> str:
    """The verdict as a person reads it: ``conformant``, or ``conformant (partial: 1 of 16
    checks)`` for a partial run. ``words``: ``non-conformant`` rather than ``non_conformant``."""
    v = report.verdict.value.replace("_", "-") if words else report.verdict.value
    label = partial_label(report)
    return f"{v} ({label})" if label else v


def reasons_besides_partial(report: ConformityReport) -> tuple[str, ...]:
    """The verdict reasons without the one that says the run is partial, for a line that
    already carries :func:`partial_detail` (so "partial" is said once)."""
    return tuple(r for r in report.verdict_reasons if not r.startswith(PARTIAL_REASON_PREFIX))


def partial_detail(report: ConformityReport) -> str:
    """``partial: 1 of 16 checks; left out by --only: a, b, …`` (every check left out), else empty."""
    label = partial_label(report)
    left = coverage_of(report).not_selected
    return f"{label}; left out by --only: {', '.join(left)}" if label and left else label
