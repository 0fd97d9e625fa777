"""Per-item documentation states: each item of a documentation profile (Annex IV, a model
card, a datasheet) with its state in the document. Emitted by ``documentation.completeness``
and ``documentation.datasheet``; read by the renderers."""

from __future__ import annotations

from typing import Literal

from tef_harness.sdk.views.base import View, ViewPart


class ItemState(ViewPart):
    """``state``: present, placeholder, missing or not_applicable (a profile may add more);
    ``location``: where in the document it was found; ``note``: why it is not complete."""

    id: str
    title: str
    group: str
    state: str
    complete: bool
    required: bool = True
    location: str | None = None
    note: str | None = None


class ItemStates(View):
    kind: Literal["item_states"] = "item_states"
    schema_version: Literal[1] = 1
    profile: str
    items: tuple[ItemState, ...]
