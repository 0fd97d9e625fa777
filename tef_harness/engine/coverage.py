"""How much of the audit a run covers, from its plan: the checks it selected among those the
profile and config would run.

``--only`` (``plugins.only``) is how a CI job runs a subset on purpose, as pytest's ``-k``
does; it must never read like a full audit. The verdict word and the exit code stay the
judge's (a gate that passes ``--only`` on purpose can still pass), and the report carries the
coverage and a verdict reason naming the checks left out, which every renderer and sink shows.
"""

from __future__ import annotations

from tef_harness.engine.planning import Plan
from tef_harness.reports.coverage import PARTIAL_REASON_PREFIX
from tef_harness.reports.schema import Coverage


def coverage_for(plan: Plan) -> Coverage:
    """Selected = planned (a selected check that turns out not applicable was still selected);
    in the profile = selected + left out by ``plugins.only`` (a disabled check is in neither)."""
    not_selected = tuple(sorted(o.plugin.check_id for o in plan.left_out if o.reason == "not_selected"))
    selected = len(plan.checks)
    return Coverage(
        partial=bool(not_selected),
        checks_selected=selected,
        checks_in_profile=selected + len(not_selected),
        not_selected=not_selected,
    )


def partial_reason(coverage: Coverage) -> str | None:
    """The verdict reason of a partial run, naming every check left out; None for a full one."""
    if not coverage.partial:
        return None
    left = coverage.not_selected
    return (
        f"{PARTIAL_REASON_PREFIX}{len(left)} of {coverage.checks_in_profile} checks left out by --only "
        f"(plugins.only): {', '.join(left)}"
    )
