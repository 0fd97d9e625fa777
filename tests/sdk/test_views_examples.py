"""Masked example rows: the type's limits, what each check puts there (checked against the
data and the model row by row), and that planted personal data never reaches a report."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tef_harness.checks.bias.counterfactual_flip import CounterfactualFlip, CounterfactualFlipParams
from tef_harness.checks.bias.subgroup_search import SubgroupSearch, SubgroupSearchParams
from tef_harness.checks.robustness.perturbation import RobustnessPerturbation
from tef_harness.sdk.views.examples import MAX_CELL, ExampleRows, examples_of
from tef_harness.testing import make_context, synthetic_frame
from tests.checks.bias.conftest import FixedPredictions
from tests.checks.bias.test_bias_counterfactual_flip import RuleModel

EMAIL = "jane.doe@example.com"
PHONE = "+44 20 7946 0958"
IBAN = "DE89370400440532013000"


def test_the_type_holds_five_rows_and_masks_every_cell() -> None:
    cells = [[IBAN, i] for i in range(9)]
    e = ExampleRows.build("BIAS010", EMAIL, f"rows of {EMAIL}", ["who", "x"], range(9), cells, 9)
    assert len(e.rows) == 5 and e.row_numbers == (0, 1, 2, 3, 4) and e.total == 9
    dumped = e.model_dump_json()
    assert EMAIL not in dumped and IBAN not in dumped
    assert all(row[0].endswith("00") and row[0].startswith("*") for row in e.rows)
    with pytest.raises(ValueError, match="at most 5"):
        ExampleRows(finding_code="X001", caption="c", columns=("a",), row_numbers=tuple(range(6)),
                    rows=(("1",),) * 6, total=6)  # fmt: skip
    with pytest.raises(ValueError, match="cells"):
        ExampleRows(finding_code="X001", caption="c", columns=("a", "b"), row_numbers=(1,), rows=(("1",),), total=1)
    with pytest.raises(ValueError, match="total"):
        ExampleRows(finding_code="X001", caption="c", columns=("a",), row_numbers=(1,), rows=(("1",),), total=0)
    long = ExampleRows.build(None, None, "c", ["text"], [0], [["word " * 40]], 1)
    assert len(long.rows[0][0]) <= MAX_CELL
    # a report read back from JSON gets the same class (the views union is discriminated by kind)
    from pydantic import TypeAdapter

    from tef_harness.sdk.views import AnyView

    assert TypeAdapter(AnyView).validate_json(e.model_dump_json()) == e


def _planted(n: int = 4000, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "sex": rng.choice(["F", "M"], size=n),
            "age_group": rng.choice(["18-29", "30-49", "50+"], size=n),
            "y": rng.integers(0, 2, size=n),
        }
    )
    rate = np.where((frame["sex"] == "F") & (frame["age_group"] == "50+"), 0.1, 0.45)
    return frame, (rng.uniform(size=n) < rate).astype(int)


def test_subgroup_examples_are_members_with_their_predictions() -> None:
    frame, pred = _planted()
    ctx = make_context(frame, target="y", sensitive=("sex", "age_group"), model=FixedPredictions(pred, (0, 1)))
    out = SubgroupSearch().run(ctx, SubgroupSearchParams())
    examples = examples_of(out)
    flagged = [f for f in out.findings if f.code == "BIAS010"]
    assert len(examples) == len(flagged) >= 1
    top = next(e for e in examples if e.location == "sex=F & age_group=50+")
    member = ((frame["sex"] == "F") & (frame["age_group"] == "50+")).to_numpy()
    assert top.total == int(member.sum())
    assert list(top.row_numbers) == np.flatnonzero(member)[:5].tolist()
    assert top.columns == ("sex", "age_group", "prediction", "label")
    for i, row in zip(top.row_numbers, top.rows, strict=True):
        assert row == ("F", "50+", str(pred[i]), str(frame["y"][i]))


def test_counterfactual_examples_flip_when_replayed() -> None:
    frame = synthetic_frame(800, seed=3)
    model = RuleModel(True)
    ctx = make_context(frame, model=model, features=("income", "debt_ratio", "sex", "age_group"))
    out = CounterfactualFlip().run(ctx, CounterfactualFlipParams())
    (e,) = [x for x in examples_of(out) if x.location == "sex"]
    flips = next(f for f in out.findings if f.code == "BIAS020" and f.location == "sex")
    assert e.finding_code == "BIAS020" and e.total == flips.data["flips"] and 1 <= len(e.rows) <= 5
    X = ctx.X
    for i, (before, swapped, p_before, p_after) in zip(e.row_numbers, e.rows, strict=True):
        assert before == str(frame["sex"][i]) and swapped != before
        row = X.iloc[[i]].copy()
        assert str(model.predict(row)[0]) == p_before
        row["sex"] = swapped
        assert str(model.predict(row)[0]) == p_after != p_before


def test_perturbation_examples_replay_to_the_same_predictions() -> None:
    from sklearn.linear_model import LogisticRegression

    frame = synthetic_frame(300, seed=5)
    feats = ["income", "debt_ratio", "years_employed"]
    est = LogisticRegression(max_iter=500).fit(frame[feats], frame["y"])
    ctx = make_context(frame, estimator=est, features=tuple(feats))
    params = RobustnessPerturbation.Params(families=("scaling",), severities=(5,))
    out = RobustnessPerturbation().run(ctx, params)
    (e,) = examples_of(out)
    flip_rate = next(m for m in out.metrics if m.name == "flip_rate/scaling/5")
    assert e.location == "scaling/5" and e.total == round(flip_rate.value * flip_rate.n)
    assert e.columns[-2:] == ("prediction", "prediction perturbed")
    clean = est.predict(frame[feats])
    for i, row in zip(e.row_numbers, e.rows, strict=True):
        assert row[-2] == str(clean[i]) and row[-1] != row[-2]
        assert any("→" in c for c in row[:-2])  # a perturbed feature, before → after


def test_planted_personal_data_never_reaches_a_report() -> None:
    """Group values that are an e-mail, a phone number and an IBAN: the finding, the examples,
    report.json, the HTML page and report.md show them masked only."""
    from tef_harness.reports.renderers.html_report import render_html
    from tef_harness.reports.renderers.json_report import render_json
    from tef_harness.reports.renderers.markdown_report import render_markdown
    from tef_harness.sdk.results import Status
    from tests.engine.report_factory import sample_report
    from tests.reports.conftest import make_result, report_with

    frame, pred = _planted()
    frame["sex"] = frame["sex"].map({"F": EMAIL, "M": PHONE})
    frame["age_group"] = frame["age_group"].replace({"50+": IBAN})
    ctx = make_context(frame, target="y", sensitive=("sex", "age_group"), model=FixedPredictions(pred, (0, 1)))
    out = SubgroupSearch().run(ctx, SubgroupSearchParams())
    assert examples_of(out), "the planted gap must give example rows"
    result = make_result(
        "bias.subgroup_search",
        Status.FAILED,
        metrics=out.metrics,
        findings=out.findings,
        details=out.details,
        views=out.views,
    )
    report = report_with(sample_report(), [result])
    texts = {
        "json": render_json(report),
        "html": render_html(report),
        "md": render_markdown(report),
        "raw": json.dumps(out.model_dump(mode="json")),
    }
    assert "Example rows (masked)" in texts["html"] and "Example rows (masked)" in texts["md"]
    for name, text in texts.items():
        for secret in (EMAIL, PHONE, IBAN, "jane.doe", "7946 0958", "0532013000"):
            assert secret not in text, f"{secret!r} in {name}"
