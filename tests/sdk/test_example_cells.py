"""Free text in example rows: which columns show their values, what the others show, and that
names and addresses (which the masking door cannot recognise offline) never reach a report."""

from __future__ import annotations

import numpy as np
import pandas as pd
from faker import Faker

from tef_harness.sdk.views.example_cells import (
    MAX_CATEGORIES,
    example_cell,
    free_text_columns,
    is_categorical,
    text_placeholder,
)
from tef_harness.sdk.views.examples import ExampleRows


def _faker(seed: int = 0) -> Faker:
    fake = Faker(["en_GB", "de_DE", "fr_FR", "pl_PL"])
    fake.seed_instance(seed)
    return fake


def test_categories_show_and_free_text_hides() -> None:
    fake = _faker()
    n = 400
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "sex": rng.choice(["F", "M"], n),
            "purpose": rng.choice(["new car", "used car", "radio/TV", "education"], n),
            "income": rng.uniform(0, 1, n),
            "name": [fake.name() for _ in range(n)],
            "first_name": [fake.first_name() for _ in range(n)],
            "address": [fake.address() for _ in range(n)],
            "status": pd.Categorical(rng.choice(["A11", "A12"], n)),
            "empty": [None] * n,
        }
    )
    assert free_text_columns(frame, frame.columns) == {"name", "first_name", "address"}
    # a column that is not in the frame is no data: nothing to hide
    assert free_text_columns(frame, ["prediction"]) == frozenset()


def test_each_rule_alone_makes_a_column_free_text() -> None:
    repeated = ["a", "b"] * 20
    assert is_categorical(pd.Series(repeated))
    # 1. too many distinct values, though each repeats
    many = [f"c{i}" for i in range(MAX_CATEGORIES + 1)] * 2
    assert not is_categorical(pd.Series(many))
    assert is_categorical(pd.Series(many[:MAX_CATEGORIES] * 2))
    # 2. most values unique: a small column of names fails closed
    assert not is_categorical(pd.Series(["Anna Nowak", "Jan Kowalski", "Anna Nowak"]))
    # 3. a long value among repeated short ones
    assert not is_categorical(pd.Series([*repeated, "x" * 33, "x" * 33]))
    assert is_categorical(pd.Series([*repeated, "x" * 32, "x" * 32]))
    # 4. a sentence among categories
    assert not is_categorical(pd.Series(repeated + ["called back about the fee"] * 2))
    assert is_categorical(pd.Series(repeated + ["called back today"] * 2))


def test_the_placeholder_holds_the_length_only() -> None:
    assert text_placeholder("Maria Kowalski") == "‹text, 14 chars›"
    assert text_placeholder(None) == "" and text_placeholder(float("nan")) == ""
    assert example_cell("F", False) == "F"
    assert example_cell("Maria Kowalski", True) == "‹text, 14 chars›"


def test_no_part_of_a_name_or_address_reaches_the_example_rows() -> None:
    fake = _faker(3)
    n = 300
    frame = pd.DataFrame({"name": [fake.name() for _ in range(n)], "address": [fake.address() for _ in range(n)]})
    hidden = free_text_columns(frame, frame.columns)
    cells = [[example_cell(frame[c][i], c in hidden) for c in frame.columns] for i in range(5)]
    e = ExampleRows.build(None, None, "rows", list(frame.columns), range(5), cells, n)
    dumped = e.model_dump_json()
    for value in frame.head(5).to_numpy().ravel():
        # every word of three or more letters of the value (a first name, a street)
        for word in str(value).replace(",", " ").split():
            if len(word) >= 3 and not word.isdigit():
                assert word not in dumped, word
    assert all(cell.startswith("‹text, ") for row in e.rows for cell in row)
