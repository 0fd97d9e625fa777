"""A model's exception message as a report may show it: one line, every echoed input value
masked. Expected texts are written out by hand: ``masking.mask`` keeps a value's length and
its last min(2, len // 4) characters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tef_harness.sdk.error_text import MAX_CHARS, exception_text

FRAME = pd.DataFrame(
    {
        "income": [52000.5, 48100.0, 61250.0],
        "age": [31, 45, 28],
        "name": ["Jan Jansen", "Jan", "Ana de Vries"],
        "region": pd.Categorical(["north", "south", "north"]),
        "flag": [True, False, True],
    }
)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # scikit-learn/numpy quote the value they choke on: masked though it is no cell
        ("could not convert string to float: 'Piet Pieters'", "could not convert string to float: '**********rs'"),
        ('Unable to parse string "Piet" at position 0', 'Unable to parse string "***t" at position 0'),
        # a quoted column name and a quoted type name stay readable
        ("columns are missing: {'region'}", "columns are missing: {'region'}"),
        (
            "'<' not supported between instances of 'str' and 'float'",
            "'*' not supported between instances of 'str' and 'float'",
        ),
        # a text cell of the input, unquoted, whole word only; the longer value first
        ("cannot score Jan Jansen or Jan", "cannot score ********en or ***"),
        ("Janssen is not Jan", "Janssen is not ***"),
        # a category cell
        ("unknown level north", "unknown level ****h"),
        # numbers of three or more digits that are numeric cells; small numbers and other numbers stay
        ("income 52000.5 of row 2 (age 31) and 61250 vs 12345", "income ******5 of row 2 (age 31) and ****0 vs 12345"),
        # the door's own rules, anywhere in the text: an e-mail, an IBAN
        ("mail jan@example.org, account NL91ABNA0417164300", "mail *************rg, account ****************00"),
        # one line
        ("Feature names unseen at fit time:\n- income2\n", "Feature names unseen at fit time: - income2"),
        ("", ""),
    ],
)
def test_message_masked(message: str, expected: str) -> None:
    assert exception_text(ValueError(message), FRAME) == expected


def test_texts_given_to_a_text_model_are_values_too() -> None:
    assert exception_text(RuntimeError("prompt too long: Dear Mr Smith"), ["Dear Mr Smith", "Hi"]) == (
        "prompt too long: ***********th"
    )


def test_without_inputs_only_quotes_and_the_door_apply() -> None:
    assert exception_text(KeyError("Jan Jansen")) == "'********en'"  # str(KeyError) quotes its key
    assert exception_text(ValueError("Jan Jansen jan@example.org")) == "Jan Jansen *************rg"


def test_a_long_message_is_cut_with_an_ellipsis() -> None:
    text = exception_text(ValueError("x" * 10 * MAX_CHARS), FRAME)
    assert len(text) == MAX_CHARS and text == "x" * (MAX_CHARS - 1) + "…"


def test_booleans_and_missing_cells_are_not_values() -> None:
    frame = pd.DataFrame({"ok": [True, False], "note": [None, np.nan]})
    assert exception_text(ValueError("True and None and nan"), frame) == "True and None and nan"
