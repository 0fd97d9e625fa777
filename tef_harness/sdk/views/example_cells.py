"""Which columns an example row may show as values, and what it shows for the others.

An example row (``examples.ExampleRows``) shows a few cells of real rows: the subgroup's
values, the swapped attribute, the perturbed feature. The masking door finds personal data
that has a shape (e-mail, phone, IBAN, national identifiers, long numbers), but not a
person's name or street address in free text: the offline recognizer set has no NER model,
so "Maria Kowalski, 12 Elm Road" would reach the report cut to 40 characters, not masked.

So an example cell shows its value only where the column is **categorical**, and a
placeholder with the value's length (``‹text, 23 chars›``) otherwise. Categorical is decided
on the column (not the cell), from its present values, all four of:

1. at most :data:`MAX_CATEGORIES` distinct values;
2. each distinct value present at least twice on average (``distinct <= present / 2``): a
   column where most values are unique identifies rows, whatever it holds;
3. no value longer than :data:`MAX_CODE_LENGTH` characters;
4. no value of more than :data:`MAX_WORDS` words (sentences are free text, "new car" is not).

Numbers, booleans and dates are shown (the door already masks long whole numbers). When the
column cannot be judged (too few rows: a column of three rows fails rule 2), the cell is
hidden: a privacy rule fails closed. What stays possible, and is said in the report's
documentation: a low-cardinality column of repeated names (four loan officers) passes as
categorical, as no rule on values alone can tell "Smith" from "Sales".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tef_harness.sdk.masking import data_text

if TYPE_CHECKING:  # pandas is imported where a column is judged: `tef --help` never pays for it
    import pandas as pd

MAX_CATEGORIES = 50
MAX_CODE_LENGTH = 32
MAX_WORDS = 3


def is_categorical(column: pd.Series) -> bool:
    """True when ``column``'s values may be shown in example rows (see the module's rules)."""
    import pandas as pd

    if pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(column):
        return True
    if pd.api.types.is_datetime64_any_dtype(column) or pd.api.types.is_timedelta64_dtype(column):
        return True
    present = column.dropna()
    if present.empty:
        return True  # nothing to show: every cell is missing, shown as ''
    texts = present.astype(str)
    distinct = texts.unique()
    if len(distinct) > MAX_CATEGORIES or len(distinct) * 2 > len(texts):
        return False
    return all(len(v) <= MAX_CODE_LENGTH and len(v.split()) <= MAX_WORDS for v in distinct)


def free_text_columns(frame: pd.DataFrame, columns: Iterable[str]) -> frozenset[str]:
    """The names among ``columns`` (columns of ``frame``) whose cells example rows hide.
    A name that is not a column of ``frame`` is left out (the caller shows no data there)."""
    return frozenset(c for c in columns if c in frame.columns and not is_categorical(frame[c]))


def text_placeholder(value: Any) -> str:
    """What an example cell of a free-text column shows: the value's length, never any part
    of it (``‹text, 23 chars›``); a missing value is '' as in every other cell."""
    text = data_text(value)
    return f"‹text, {len(text)} chars›" if text else ""


def example_cell(value: Any, free_text: bool) -> Any:
    """``value`` itself (``ExampleRows.build`` masks and cuts it) or, for a free-text column,
    its placeholder."""
    return text_placeholder(value) if free_text else value
