"""A rare inferred level (a name typed into a category column) is withheld from the
perturbation's flip examples as it is from the schema the report lists."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tef_harness.checks.robustness.perturbation import RARE_LEVEL, _flip_examples
from tef_harness.checks.robustness.schema import MIN_LISTED_COUNT, resolve_domain

NAME = "Annika Vandersloot"


def test_rare_level_is_withheld_from_examples_and_frequent_ones_shown() -> None:
    sample = pd.DataFrame({"purpose": ["car"] * 6 + ["home"] * 6 + [NAME], "x": np.arange(13.0)})
    domain = resolve_domain(sample, {}, field="schema")
    assert domain["purpose"].withheld_levels == {NAME}  # 1 < MIN_LISTED_COUNT <= 6
    assert MIN_LISTED_COUNT <= 6
    perturbed = sample.copy()
    perturbed.loc[0, "purpose"] = NAME  # a swap drew the rare level
    perturbed.loc[12, "purpose"] = "car"  # the rare row itself swapped away
    perturbed.loc[6, "purpose"] = "car"
    clean = np.zeros(13, dtype=int)
    pred = clean.copy()
    pred[[0, 6, 12]] = 1
    ex = _flip_examples("categorical_swap", 1, np.arange(13), sample, perturbed, clean, pred, domain)
    assert ex is not None
    assert NAME not in ex.model_dump_json()
    col = ex.columns.index("purpose")
    assert [r[col] for r in ex.rows] == [f"car → {RARE_LEVEL}", "home → car", f"{RARE_LEVEL} → car"]


def test_a_frequent_level_is_listed_through_the_masking_door() -> None:
    email = "jane.doe@example.org"
    frame = pd.DataFrame({"contact": [email] * 6 + ["none"] * 6 + [NAME]})
    out = resolve_domain(frame, {}, field="schema").to_json()["contact"]
    assert isinstance(out, dict)
    assert out["n_levels"] == 3 and out["n_levels_withheld"] == 1
    levels = out["levels"]
    assert isinstance(levels, list) and len(levels) == 2 and "none" in levels
    assert email not in str(out) and NAME not in str(out)
    # masked, not dropped: the door keeps the length and shows at most a quarter (the last two)
    assert "*" * (len(email) - 2) + email[-2:] in levels


def test_declared_levels_stay_as_declared() -> None:
    from tef_harness.checks.robustness.schema import FeatureSpec

    frame = pd.DataFrame({"purpose": ["car"] * 6 + ["rare"]})
    spec = FeatureSpec(levels=("car", "rare", "boat"))
    out = resolve_domain(frame, {"purpose": spec}, field="schema").to_json()["purpose"]
    assert isinstance(out, dict) and out["levels"] == ["car", "rare", "boat"] and "n_levels_withheld" not in out
