"""Metric names derived from dimensions are one-to-one: groups that the old sanitiser merged
(``61+``, ``61-`` and ``61_`` all became ``61_``) get distinct names in every bias check, and
each name's dimensions hold the raw group values."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from tef_harness.checks.bias.counterfactual_flip import CounterfactualFlip, CounterfactualFlipParams
from tef_harness.checks.bias.data_representation import DataRepresentation, DataRepresentationParams
from tef_harness.checks.bias.group_fairness import GroupFairness, GroupFairnessParams
from tef_harness.sdk.model import ArtifactInfo, ModelAdapter
from tef_harness.sdk.results import CheckOutput
from tef_harness.testing import make_context

MLFLOW_NAME = re.compile(r"^[\w.\-/ ]{1,250}$")
AGES = ("61+", "61-", "61_", "18-25")


class AgeRule(ModelAdapter):
    """Approves high incomes, with a bonus for the ``61+`` group, so swaps flip some rows."""

    classes = (0, 1)

    def __init__(self) -> None:
        self.info = ArtifactInfo(adapter="rule", path="<rule>", sha256="0" * 64, description="rule")

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return (X["income"].to_numpy() + 0.5 * (X["age_group"] == "61+").to_numpy() > 0).astype(int)


def _frame(n: int = 1600) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    return pd.DataFrame(
        {
            "sex": rng.choice(["F", "M"], size=n),
            "age_group": rng.choice(AGES, size=n),
            "income": rng.normal(size=n),
            "y": rng.integers(0, 2, size=n),
        }
    )


def _outputs() -> dict[str, CheckOutput]:
    frame = _frame()
    ctx = make_context(
        frame, model=AgeRule(), features=("income", "sex", "age_group"), target="y", sensitive=("sex", "age_group")
    )
    reference = {"age_group": {a: 0.25 for a in AGES}}
    return {
        "bias.group_fairness": GroupFairness().run(
            ctx, GroupFairnessParams.model_construct(n_boot=0, min_group_size=10)
        ),
        "bias.data_representation": DataRepresentation().run(ctx, DataRepresentationParams(reference=reference)),
        "bias.counterfactual_flip": CounterfactualFlip().run(ctx, CounterfactualFlipParams()),
    }


def test_groups_61_plus_minus_underscore_get_distinct_qualified_names() -> None:
    outputs = _outputs()
    qualified = [m.qualified_name(cid) for cid, out in outputs.items() for m in out.metrics]
    assert [n for n, c in Counter(qualified).items() if c > 1] == []
    assert all(MLFLOW_NAME.fullmatch(n) for n in qualified)
    rep = outputs["bias.data_representation"]
    share_ratio = {m.key.group: m.name for m in rep.metrics if m.key.criterion == "share_ratio"}
    # the raw values are the key; the three names differ
    assert set(share_ratio) == {(a,) for a in AGES}
    assert share_ratio[("61+",)] == "share_ratio/age_group/61_x2B"
    assert share_ratio[("61-",)] == "share_ratio/age_group/61-"
    assert share_ratio[("61_",)] == "share_ratio/age_group/61_"
    # the intersection's groups: one value per column
    inter = {m.key.group for m in rep.metrics if m.key.sensitive_set == ("sex", "age_group") and m.key.group}
    assert inter == {(s, a) for s in ("F", "M") for a in AGES}
    swaps = {m.key.swap for m in outputs["bias.counterfactual_flip"].metrics if m.key.swap}
    assert ("61+", "61-") in swaps and ("61-", "61_") in swaps and ("61_", "61+") in swaps


def test_group_tables_hold_the_raw_group_values() -> None:
    out = _outputs()["bias.group_fairness"]
    (table,) = [v for v in out.views if v.kind == "group_table" and v.sensitive_set == ("age_group",)]
    counts = _frame()["age_group"].value_counts()
    assert {r.group[0]: r.count for r in table.rows} == {a: int(counts[a]) for a in AGES}
    row = table.row("61+")
    assert row is not None
    selected = row.get("selection_rate")
    frame = _frame()
    expected = float(AgeRule().predict(frame)[frame["age_group"].to_numpy() == "61+"].mean())
    assert selected is not None and selected.value == pytest.approx(expected)
