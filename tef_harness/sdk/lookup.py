"""Earlier results, read-only and looked up by key.

A check that declares ``run_after`` reads the results of the checks it follows through
``ctx.results``, a :class:`ResultsView`. It finds a metric by check id and dimensions
(``criterion``, ``sensitive_set``, ``group``, ...) and a typed view by kind, so a check that
renames its metrics' presentation, or reorders their segments, does not break the checks
reading it: nobody parses another check's metric names.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

from tef_harness.sdk.dimensions import Dimensions
from tef_harness.sdk.results import CheckResult, Metric
from tef_harness.sdk.views.base import View

V = TypeVar("V", bound=View)


class ResultsView(Mapping[str, CheckResult]):
    """``check id -> CheckResult`` for the checks that already ran, read-only; plus lookups
    by key. Results are frozen models, so nothing reachable from here can be changed."""

    __slots__ = ("_results",)

    def __init__(self, results: Mapping[str, CheckResult]) -> None:
        self._results = dict(results)

    def __getitem__(self, check_id: str) -> CheckResult:
        return self._results[check_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._results)

    def __len__(self) -> int:
        return len(self._results)

    def __repr__(self) -> str:
        return f"ResultsView({sorted(self._results)})"

    def metrics(
        self, criterion: str | Iterable[str], *, check_id: str | None = None, **dims: object
    ) -> tuple[tuple[str, Metric], ...]:
        """Every (check id, metric) whose dimensions have one of the ``criterion`` names and
        equal every other given dimension (``sensitive_set=("sex",)``, ``group="F"``; a plain
        string stands for a one-part tuple), in check-id order. Metrics built by name alone
        match on ``criterion`` only when no other dimension is asked for."""
        wanted = {criterion} if isinstance(criterion, str) else set(criterion)
        hits: list[tuple[str, Metric]] = []
        for cid in sorted(self._results):
            if check_id is not None and cid != check_id:
                continue
            for m in self._results[cid].metrics:
                key = m.key
                if key.criterion in wanted and (not dims or m.dims is not None) and key.matches(**dims):
                    hits.append((cid, m))
        return tuple(hits)

    def metric(self, check_id: str, criterion: str, **dims: object) -> Metric | None:
        """The one metric of ``check_id`` with exactly these dimensions (unset ones unset)."""
        result = self._results.get(check_id)
        if result is None:
            return None
        tuples = ("sensitive_set", "group")
        want = Dimensions(
            criterion=criterion,
            **{k: ((v,) if k in tuples and isinstance(v, str) else v) for k, v in dims.items()},
        )
        return next((m for m in result.metrics if m.key == want), None)

    def views(self, kind: type[V], *, check_id: str | None = None) -> tuple[tuple[str, V], ...]:
        """Every (check id, view) of this class, in check-id order."""
        return tuple(
            (cid, v)
            for cid in sorted(self._results)
            if check_id is None or cid == check_id
            for v in self._results[cid].views
            if isinstance(v, kind)
        )


__all__ = ["ResultsView"]
