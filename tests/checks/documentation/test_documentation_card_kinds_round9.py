"""Constructs of the ninth round (issue 17), each with a test card written here for these tests
(cards/kinds/declaration_checklist.md, ...).

A CHECKLIST's row about the declaration of conformity ("9.1 Declaration of conformity drawn up
[ ] Done [ ] Open") asks whether the declaration was written; it is no place where the
declaration's contents (Annex V: the provider's address, the signature, ...) would be written.
Those sub-items are missing, as the readers of the spent sets label them, not placeholders. A
section made for the declaration that holds only a note to the author still is their unfilled
place.

A "Purpose" section whose subject is the document ("This checklist makes sure ...") says what
the document is for: no evidence of the system's intended use.

The outline word lists ("Décrivez", "erläutern Sie") match with or without accents, as headings
and key phrases already do; words under five letters as typed ("è" is not "e")."""

from __future__ import annotations

import pytest
from documentation_testkit import inline_states, item_states, kind_states

from tef_harness.checks.documentation.outline import read_section
from tef_harness.checks.documentation.states import ItemState, prompt_line

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


# -- the outline word lists with or without accents ------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        # French and German instructions typed without their accents ("Décrivez", "Précisez", "Erläutern")
        "- Decrivez les sources des donnees\n- Precisez la taille du jeu et sa periode\n",
        "- Beschreiben Sie die Datenquellen\n- Erlautern Sie die Aufbereitung der Daten\n",
        # and with them, as the lexicon lists them
        "- Décrivez les sources des données\n- Précisez la taille du jeu et sa période\n",
    ],
)
def test_instructions_typed_without_accents_ask_for_content(text: str) -> None:
    reading = read_section(text)
    assert (reading.units, reading.prompts) == (2, 2)
    assert reading.asks


def test_a_short_words_accent_still_tells_two_words_apart() -> None:
    # "è" (is) says something; "e" (and) joins a topic: words under five letters match as typed
    assert read_section("Il modello è addestrato sui ticket\n").statements == 1
    assert read_section("Il modello e i dati\n").statements == 0


def test_an_unaccented_outline_section_is_unfilled() -> None:
    text = (
        "# Modele\n\nUn modele de tri des tickets.\n\n## Donnees d'entrainement\n\n"
        "- Decrivez les sources des donnees\n- Precisez la taille du jeu et sa periode\n"
    )
    assert inline_states(text, "hf-model-card")["HF-training-data"] is ItemState.PLACEHOLDER


def test_a_template_prompt_typed_without_accents_is_a_prompt() -> None:
    assert prompt_line("* Wo konnen Sie Fragen oder Kommentare zum Modell senden") is not None
