"""Group tables: one row per group of a sensitive set, with measures and their intervals.

Emitted by ``bias.group_fairness`` (selection rate, TPR, FPR, ... per group) and
``bias.data_representation`` (shares per group); read by the renderers and by
``documentation.consistency`` (a card's per-group claim is looked up here by set, group and
measure, never by parsing a name).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from tef_harness.sdk.views.base import View, ViewPart


class Measured(ViewPart):
    """One measure of one group: its value, interval (None when not computed) and sample size."""

    measure: str
    value: float
    low: float | None = None
    high: float | None = None
    n: int | None = None


class GroupRow(ViewPart):
    """One group: its value for each column of the set, its row count, its measures, and
    whether it was large enough to judge (``too_few`` names what it lacks: ``rows``,
    ``positives``, ``negatives``, ``predicted_positives``)."""

    group: tuple[str, ...]
    count: int = Field(ge=0)
    measures: tuple[Measured, ...] = ()
    sufficient: bool = True
    too_few: tuple[str, ...] = ()

    def get(self, measure: str) -> Measured | None:
        return next((m for m in self.measures if m.measure == measure), None)


class GroupTable(View):
    """The groups of one sensitive set (one column, or the columns of an intersection).

    ``level`` is the confidence level of the intervals (None when there are none)."""

    kind: Literal["group_table"] = "group_table"
    schema_version: Literal[1] = 1
    sensitive_set: tuple[str, ...]
    rows: tuple[GroupRow, ...]
    level: float | None = None

    def row(self, group: tuple[str, ...] | str) -> GroupRow | None:
        key = (group,) if isinstance(group, str) else group
        return next((r for r in self.rows if r.group == key), None)
