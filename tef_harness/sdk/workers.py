"""Workers: the engine's, lent to a check that splits its work. A check never starts threads
or processes of its own; it asks the context (``ctx.map``), and the run's ``jobs`` setting
decides how many workers there are."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Workers(ABC):
    """Applies a function to items, in order, on ``count`` workers."""

    #: how many workers run at once (1 = in the calling thread)
    count: int = 1

    @abstractmethod
    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """``[fn(x) for x in items]``, in input order, possibly in parallel. ``fn`` may be a
        closure (workers inherit it, nothing pickles it); items and results must be
        picklable. An exception in ``fn`` is raised here."""


class InlineWorkers(Workers):
    """No parallelism: the calling thread does the work (the default, and ``jobs = 1``)."""

    count = 1

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        return [fn(x) for x in items]
