"""Tabular data intake: read a CSV or Parquet file and refuse what no check could judge.

Validation happens here, once, so a bad file fails the run before any check starts and
the message names the file and the config field that pointed at it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tef_harness.intake.hashing import sha256_file
from tef_harness.sdk.data import Dataset
from tef_harness.sdk.errors import IntakeError

SUPPORTED_SUFFIXES = (".csv", ".parquet", ".pq", ".jsonl")


def read_table(path: Path, *, field: str) -> pd.DataFrame:
    """Read a table by suffix; every failure becomes one line naming the file and field."""
    if not path.exists():
        raise IntakeError("file not found", file=path, field=field)
    if not path.is_file():
        raise IntakeError("not a regular file", file=path, field=field)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        _refuse_duplicated_header(path, field)
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path, low_memory=False)
        elif suffix in (".parquet", ".pq"):
            frame = pd.read_parquet(path)
        elif suffix == ".jsonl":
            frame = pd.read_json(path, lines=True)
        else:
            raise IntakeError(
                f"unsupported data format {suffix or '(none)'}; use one of " + ", ".join(SUPPORTED_SUFFIXES),
                file=path,
                field=field,
            )
    except IntakeError:
        raise
    except pd.errors.EmptyDataError:
        raise IntakeError("file is empty", file=path, field=field) from None
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise IntakeError(f"cannot parse: {type(exc).__name__}", file=path, field=field) from None
    except (OSError, ValueError, ImportError) as exc:
        raise IntakeError(
            f"cannot read: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}",
            file=path,
            field=field,
        ) from None
    if frame.empty:
        raise IntakeError("data set has no rows", file=path, field=field)
    frame.columns = [str(c) for c in frame.columns]
    _refuse_duplicates([str(c) for c in frame.columns], path, field)
    return frame


def _refuse_duplicated_header(path: Path, field: str) -> None:
    """pandas renames a repeated CSV column (``x1``, ``x1.1``) and the run goes on with a
    column nobody named: read the header row ourselves and refuse repeats."""
    import csv

    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            header = next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return  # pandas gives the one-line error for an unreadable file
    _refuse_duplicates(header, path, field)


def _refuse_duplicates(names: list[str], path: Path, field: str) -> None:
    from collections import Counter

    repeated = sorted(n for n, k in Counter(names).items() if k > 1)
    if repeated:
        raise IntakeError(
            f"duplicated column name(s) {', '.join(repr(n) for n in repeated[:8])}; every column needs its own name",
            file=path,
            field=field,
        )


def load_dataset(
    path: Path,
    *,
    role: str,
    field: str,
    target: str | None,
    sensitive: tuple[str, ...],
    target_field: str = "data.target",
    sensitive_field: str = "data.sensitive",
) -> Dataset:
    """Read and validate a data set: the named target and sensitive columns exist and the
    target has no missing values (a row without a label cannot be scored)."""
    frame = read_table(path, field=field)
    if target is not None:
        if target not in frame.columns:
            raise IntakeError(
                f"target column {target!r} not found (columns: {_preview(frame.columns)})",
                file=path,
                field=target_field,
            )
        n_missing = int(frame[target].isna().sum())
        if n_missing:
            raise IntakeError(
                f"target column {target!r} has {n_missing} missing value(s); drop or label those rows",
                file=path,
                field=target_field,
            )
    for col in sensitive:
        if col == target:
            raise IntakeError(
                f"the target {target!r} cannot also be a sensitive column", file=path, field=sensitive_field
            )
        if col not in frame.columns:
            raise IntakeError(
                f"sensitive column {col!r} not found (columns: {_preview(frame.columns)})",
                file=path,
                field=sensitive_field,
            )
    return Dataset(role=role, path=str(path), sha256=sha256_file(path), frame=frame)


def _preview(columns: pd.Index, limit: int = 12) -> str:
    names = [str(c) for c in columns]
    more = f", ... ({len(names) - limit} more)" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more
