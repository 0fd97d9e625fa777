"""Up to five example rows behind one finding, masked: what lets a reader see a slice, a flip or
a perturbation instead of only its rate.

What a check may put here is held by the type, so a check author cannot leak by accident:

- at most :data:`MAX_ROWS` rows and :data:`MAX_COLUMNS` columns; a check picks the columns
  that define the finding (the subgroup's conditions, the swapped attribute, the perturbed
  feature) and the model's answers, never the whole record;
- every string (column names, cells, caption, location) passes through
  :func:`tef_harness.sdk.masking.redact` at construction, and a cell is cut at
  :data:`MAX_CELL` characters, so a free-text value shows its start, masked, at most;
- rows are identified by their position in the evaluation data (``row_numbers``, integers:
  a position is not personal data, and the masking door would mask a long one as a string).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from tef_harness.sdk.masking import data_text, redact
from tef_harness.sdk.views.base import View

MAX_ROWS = 5
MAX_COLUMNS = 12
MAX_CELL = 40


def cell_text(value: Any) -> str:
    """A data value as short, masked text (:func:`tef_harness.sdk.masking.data_text`: floats to
    6 significant digits, missing as '', long whole numbers masked), cut at MAX_CELL."""
    text = " ".join(data_text(value).split())
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    return redact(text)


class ExampleRows(View):
    """Example rows for the finding ``finding_code`` at ``location`` (a subgroup, an attribute
    swap, a perturbation family). ``total``: how many rows of the evaluation data are like
    these (the rows shown are the first of them in data order)."""

    kind: Literal["example_rows"] = "example_rows"
    schema_version: Literal[1] = 1
    #: the finding these rows illustrate; None for rows behind a metric (a perturbation's flips)
    finding_code: str | None = None
    location: str | None = None
    caption: str
    columns: tuple[str, ...] = Field(max_length=MAX_COLUMNS)
    row_numbers: tuple[Annotated[int, Field(ge=0)], ...] = Field(max_length=MAX_ROWS)
    rows: tuple[tuple[str, ...], ...] = Field(max_length=MAX_ROWS)
    total: Annotated[int, Field(ge=0)]

    @field_validator("caption")
    @classmethod
    def _masked(cls, v: str) -> str:
        return redact(v)

    @field_validator("location", "finding_code")
    @classmethod
    def _masked_location(cls, v: str | None) -> str | None:
        return None if v is None else redact(v)

    @field_validator("columns")
    @classmethod
    def _masked_columns(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(cell_text(c) for c in v)

    @field_validator("rows")
    @classmethod
    def _masked_cells(cls, v: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
        # cells built by hand (not through cell_text) get the same cut and mask
        return tuple(tuple(cell_text(c) for c in row) for row in v)

    @model_validator(mode="after")
    def _shape(self) -> ExampleRows:
        if len(self.rows) != len(self.row_numbers):
            raise ValueError(f"{len(self.rows)} rows but {len(self.row_numbers)} row numbers")
        if any(len(r) != len(self.columns) for r in self.rows):
            raise ValueError(f"every row needs {len(self.columns)} cells, one per column")
        if self.total < len(self.rows):
            raise ValueError(f"total {self.total} is less than the {len(self.rows)} rows shown")
        return self

    @classmethod
    def build(
        cls,
        finding_code: str | None,
        location: str | None,
        caption: str,
        columns: Sequence[str],
        positions: Sequence[int],
        cells: Sequence[Sequence[Any]],
        total: int,
    ) -> ExampleRows:
        """From raw values (any type): keeps the first :data:`MAX_ROWS`, masks every cell."""
        positions, cells = list(positions)[:MAX_ROWS], list(cells)[:MAX_ROWS]
        return cls(
            finding_code=finding_code,
            location=location,
            caption=caption,
            columns=tuple(columns),
            row_numbers=tuple(int(p) for p in positions),
            rows=tuple(tuple(cell_text(c) for c in row) for row in cells),
            total=total,
        )


def plain(value: Any) -> Any:
    """A (possibly frozen) JSON-like value as plain dicts and lists, for ``model_validate``."""
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def examples_of(result: Any) -> tuple[ExampleRows, ...]:
    """The example rows among a check result's (or output's) typed ``views``."""
    return tuple(v for v in getattr(result, "views", ()) if isinstance(v, ExampleRows))
