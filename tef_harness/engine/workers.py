"""The run's worker processes (``jobs``): the only place a run forks.

Workers are forked when a check asks (``ctx.map``) and stopped when its map returns, so a
check's function, even a closure over a large object (a built PII scanner), reaches them by
inheritance, never by pickling. Without ``fork`` (Windows, macOS' default) or with one job,
the work runs in the calling thread: the results are the same either way.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from tef_harness.sdk.workers import Workers

T = TypeVar("T")
R = TypeVar("R")

#: the function of the map in progress, inherited by the forked workers
_TASK: Callable[[Any], Any] | None = None


def _apply(item: Any) -> Any:
    assert _TASK is not None
    return _TASK(item)


class ForkWorkers(Workers):
    def __init__(self, jobs: int):
        self.count = max(1, int(jobs))

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        global _TASK
        if self.count == 1 or len(items) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return [fn(x) for x in items]
        if _TASK is not None:  # a map inside a map's worker: run inline rather than fork again
            return [fn(x) for x in items]
        _TASK = fn
        try:
            with multiprocessing.get_context("fork").Pool(min(self.count, len(items))) as pool:
                return pool.map(_apply, items, chunksize=1)
        finally:
            _TASK = None
