"""Perturbation families keep rows valid under the domain (property-tested) and report
exactly the rows they changed."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tef_harness.checks.robustness.families import FAMILIES, INTENSITY, applicable, perturb
from tef_harness.checks.robustness.schema import FeatureSpec, resolve_domain

LEVELS = ("a", "b", "c", "d")


@st.composite
def frames_and_schemas(draw):
    n = draw(st.integers(1, 40))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "f": rng.normal(draw(st.floats(-1e3, 1e3)), draw(st.floats(1e-3, 1e3)), n),
            "i": rng.integers(-5, draw(st.integers(-4, 100)), n),
            "z": np.zeros(n),  # constant column
            "c": rng.choice(LEVELS[: draw(st.integers(1, 4))], n),
            "s": rng.choice(["x", "y"], n),
        }
    )
    if draw(st.booleans()):
        frame.loc[frame.index[0], "f"] = np.nan
    schema = {}
    for col in frame.columns:
        if draw(st.booleans()):
            schema[col] = FeatureSpec(immutable=draw(st.booleans()))
    if draw(st.booleans()):
        present = frame["f"].fillna(0)
        schema["f"] = FeatureSpec(min=float(present.min()) - 1, max=float(present.max()) + 1)
    if draw(st.booleans()):
        schema["c"] = FeatureSpec(levels=LEVELS)
    return frame, schema, seed


def _row_changed(before: pd.DataFrame, after: pd.DataFrame) -> np.ndarray:
    out = np.zeros(len(before), dtype=bool)
    for r in range(len(before)):
        for c in before.columns:
            a, b = before.iloc[r][c], after.iloc[r][c]
            if not (a == b or (pd.isna(a) and pd.isna(b))):
                out[r] = True
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=frames_and_schemas(), family=st.sampled_from(FAMILIES), severity=st.integers(1, 5))
def test_families_keep_rows_valid_and_mark_changed_rows(data, family, severity):
    frame, schema, seed = data
    domain = resolve_domain(frame, schema, field="schema", immutable_by_default=("s",))
    out, changed = perturb(frame, domain, family, INTENSITY[family][severity - 1], np.random.default_rng(seed))
    assert list(out.columns) == list(frame.columns) and len(out) == len(frame)
    problems = domain.violations(
        out, frame, allow_missing=family == "missing_values", allow_out_of_range=family == "out_of_range"
    )
    assert problems == []
    np.testing.assert_array_equal(changed, _row_changed(frame, out))
    if family != "missing_values":
        numeric = [c for c in frame.columns if frame[c].dtype.kind in "fiu"]
        assert (out[numeric].dtypes == frame[numeric].dtypes).all()
    if not applicable(family, domain):
        assert not changed.any()


def test_out_of_range_leaves_the_range_on_every_eligible_row():
    frame = pd.DataFrame({"f": np.linspace(0, 1, 50), "i": np.arange(50)})
    domain = resolve_domain(frame, {}, field="schema")
    out, changed = perturb(frame, domain, "out_of_range", 0.5, np.random.default_rng(0))
    assert changed.all()
    outside = ((out["f"] < 0) | (out["f"] > 1)) | ((out["i"] < 0) | (out["i"] > 49))
    assert outside.all()
    assert (out["i"] == out["i"].round()).all()


def test_category_swap_draws_other_levels_by_frequency():
    frame = pd.DataFrame({"c": ["a"] * 1000 + ["b"] * 900 + ["c"] * 100})
    domain = resolve_domain(frame, {}, field="schema")
    out, changed = perturb(frame, domain, "category_swap", 1.0, np.random.default_rng(0))
    assert changed.all()
    swapped_from_a = out["c"][:1000].value_counts(normalize=True)
    assert swapped_from_a["b"] == pytest.approx(0.9, abs=0.04)


def test_immutable_only_domain_has_nothing_to_perturb():
    frame = pd.DataFrame({"f": [1.0, 2.0], "c": ["a", "b"]})
    domain = resolve_domain(frame, {"f": FeatureSpec(immutable=True), "c": FeatureSpec(immutable=True)}, field="s")
    assert not domain.has_mutable
    assert not any(applicable(f, domain) for f in FAMILIES)
