"""The order a report lists a check's findings in: most severe first, and a finding that
explains others (``Finding.explains``, set by the check) before the findings it explains.

Why: a broken front matter (DOC006, medium) is why the items read from it are missing (DOC001,
high); sorted by its own severity it came after them, and a reader fixed the wrong thing first.
An explaining finding ranks as the most severe of the findings it explains that are present,
and leads them. The same order on screen, in print, in report.md and in ``tef doc check``.
"""

from __future__ import annotations

from collections.abc import Sequence

from tef_harness.sdk.results import Finding


def lead_rank(finding: Finding, findings: Sequence[Finding]) -> int:
    """``finding``'s severity rank, raised to that of the most severe finding among
    ``findings`` (its check's) whose code it explains."""
    explained = set(finding.explains)
    ranks = [f.severity.rank for f in findings if f.code in explained and f is not finding]
    return max([finding.severity.rank, *ranks])


def explains_any(finding: Finding, findings: Sequence[Finding]) -> bool:
    """Whether one of ``findings`` (other than itself) has a code ``finding`` explains."""
    explained = set(finding.explains)
    return any(f.code in explained for f in findings if f is not finding)


def reading_order(findings: Sequence[Finding]) -> list[Finding]:
    """One check's findings, most severe first (by :func:`lead_rank`), an explaining finding
    before the ones it explains, otherwise in the order the check gave them."""
    keyed = [(-lead_rank(f, findings), 0 if explains_any(f, findings) else 1, i, f) for i, f in enumerate(findings)]
    return [f for *_, f in sorted(keyed, key=lambda k: k[:3])]
