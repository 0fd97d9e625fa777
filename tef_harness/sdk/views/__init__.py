"""Typed views checks emit beside their metrics (group tables, curves, documentation item
states, a reliability diagram, masked example rows). ``AnyView`` is the union a result's
``views`` holds; a new kind is added to it."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from tef_harness.sdk.views.base import View, ViewPart
from tef_harness.sdk.views.calibration import CalibrationBin, CalibrationCurve
from tef_harness.sdk.views.curves import Curve, CurvePoint
from tef_harness.sdk.views.documentation import ItemState, ItemStates
from tef_harness.sdk.views.example_cells import example_cell, free_text_columns
from tef_harness.sdk.views.examples import ExampleRows
from tef_harness.sdk.views.groups import GroupRow, GroupTable, Measured

AnyView = Annotated[
    GroupTable | Curve | ItemStates | CalibrationCurve | ExampleRows, Field(discriminator="kind")
]

__all__ = [
    "AnyView",
    "CalibrationBin",
    "CalibrationCurve",
    "Curve",
    "CurvePoint",
    "ExampleRows",
    "GroupRow",
    "GroupTable",
    "ItemState",
    "ItemStates",
    "Measured",
    "View",
    "ViewPart",
    "example_cell",
    "free_text_columns",
]
