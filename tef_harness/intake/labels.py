"""Match the target's labels to the model's classes before any check compares them.

A classifier fitted on the strings ``'0'``/``'1'`` and audited on a file whose target holds
the integers 0/1 compares nothing equal: accuracy 0, "0 positives" per group, and a
verdict built on that. Labels are matched by value where the match is unambiguous (each
label equals exactly one class once both are read as the same kind of value: ``'1'``, ``1``
and ``1.0`` are one value; ``'yes'`` is not ``1``), the target column is rewritten to the
model's own class values and the mapping is recorded. Anything else stops the run with one
line naming the file, the field and both sets of values (class labels, not personal data).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from tef_harness.sdk.errors import IntakeError

#: how many labels an error message lists before "..."
_SHOWN = 10


def label_key(value: object) -> object:
    """The value a label stands for: numbers and numeric text as a float (``'1'``, ``1``,
    ``1.0`` and ``True`` are all 1.0), any other text stripped, anything else itself."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            number = float(text)
        except ValueError:
            return text
        return number if math.isfinite(number) else text
    return value


def match_labels(
    values: Sequence[object], classes: Sequence[object], *, file: str, field: str
) -> dict[object, object] | None:
    """The map from each target value to the model class it stands for, or None when every
    value already is one of the classes (nothing to rewrite).

    Raises IntakeError (naming ``file`` and ``field`` and both label sets) when a value
    matches no class, or a value or class matches more than one of the other."""
    plain = [v.item() if isinstance(v, np.generic) else v for v in values]
    if all(_same_label_in(v, classes) for v in plain):
        return None
    by_key: dict[object, list[object]] = {}
    for c in classes:
        by_key.setdefault(label_key(c), []).append(c)
    mapping: dict[object, object] = {}
    for v in plain:
        found = by_key.get(label_key(v), [])
        if len(found) != 1:
            raise IntakeError(_mismatch(plain, classes, ambiguous=len(found) > 1), file=file, field=field)
        mapping[v] = found[0]
    if len(set(map(repr, mapping.values()))) < len(mapping):
        raise IntakeError(_mismatch(plain, classes, ambiguous=True), file=file, field=field)
    return mapping


def apply_mapping(frame: pd.DataFrame, target: str, mapping: dict[object, object]) -> pd.DataFrame:
    """A copy of ``frame`` whose target holds the model's class values."""
    out = frame.copy()
    # the keys are the column's own values (plain Python), equal and hash-equal to its cells
    mapped = out[target].map(mapping)
    out[target] = mapped.astype(object) if any(isinstance(v, str) for v in mapping.values()) else mapped
    return out


def describe_mapping(mapping: dict[object, object]) -> str:
    """``0 -> '0', 1 -> '1'``: reprs, so the report shows the types that were matched."""
    return ", ".join(f"{k!r} -> {v!r}" for k, v in sorted(mapping.items(), key=lambda kv: repr(kv[0])))


def _same_label_in(value: object, classes: Sequence[object]) -> bool:
    # equal and of the same kind: '1' == 1 is not, True == 1 is not a label anyone meant, and
    # 1.0 against 1 compares equal in numpy but is a coercion the report must show, so it is
    # mapped (and recorded) like the others
    return any(value == c and _kind(value) == _kind(c) for c in classes)


def _kind(value: object) -> str:
    """bool, int, float, str, ...: numpy scalars as the Python type they hold."""
    if isinstance(value, np.generic):
        value = value.item()
    return type(value).__name__


def _mismatch(values: Sequence[object], classes: Sequence[object], *, ambiguous: bool) -> str:
    how = (
        f"match the model's classes {_show(classes)} ambiguously"
        if ambiguous
        else f"do not match the model's classes {_show(classes)}"
    )
    return f"target labels {_show(values)} {how}; relabel the target column to the classes the model was fitted on"


def _show(values: Sequence[object]) -> str:
    shown = sorted((repr(v) for v in values), key=lambda s: (len(s), s))
    more = f", ... ({len(shown) - _SHOWN} more)" if len(shown) > _SHOWN else ""
    return "[" + ", ".join(shown[:_SHOWN]) + more + "]"
