import math

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from tef_harness.checks.robustness.schema import FeatureSpec, resolve_domain
from tef_harness.sdk.errors import ConfigError
from tef_harness.testing import synthetic_frame

FIELD = "checks.robustness.perturbation.params.schema"


@pytest.fixture
def X() -> pd.DataFrame:
    return synthetic_frame(200).drop(columns=["y", "notes"])


def test_inferred_domain_reads_kinds_bounds_and_levels(X):
    d = resolve_domain(X, {}, field=FIELD, immutable_by_default=("sex",))
    assert d["income"].kind == "numeric" and not d["income"].integer
    assert d["income"].lo == X["income"].min() and d["income"].hi == X["income"].max()
    assert d["years_employed"].integer
    assert d["region"].kind == "categorical" and d["region"].levels == ("east", "north", "south")
    assert math.isclose(sum(d["region"].level_probs), 1.0)
    assert d["sex"].immutable and not d["age_group"].immutable
    assert {f.source for f in d.features} == {"inferred"}


def test_declared_spec_overrides_inference(X):
    schema = {
        "income": FeatureSpec(min=0, max=1e6),
        "region": FeatureSpec(levels=("east", "north", "south", "west")),
        "debt_ratio": FeatureSpec(immutable=True),
    }
    d = resolve_domain(X, schema, field=FIELD)
    assert (d["income"].lo, d["income"].hi) == (0.0, 1e6)
    assert d["region"].levels[-1] == "west" and d["region"].level_probs[-1] > 0
    assert d["debt_ratio"].immutable and d["debt_ratio"].source == "declared"
    assert d.to_json()["income"]["max"] == 1e6


@pytest.mark.parametrize(
    ("schema", "field_end"),
    [
        pytest.param({"salary": FeatureSpec()}, "schema.salary", id="unknown-column"),
        pytest.param({"income": FeatureSpec(max=10.0)}, "schema.income", id="data-beyond-declared-max"),
        pytest.param({"region": FeatureSpec(levels=("east", "north"))}, "schema.region.levels", id="missing-level"),
        pytest.param({"debt_ratio": FeatureSpec(integer=True)}, "schema.debt_ratio.integer", id="not-integer"),
        pytest.param({"region": FeatureSpec(min=0.0)}, "schema.region", id="bounds-on-text"),
        pytest.param(
            {"years_employed": FeatureSpec(levels=("1", "2"))}, "schema.years_employed.levels", id="levels-on-numbers"
        ),
    ],
)
def test_schema_contradicting_the_data_is_a_config_error(X, schema, field_end):
    with pytest.raises(ConfigError) as err:
        resolve_domain(X, schema, field=FIELD)
    assert err.value.field is not None and err.value.field.startswith(FIELD)
    assert err.value.field.endswith(field_end)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"min": 2.0, "max": 1.0}, id="min-above-max"),
        pytest.param({"levels": ("a", "a")}, id="duplicate-levels"),
        pytest.param({"levels": ("a",), "min": 0.0}, id="levels-with-bounds"),
        pytest.param({"mutable": False}, id="typo"),
        pytest.param({"max": float("inf")}, id="infinite-bound"),
    ],
)
def test_feature_spec_validates_itself(kwargs):
    with pytest.raises(ValidationError):
        FeatureSpec(**kwargs)


def test_non_tabular_columns_are_left_alone():
    X = pd.DataFrame(
        {"when": pd.date_range("2024-01-01", periods=5), "flag": [True, False] * 2 + [True], "x": np.arange(5.0)}
    )
    d = resolve_domain(X, {}, field=FIELD)
    assert d["when"].kind == "other" and d["when"].immutable
    assert d["flag"].kind == "other"
    assert [f.name for f in d.mutable_numeric] == ["x"]
