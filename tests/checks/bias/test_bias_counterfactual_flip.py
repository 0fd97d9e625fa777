"""bias.counterfactual_flip: a model that ignores the attribute never flips; one that uses it
flips exactly where the swap crosses its decision boundary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tef_harness.checks.bias.counterfactual_flip import CounterfactualFlip, CounterfactualFlipParams
from tef_harness.sdk.model import ArtifactInfo, ModelAdapter
from tef_harness.testing import make_context, synthetic_frame


class RuleModel(ModelAdapter):
    """Approves when income is high, with a bonus for sex == 'M' when ``uses_sex``."""

    classes = (0, 1)

    def __init__(self, uses_sex: bool, regression: bool = False):
        self.uses_sex, self.regression = uses_sex, regression
        if regression:
            self.classes = None
        self.info = ArtifactInfo(adapter="rule", path="<rule>", sha256="0" * 64, description="rule")

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        score = np.log(X["income"].to_numpy()) - 10 + (0.3 * (X["sex"] == "M").to_numpy() if self.uses_sex else 0)
        return score if self.regression else (score > 0).astype(int)


def _ctx(model, frame=None, **kw):
    frame = synthetic_frame(1500, seed=3) if frame is None else frame
    return make_context(frame, model=model, features=("income", "debt_ratio", "sex", "age_group"), **kw)


def test_ignoring_model_never_flips():
    out = CounterfactualFlip().run(_ctx(RuleModel(False)), CounterfactualFlipParams())
    assert all(m.value == 0 for m in out.metrics if m.name.startswith("flip_rate"))
    assert not [f for f in out.findings if f.code == "BIAS020"]


def test_using_model_flips_where_expected():
    frame = synthetic_frame(1500, seed=3)
    out = CounterfactualFlip().run(_ctx(RuleModel(True), frame), CounterfactualFlipParams())
    s = np.log(frame["income"]) - 10
    f_to_m = int(((frame["sex"] == "F") & (s <= 0) & (s + 0.3 > 0)).sum())
    pair = next(p for p in out.details["attributes"]["sex"]["pairs"] if p["source"] == "F")
    assert pair["flips"] == f_to_m and pair["to_positive"] == f_to_m and pair["to_negative"] == 0
    m = next(m for m in out.metrics if m.name == "flip_rate/sex/F to M")
    assert m.ci.low <= m.value <= m.ci.high and m.n == int((frame["sex"] == "F").sum())
    assert any(f.code == "BIAS020" and f.location == "sex" for f in out.findings)
    # age_group is an input the rule ignores
    assert next(m for m in out.metrics if m.name == "flip_rate/age_group").value == 0


def test_sampling_caps_rows_and_is_seeded():
    p = CounterfactualFlipParams(max_rows_per_value=100)
    a = CounterfactualFlip().run(_ctx(RuleModel(True)), p)
    b = CounterfactualFlip().run(_ctx(RuleModel(True)), p)
    assert a == b
    assert all(pair["n"] == 100 for pair in a.details["attributes"]["sex"]["pairs"])


def test_regression_change_and_tolerance():
    out = CounterfactualFlip().run(
        _ctx(RuleModel(True, regression=True), task="regression"), CounterfactualFlipParams(tolerance=0.1)
    )
    assert next(m for m in out.metrics if m.name == "flip_rate/sex").value == 1.0
    assert next(m for m in out.metrics if m.name == "mean_abs_change/sex").value == pytest.approx(0.3)


def test_missing_values_are_a_source_group():
    frame = synthetic_frame(1500, seed=3)
    frame.loc[:49, "sex"] = None
    out = CounterfactualFlip().run(_ctx(RuleModel(True), frame), CounterfactualFlipParams())
    sources = {p["source"] for p in out.details["attributes"]["sex"]["pairs"]}
    assert sources == {"F", "M", "unknown"}


def test_not_a_model_input_is_not_applicable():
    frame = synthetic_frame(500, seed=3)
    ctx = make_context(
        frame, model=RuleModel(False), features=("income", "debt_ratio", "sex"), sensitive=("age_group",)
    )
    out = CounterfactualFlip().run(ctx, CounterfactualFlipParams())
    assert out.status == "not_applicable" and [f.code for f in out.findings] == ["BIAS021"]
