"""Matching target labels to a model's classes by value (intake/labels.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tef_harness.intake.labels import apply_mapping, describe_mapping, label_key, match_labels
from tef_harness.sdk.errors import IntakeError


@pytest.mark.parametrize(
    ("value", "key"),
    [("1", 1.0), (1, 1.0), (1.0, 1.0), (np.int64(1), 1.0), (True, 1.0), (" yes ", "yes"), ("nan", "nan")],
)
def test_label_key(value: object, key: object) -> None:
    assert label_key(value) == key


def test_same_labels_need_no_mapping() -> None:
    assert match_labels([np.int64(0), np.int64(1)], (0, 1), file="f", field="data.target") is None
    assert match_labels([np.float64(0.5)], (0.5, 1.5), file="f", field="data.target") is None
    assert match_labels(["a"], ("a", "b"), file="f", field="data.target") is None  # a subset


def test_other_types_are_mapped_by_value() -> None:
    mapping = match_labels([np.int64(1), np.int64(0)], ("0", "1"), file="f", field="data.target")
    assert mapping == {1: "1", 0: "0"} and describe_mapping(mapping) == "0 -> '0', 1 -> '1'"
    frame = pd.DataFrame({"y": [0, 1, 1], "x": [1.0, 2.0, 3.0]})
    assert apply_mapping(frame, "y", mapping)["y"].tolist() == ["0", "1", "1"]
    assert frame["y"].tolist() == [0, 1, 1]  # a copy: the caller's frame is untouched
    assert match_labels([0, 1], (False, True), file="f", field="data.target") == {0: False, 1: True}
    # equal numbers of another type are mapped too, so that the report records the coercion
    mapping = match_labels([1.0, 0.0], (0, 1), file="f", field="data.target")
    assert mapping == {1.0: 1, 0.0: 0} and describe_mapping(mapping) == "0.0 -> 0, 1.0 -> 1"
    assert match_labels([np.int64(0), np.int64(1)], (0.0, 1.0), file="f", field="data.target") == {0: 0.0, 1: 1.0}


def test_ambiguous_or_unmatched_labels_name_file_field_and_both_sets() -> None:
    with pytest.raises(IntakeError) as info:
        match_labels(["1", "1.0"], (0, 1), file="eval.csv", field="data.target")
    assert info.value.one_line() == (
        "eval.csv: data.target: target labels ['1', '1.0'] match the model's classes [0, 1] ambiguously; "
        "relabel the target column to the classes the model was fitted on"
    )
    with pytest.raises(IntakeError, match=r"target labels \[1, 2\] do not match the model's classes \[0, 1\]"):
        match_labels([1, 2], (0, 1), file="eval.csv", field="data.target")
