"""Read a bias check's group table (its typed ``GroupTable`` view) as plain rows, so the
tests that compare each group's numbers with fairlearn read them as before."""

from __future__ import annotations

from typing import Any

from tef_harness.sdk.results import CheckOutput
from tef_harness.sdk.views import GroupTable

#: measures a row of bias.group_fairness always has (None when not defined for the group)
_ALWAYS = ("impact_ratio",)


def group_rows(out: CheckOutput, set_key: str) -> list[dict[str, Any]]:
    """The rows of the group table of the set ``set_key`` (``sex`` or ``sex|age_group``):
    ``group`` (values joined by ``|``), ``values``, ``count``, ``sufficient``, ``insufficient``
    and each measure with ``<measure>_ci`` = [low, high]."""
    columns = tuple(set_key.split("|"))
    (table,) = [v for v in out.views if isinstance(v, GroupTable) and v.sensitive_set == columns]
    rows = []
    for r in table.rows:
        row: dict[str, Any] = {
            "group": "|".join(r.group),
            "values": dict(zip(columns, r.group, strict=True)),
            "count": r.count,
            "sufficient": r.sufficient,
            "insufficient": list(r.too_few),
            **dict.fromkeys(_ALWAYS),
        }
        for m in r.measures:
            row[m.measure] = m.value
            row[f"{m.measure}_ci"] = [m.low, m.high]
        rows.append(row)
    return rows
