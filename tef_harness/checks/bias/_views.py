"""The bias checks' group tables as typed views (``GroupTable``), built from the rows the
checks compute (one dict per group, each numeric measure with its interval as
``<measure>_ci``), so renderers and ``documentation.consistency`` look a group's rate up by
set, group and measure. The rows then leave ``details``: the view is their one place."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from tef_harness.api import GroupRow, GroupTable, Measured
from tef_harness.checks.bias._groups import Grouping

#: row keys that are not measures
_NOT_MEASURES = frozenset({"group", "values", "count", "sufficient", "insufficient", "n"})


def _finite(v: object) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def group_view(
    s: Grouping, rows: Sequence[Mapping[str, object]], level: float | None, other: Grouping | None = None
) -> GroupTable:
    """One ``GroupTable`` for set ``s`` from its detail rows (``{"group": label, "count": n,
    "<measure>": value, "<measure>_ci": [low, high], ...}``); counts of positives and the like
    (integers) are measures too, without an interval."""
    out: list[GroupRow] = []
    for row in rows:
        label = str(row["group"])
        measures = []
        for key, value in row.items():
            if key in _NOT_MEASURES or key.endswith("_ci"):
                continue
            v = _finite(value)
            if v is None:
                continue
            ci = row.get(f"{key}_ci")
            low, high = (None, None)
            if isinstance(ci, list | tuple) and len(ci) == 2:
                low, high = _finite(ci[0]), _finite(ci[1])
            measures.append(Measured(measure=key, value=v, low=low, high=high))
        short = row.get("insufficient")
        count = row.get("count")
        out.append(
            GroupRow(
                group=s.group_values(label, other),
                count=count if isinstance(count, int) else 0,
                measures=tuple(measures),
                sufficient=bool(row.get("sufficient", True)),
                too_few=tuple(str(x) for x in short) if isinstance(short, list) else (),
            )
        )
    return GroupTable(title=f"Groups of {s.key}", sensitive_set=s.columns, rows=tuple(out), level=level)
