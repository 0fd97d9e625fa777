"""Constructs of the ninth round (issue 17), each with a test card written here for these tests
(cards/kinds/declaration_checklist.md, ...).

A CHECKLIST's row about the declaration of conformity ("9.1 Declaration of conformity drawn up
[ ] Done [ ] Open") asks whether the declaration was written; it is no place where the
declaration's contents (Annex V: the provider's address, the signature, ...) would be written.
Those sub-items are missing, as the readers of the spent sets label them, not placeholders. A
section made for the declaration that holds only a note to the author still is their unfilled
place.

A "Purpose" section whose subject is the document ("This checklist makes sure ...") says what
the document is for: no evidence of the system's intended use."""

from __future__ import annotations

import pytest
from documentation_testkit import inline_states, item_states, kind_states

from tef_harness.checks.documentation.states import ItemState

ANNEX = "eu-ai-act-annex-iv"
ANNEX_V = [f"AV-{i}" for i in range(1, 9)]


def test_a_checklist_row_about_the_declaration_leaves_its_contents_missing() -> None:
    states = kind_states("declaration_checklist.md", ANNEX)
    # the declaration itself is asked for, and not ticked: unfilled
    assert states["AIV-8"][0] == "placeholder"
    assert {item: states[item][0] for item in ANNEX_V} == dict.fromkeys(ANNEX_V, "missing")


def test_a_declaration_section_left_as_a_note_to_the_author_holds_its_contents_unfilled() -> None:
    text = (
        "# Technical file\n\nA screening tool for invoices.\n\n## 12. EU declaration of conformity\n\n"
        "> MANUAL INPUT REQUIRED\n>\n> The provider draws up the declaration under Article 47.\n"
    )
    states = item_states(ANNEX, text)
    assert states["AIV-8"][0] == "placeholder"
    assert {item: states[item][0] for item in ANNEX_V} == dict.fromkeys(ANNEX_V, "placeholder")


# -- a purpose section about the document itself ---------------------------------------------------
USE_ITEMS = {
    "eu-ai-act-annex-iv": ("AIV-1a", "IFU-b.i"),
    "model-card": ("MC-intended-use",),
    "hf-model-card": ("HF-direct-use",),
}


@pytest.mark.parametrize("profile", sorted(USE_ITEMS))
def test_a_checklists_purpose_is_not_the_systems_intended_use(profile: str) -> None:
    # "Purpose: This checklist makes sure ..." says what the checklist is for; the system's
    # intended purpose is one of its open rows, so the item is unfilled there
    states = kind_states("purpose_of_checklist.md", profile)
    for item in USE_ITEMS[profile]:
        state, location, _ = states[item]
        assert state == "placeholder", item
        assert location is not None and "Purpose" not in location


@pytest.mark.parametrize(
    "opening",
    [
        "This document describes how the credit team governs the model.",
        "Dieses Dokument beschreibt, wie das Modell überwacht wird.",
        "Ce document décrit la gouvernance du modèle.",
        "**This template** collects the facts a provider records.",
    ],
)
def test_a_purpose_section_whose_subject_is_the_document_states_no_use(opening: str) -> None:
    text = f"# Model file\n\n## Purpose\n\n{opening}\n\n## Training\n\nFitted on 2,000 invoices.\n"
    assert inline_states(text, "model-card")["MC-intended-use"] is ItemState.MISSING


@pytest.mark.parametrize(
    "opening",
    [
        "Scores incoming invoices for the accounts team. This document is reviewed yearly.",
        "The model ranks support tickets by urgency.",
        "This model flags invoices that need a second look.",
    ],
)
def test_a_purpose_section_about_the_system_is_its_intended_use(opening: str) -> None:
    text = f"# Model file\n\n## Purpose\n\n{opening}\n"
    assert inline_states(text, "model-card")["MC-intended-use"] is ItemState.PRESENT
