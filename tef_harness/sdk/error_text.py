"""A model's exception message as one line a report may show.

Why the message at all: "the model's predict raised ValueError" does not tell a user that the
pipeline was fitted on other columns, or which value it choked on; the message does. Why it is
masked here, before it leaves the model call: libraries quote the offending input in it
(``could not convert string to float: 'Jan Jansen'``, ``Unable to parse string "…"``) and a
custom model can print a whole row. A name is not something the masking door's text rules can
recognise, so three rules run first, each masking with the door's own ``mask``:

1. a quoted literal (``'…'`` or ``"…"``), unless it is one of the input's column names (the
   report names the columns anyway) or a Python/NumPy type name (``'str'``, ``'float64'``):
   the quoting libraries do is what marks the echoed value;
2. every whole-word occurrence of a text value of the inputs (a cell of a string or category
   column, or a prompt), quoted or not;
3. every number of three or more digits that equals a numeric cell of the inputs (small
   numbers are counts and shapes: "expects 11 features, got 12").

Then the whole line passes ``masking.redact`` (e-mails, phone numbers, IBANs, cards,
identifiers anywhere in it). The result is one line of at most :data:`MAX_CHARS` characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from tef_harness.sdk.alternation import longest_first
from tef_harness.sdk.masking import mask, redact

#: the longest message kept (the engine cuts a reason line at 300 characters)
MAX_CHARS = 240
#: at most this many distinct text values of the inputs are looked for in a message
MAX_VALUES = 50_000
_QUOTED = re.compile(r"'([^'\n]{1,200})'|\"([^\"\n]{1,200})\"")
_NUMBER = re.compile(r"(?<![\w.])[+\-]?\d[\d_]*(?:\.\d+)?(?:[eE][+\-]?\d+)?(?![\w.])")
_TYPE_NAMES = frozenset(
    {"str", "int", "float", "bool", "bytes", "object", "NoneType", "list", "tuple", "dict", "complex"}
    | {f"{kind}{bits}" for kind in ("int", "uint", "float", "complex") for bits in (8, 16, 32, 64, 128)}
    | {"category", "string", "datetime64[ns]", "timedelta64[ns]", "nan", "None"}
)


def exception_text(exc: BaseException, inputs: pd.DataFrame | Sequence[str] | None = None) -> str:
    """``exc``'s message (``str(exc)``) on one line, masked as the module docstring says, cut to
    :data:`MAX_CHARS` characters (an ellipsis marks a cut); '' when it has none. ``inputs`` is
    what the model was called on: a frame of model inputs or the texts given to it."""
    # a message can dump a whole array: only its start is looked at
    text = " ".join(str(exc)[: 4 * MAX_CHARS].split())
    if not text:
        return ""
    columns = {str(c) for c in inputs.columns} if isinstance(inputs, pd.DataFrame) else set()
    spans = _quoted_spans(text, columns) + _value_spans(text, inputs)
    out: list[str] = []
    last = 0
    for start, end in _merged(spans):
        out.append(text[last:start])
        out.append(mask(text[start:end]))
        last = end
    out.append(text[last:])
    masked = redact("".join(out))
    return masked if len(masked) <= MAX_CHARS else masked[: MAX_CHARS - 1] + "…"


def _quoted_spans(text: str, columns: set[str]) -> list[tuple[int, int]]:
    spans = []
    for m in _QUOTED.finditer(text):
        group = 1 if m.group(1) is not None else 2
        literal = m.group(group)
        if literal not in columns and literal not in _TYPE_NAMES:
            spans.append(m.span(group))
    return spans


def _value_spans(text: str, inputs: pd.DataFrame | Sequence[str] | None) -> list[tuple[int, int]]:
    words, numbers = _input_values(inputs)
    spans = []
    for value in words:
        if len(value) >= 2 and value in text:
            spans += [m.span() for m in re.finditer(rf"(?<!\w){re.escape(value)}(?!\w)", text)]
    if len(numbers):
        for m in _NUMBER.finditer(text):
            token = m.group()
            # float() reads every token the pattern matches ('1_000' included)
            if sum(c.isdigit() for c in token) >= 3 and np.isin(float(token), numbers):
                spans.append(m.span())
    return spans


def _input_values(inputs: pd.DataFrame | Sequence[str] | None) -> tuple[list[str], np.ndarray]:
    """The distinct text values (at most :data:`MAX_VALUES`) and numeric values of the inputs."""
    if inputs is None:
        return [], np.empty(0)
    if not isinstance(inputs, pd.DataFrame):
        return [str(v) for v in list(dict.fromkeys(inputs))[:MAX_VALUES]], np.empty(0)
    words: set[str] = set()
    numbers: list[np.ndarray] = []
    for name in inputs.columns:
        col = inputs[name]
        if pd.api.types.is_bool_dtype(col):
            continue
        if pd.api.types.is_numeric_dtype(col):
            numbers.append(pd.to_numeric(col, errors="coerce").dropna().to_numpy(dtype=float))
            continue
        for v in col.dropna().unique()[: MAX_VALUES - len(words)]:
            words.add(str(v))
    nums = np.unique(np.concatenate(numbers)) if numbers else np.empty(0)
    # one order in every process (a set's changes with PYTHONHASHSEED); overlapping spans of
    # "Jan Jansen" and "Jan" are merged into one mask by _merged whatever the order
    return sorted(words, key=longest_first), nums


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
