"""Two constructs of the seventh round (issue 17): an OUTLINE, whose sections only say what should
be written there (topics, "Describe ...", "[Provide ...]", questions, examples), read as filled;
and a negated use phrase ("not intended for") read as an intended use. The cards are written
here, for these tests (cards/kinds/outline_*.md, filled_annex_iv.md, mixed_annex_iv.md,
hub_template_outline.md, negated_use.md)."""

from __future__ import annotations

import pytest
from documentation_testkit import CARDS, inline_states, item_states, kind_states

from tef_harness.checks.documentation.outline import (
    has_value,
    outline_topics,
    read_section,
    units,
)
from tef_harness.checks.documentation.states import ItemState

ANNEX = "eu-ai-act-annex-iv"
OUTLINE_NOTE = "only says what to write: no values or statements"


# -- units and their kinds ------------------------------------------------------------------------
def test_units_are_list_items_table_rows_and_sentences() -> None:
    text = (
        "Intro sentence one. Intro sentence two.\n\n"
        "- a bullet. With two sentences\n"
        "1. a numbered item\n\n"
        "| Field | Value |\n|---|---|\n| Owner | risk team |\n\n"
        "```python\nx = 1\n```\n<!-- a note -->\n### A heading\n"
    )
    assert units(text) == [
        "Intro sentence one.",
        "Intro sentence two.",
        "a bullet. With two sentences",
        "a numbered item",
        "Field Value",
        "Owner risk team",
    ]


def test_a_sentence_does_not_end_inside_an_abbreviation() -> None:
    assert units("Memory needed (e.g. GPU type, RAM) for inference.") == [
        "Memory needed (e.g. GPU type, RAM) for inference."
    ]


@pytest.mark.parametrize(
    "unit",
    [
        "Accuracy: 0.93 on the test split",
        "Routing accuracy 99.2%",
        "Trained on 412,000 photos",
        "Inference box with 16 GB RAM",
        "Released 2024-05-02",
        "Library versions: torch 2.1.0",
        "Contact: team@example.org",
        "See https://example.org/card",
        "Weights in `models/scorer.onnx`",
    ],
)
def test_concrete_values_are_values(unit: str) -> None:
    assert has_value(unit)


@pytest.mark.parametrize(
    "unit",
    [
        "Accuracy metrics (Article 15)",
        "See Section 4.3 for the factors",
        "Relevant security standards (ISO 27001, etc.)",
        "Processing units (e.g. 2 GPUs)",
        "Thresholds, such as 0.5 for a binary classifier",
        "Name and version of the AI system",
        "Reference to Art. 9 risk management documentation",
        "Rechenressourcen (z. B. 2 GPUs, 16 GB)",
    ],
)
def test_examples_and_references_are_not_values(unit: str) -> None:
    assert not has_value(unit)


def test_a_topic_list_reads_as_an_outline_and_a_filled_list_does_not() -> None:
    outline = read_section(
        "- Data sources: origin and provenance of the datasets\n"
        "- Describe the labelling procedure\n"
        "- Known gaps in coverage, such as regions\n"
        "- Who checks the labels?\n"
    )
    assert (outline.units, outline.values, outline.statements, outline.prompts) == (4, 0, 0, 3)
    assert outline.outline_like and outline.asks
    filled = read_section(
        "- Data sources: 58,300 resolved tickets from 2022 and 2023\n"
        "- The labels were checked by two agents.\n"
        "- Known gaps: no tickets in Polish\n"
    )
    assert (filled.values, filled.statements) == (1, 1)
    assert not filled.outline_like


def test_an_etc_ending_a_list_is_no_full_stop() -> None:
    assert read_section("- Operational conditions: temperature, lighting, connectivity, etc.\n").statements == 0
    assert read_section("- The scanner reads every label twice.\n").statements == 1


def test_a_verb_late_in_a_topic_qualifies_a_noun_and_is_no_statement() -> None:
    reading = read_section(
        "- Purpose of the system and the settings it is deployed in\n"
        "- Geographic scope: regions where the system will be deployed\n"
    )
    assert reading.statements == 0
    assert read_section("- The system is deployed in three depots\n").statements == 1


def test_noun_phrase_bullets_alone_are_not_enough_to_flip_a_section() -> None:
    # "Framework: scikit-learn", "Owner: risk team": short filled values with no number look like
    # topics; without a prompt they do not make an outline on their own
    reading = read_section("- Framework: scikit-learn\n- Owner: risk team\n")
    assert reading.outline_like and not reading.asks


def test_outline_topics_are_the_units_and_their_parts() -> None:
    topics = outline_topics("- Provider: name, address, contact details\n- Hardware/software requirements\n")
    assert topics == [
        "Provider: name, address, contact details",
        "Provider",
        "name",
        "address",
        "contact details",
        "Hardware/software requirements",
        "Hardware",
        "software requirements",
    ]


# -- item states on whole cards --------------------------------------------------------------------
def test_an_outline_annex_iv_document_has_no_present_item() -> None:
    states = kind_states("outline_annex_iv.md", ANNEX)
    assert not [item for item, (state, _, _) in states.items() if state == "present"]
    # the sections a reader finds for these items only say what to write
    for item in ("AIV-1a", "AIV-1e", "AIV-2d", "AIV-2e", "AIV-3.iii", "AIV-4", "AIV-9", "IFU-b.i", "IFU-d"):
        state, location, note = states[item]
        assert state == "placeholder", item
        assert location is not None and "heading" in location
        assert note is not None and OUTLINE_NOTE in note, (item, note)
    assert states["AIV-4"][2] == f"section '6. Performance metrics' {OUTLINE_NOTE}"


def test_a_topic_an_outline_lists_names_its_item_as_unfilled() -> None:
    # "Organisation placing it on the market" under "1. Intended purpose": no heading of its own
    state, location, note = kind_states("outline_annex_iv.md", ANNEX)["AIV-1d"]
    assert state == "placeholder"
    assert location is not None and location.startswith("outline_annex_iv.md: outline topic 'Organisation placing")
    assert note is not None and OUTLINE_NOTE in note


def test_a_filled_annex_iv_document_keeps_every_item() -> None:
    states = kind_states("filled_annex_iv.md", ANNEX)
    present = {item for item, (state, _, _) in states.items() if state == "present"}
    expected = {"AIV-1a", "AIV-1e", "AIV-2d", "AIV-2e", "AIV-2h", "AIV-3.i", "AIV-3.iii", "AIV-4", "AIV-9"}
    assert expected <= present
    assert not [item for item, (_, _, note) in states.items() if note and OUTLINE_NOTE in note]


def test_a_mixed_document_flips_only_its_outline_sections() -> None:
    states = {item: state for item, (state, _, _) in kind_states("mixed_annex_iv.md", ANNEX).items()}
    for item in ("AIV-1a", "AIV-1e", "AIV-2d", "IFU-b.i"):
        assert states[item] == "present", item
    for item in ("AIV-2e", "AIV-2h", "AIV-3.iii", "AIV-4", "IFU-d"):
        assert states[item] == "placeholder", item


def test_a_german_outline_is_read_as_one() -> None:
    states = kind_states("outline_annex_iv_de.md", ANNEX)
    assert not [item for item, (state, _, _) in states.items() if state == "present"]
    for item in ("AIV-1a", "AIV-1e", "AIV-2d", "AIV-2e", "AIV-2h"):
        assert states[item][0] == "placeholder", item
        assert OUTLINE_NOTE in (states[item][2] or ""), item


def test_a_hub_template_that_asks_questions_is_unfilled() -> None:
    states = kind_states("hub_template_outline.md", "hf-model-card")
    assert not [item for item, (state, _, _) in states.items() if state == "present"]
    for item in ("HF-model-description", "HF-direct-use", "HF-bias-risks", "HF-training-data", "HF-results"):
        assert states[item][0] == "placeholder", item


@pytest.mark.parametrize(
    "name",
    [
        "demo_credit_card.md",
        "verbose.md",
        "terse.md",
        "reordered.md",
        "kinds/annex_iv_own_tool.md",
        "kinds/prose_evidence.md",
    ],
)
def test_filled_test_cards_have_no_outline_section(name: str) -> None:
    """The filled cards of the earlier rounds lose no item to the outline reading."""
    assert (CARDS / name).is_file()
    for profile in (ANNEX, "hf-model-card", "model-card"):
        notes = [note for _, _, note in item_states(profile, name).values() if note]
        assert not [n for n in notes if OUTLINE_NOTE in n], (name, profile)


# -- negated use phrases ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence",
    [
        "This model is not intended for use on business loans.",
        "The scorer is not meant for business loans.",
        "Das Modell ist nicht bestimmt für Kredite an Unternehmen.",
        "Ce modèle n'est pas destiné à l'octroi de prêts aux entreprises.",
        "Il modello non è destinato a prestiti alle imprese.",
        "El modelo no está destinado a préstamos empresariales.",
        "Het model is niet bedoeld voor zakelijke leningen.",
        "Model nie jest przeznaczony do kredytów firmowych.",
    ],
)
def test_a_negated_use_phrase_is_no_intended_use(sentence: str) -> None:
    card = f"# Loan scorer\n\n## Overview\nA gradient-boosted classifier.\n\n## Notes\n{sentence}\n"
    assert inline_states(card, "hf-model-card")["HF-direct-use"] is ItemState.MISSING
    assert inline_states(card, "model-card")["MC-intended-use"] is ItemState.MISSING


def test_a_use_phrase_beside_a_negated_one_still_counts() -> None:
    card = (
        "# Loan scorer\n\n## Notes\nThis model is not intended for business loans. "
        "It is intended for scoring retail loan applications.\n"
    )
    assert inline_states(card, "hf-model-card")["HF-direct-use"] is ItemState.PRESENT


def test_the_negated_use_card_names_no_use() -> None:
    states = kind_states("negated_use.md", "model-card")
    assert states["MC-intended-use"][0] == "missing"


def test_an_answered_template_prompt_is_a_statement() -> None:
    # the Mitchell et al. prompt with an answer after its colon: the author wrote there
    assert read_section("* Primary intended uses: screening invoices for missing fields\n").statements == 1
    assert read_section("* Primary intended uses\n").statements == 0
