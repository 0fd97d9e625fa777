"""Which string columns hold free text rather than categories.

A tabular perturbation that swaps a cell for another "level" swaps whole sentences between
rows when the column is free text: a text classifier then flips on half the rows, which says
nothing about its robustness, and the levels (customer notes) end up in the report. Free
text is perturbed by ``robustness.text_invariance`` instead, with label-preserving edits.
"""

from __future__ import annotations

import pandas as pd

#: mean words per value at or above which a string column reads as sentences
MIN_MEAN_WORDS = 3.0


def is_free_text(col: pd.Series) -> bool:
    """A string column whose values average three or more words and of which more than a
    quarter of the present values are distinct (a multi-word category repeats)."""
    if not (pd.api.types.is_object_dtype(col) or pd.api.types.is_string_dtype(col)):
        return False
    present = col.dropna()
    if present.empty:
        return False
    texts = present.astype(str)
    words = texts.map(lambda s: len(s.split()))
    return float(words.mean()) >= MIN_MEAN_WORDS and texts.nunique() > len(texts) // 4
