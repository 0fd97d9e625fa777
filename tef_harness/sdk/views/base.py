"""The base of every typed view a check emits for renderers and other checks.

A view is one computed table or curve with a known shape (fairlearn's ``MetricFrame``
"by group" is the model): frozen, made of tuples (never lists or dicts, so nothing reachable
from a report can be mutated), versioned by ``schema_version`` so a reader can refuse a shape
it does not know, and discriminated by ``kind`` so a report read back from JSON gets the same
classes. Every string in a view passes the masking door on construction: group values and
item titles come from user data.

A new view kind subclasses :class:`View` with ``kind: Literal["..."]`` and is added to
``tef_harness.sdk.views.AnyView``.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from tef_harness.sdk.masking import redact


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, tuple | list):
        return tuple(_masked(v) for v in value)
    return value


class ViewPart(BaseModel):
    """A frozen piece of a view (a row, a point); strings masked, floats finite."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _mask_strings(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: _masked(v) for k, v in data.items()}
        return data

    @field_validator("*", mode="after")
    @classmethod
    def _finite(cls, v: Any) -> Any:
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError(f"view values must be finite, got {v}")
        return v


class View(ViewPart):
    """One typed view; subclasses fix ``kind`` and ``schema_version``."""

    kind: str
    schema_version: int = 1
    #: what a reader sees above the table or plot
    title: str = ""
