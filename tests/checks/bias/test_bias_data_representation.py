"""bias.data_representation: shares, reference comparison, training sample, base rates."""

from __future__ import annotations

import numpy as np
import pytest

from tef_harness.checks.bias.data_representation import DataRepresentation, DataRepresentationParams
from tef_harness.sdk.errors import ConfigError


def _metric(out, name):
    return next(m for m in out.metrics if m.name == name)


def test_shares_and_base_rates(fixed_context, frame_factory):
    frame, pred = frame_factory(2000, seed=1, p_sex=0.3)
    out = DataRepresentation().run(fixed_context(frame, pred), DataRepresentationParams())
    share_f = (frame["sex"] == "F").mean()
    m = _metric(out, "share/sex/F")
    assert m.value == pytest.approx(share_f, abs=1e-12) and m.ci.low < share_f < m.ci.high
    base = frame.groupby("sex")["y"].mean()
    assert _metric(out, "base_rate/sex/M").value == pytest.approx(base["M"], abs=1e-12)
    diff = _metric(out, "base_rate_difference/sex")
    assert diff.value == pytest.approx(abs(base["F"] - base["M"]), abs=1e-12) and diff.ci is not None


def test_under_represented_against_reference(fixed_context, frame_factory):
    frame, pred = frame_factory(2000, seed=2, p_sex=0.3)
    params = DataRepresentationParams(reference={"sex": {"F": 0.5, "M": 0.5}, "sex|age_group": {"F|65+": 0.1}})
    out = DataRepresentation().run(fixed_context(frame, pred), params)
    codes = {(f.code, f.location) for f in out.findings}
    assert ("BIAS030", "sex=F") in codes and ("BIAS030", "sex=M") not in codes
    ratio = _metric(out, "share_ratio/sex/F")
    assert ratio.value == pytest.approx((frame["sex"] == "F").mean() / 0.5)
    assert ratio.ci.low < ratio.value < ratio.ci.high


def test_training_sample_compared(fixed_context, frame_factory):
    from tef_harness.testing import make_context

    frame, pred = frame_factory(1000, seed=3)
    train, _ = frame_factory(800, seed=4, p_sex=0.8)
    train.loc[:, "age_group"] = np.where(train["age_group"] == "65+", "50-64", train["age_group"])
    ctx = make_context(frame, model=fixed_context(frame, pred).model, train=train)
    out = DataRepresentation().run(ctx, DataRepresentationParams())
    assert _metric(out, "train_share/sex/F").value == pytest.approx((train["sex"] == "F").mean())
    assert _metric(out, "share_tvd/sex").value > 0.2
    assert any(f.code == "BIAS033" and f.location == "age_group=65+" for f in out.findings)


def test_an_intersection_is_named_one_way_and_the_old_key_still_reads(fixed_context, frame_factory):
    """An intersection is ``sex|age_group`` in details, findings and views, as in the metric
    names (before: ``sex*age_group`` there and ``sex|age_group`` in the metrics); a reference
    population keyed the old way is read as the new key."""
    frame, pred = frame_factory(2000, seed=2, p_sex=0.3)
    ctx = fixed_context(frame, pred)
    new = DataRepresentation().run(ctx, DataRepresentationParams(reference={"sex|age_group": {"F|65+": 0.9}}))
    old = DataRepresentation().run(ctx, DataRepresentationParams(reference={"sex*age_group": {"F|65+": 0.9}}))
    assert DataRepresentationParams(reference={"sex*age_group": {"F|65+": 0.9}}).reference == {
        "sex|age_group": {"F|65+": 0.9}
    }
    assert "sex|age_group" in new.details["sets"] and not any("*" in k for k in new.details["sets"])
    assert [(f.code, f.location) for f in new.findings] == [(f.code, f.location) for f in old.findings]
    assert ("BIAS030", "sex|age_group=F|65+") in {(f.code, f.location) for f in new.findings}
    titles = {v.title for v in new.views}
    assert "Groups of sex|age_group" in titles and not any("*" in t for t in titles)
    ratio = _metric(new, "share_ratio/sex_x_age_group/F_x_65_x2B")
    assert ratio.value == pytest.approx(((frame["sex"] == "F") & (frame["age_group"] == "65+")).mean() / 0.9)


def test_reference_validation():
    with pytest.raises(ValueError, match="sum"):
        DataRepresentationParams(reference={"sex": {"F": 0.7, "M": 0.7}})
    with pytest.raises(ValueError):
        DataRepresentationParams(reference={"sex": {"F": -0.1}})


def test_reference_for_unknown_column_is_a_config_error(fixed_context, frame_factory):
    frame, pred = frame_factory(200, seed=5)
    with pytest.raises(ConfigError, match="reference names 'race'") as err:
        DataRepresentation().bind(fixed_context(frame, pred), DataRepresentationParams(reference={"race": {"a": 1.0}}))
    assert err.value.field == "reference"  # relative: the engine prefixes checks."<id>".params
