"""Constructs of the eighth round (issue 17), each with a test card written here for these tests
(cards/kinds/requirements_checklist*.md, ...).

A CHECKLIST of what to document (a table of numbered requirements with unticked status boxes,
a task list of "- [ ] ..." items, "☐" lines) says what should be written and holds none of it:
its items are unfilled, however many numbers ("1.1.2") its rows carry. A ticked one is read as
before."""

from __future__ import annotations

import pytest
from documentation_testkit import inline_states, kind_states

from tef_harness.checks.documentation.outline import read_section, todo
from tef_harness.checks.documentation.states import ItemState

ANNEX = "eu-ai-act-annex-iv"


@pytest.mark.parametrize(
    ("unit", "requirement"),
    [
        (
            "1.1.2 Provider name and contact details given [ ] Complete [ ] Partial [ ] N/A",
            "Provider name and contact details given",
        ),
        ("A.2 Provider name and address given [ ] Yes [ ] No", "Provider name and address given"),
        ("[ ] Training data sources described", "Training data sources described"),
        ("☐ Risk management system described", "Risk management system described"),
        ("Part status: [ ] Complete [ ] Incomplete", "Part status:"),
    ],
)
def test_an_unticked_checklist_unit_names_its_requirement(unit: str, requirement: str) -> None:
    assert todo(unit) == requirement


@pytest.mark.parametrize("unit", ["[x] Training data: 48,000 photos", "Intended purpose stated", "☑ Accuracy 0.91"])
def test_a_ticked_or_boxless_unit_is_no_to_do(unit: str) -> None:
    assert todo(unit) is None


def test_a_table_of_numbered_requirements_asks_for_content() -> None:
    text = (
        "| # | Requirement | Status |\n|---|---|---|\n"
        "| 1.1.1 | Intended purpose described | [ ] Complete [ ] Partial |\n"
        "| 1.1.2 | Software dependencies documented | [ ] Complete [ ] Partial |\n"
    )
    reading = read_section(text)
    # the header row is a topic; the two rows ask, and their numbers are no values
    assert (reading.units, reading.values, reading.statements, reading.prompts) == (3, 0, 0, 2)
    assert reading.asks


def test_an_open_requirement_that_gives_a_value_is_a_value() -> None:
    assert read_section("- [ ] Accuracy 0.93 on the test split, to confirm\n").values == 1


def test_an_unticked_checklist_has_no_present_item() -> None:
    states = kind_states("requirements_checklist.md", ANNEX)
    assert not [item for item, (state, _, _) in states.items() if state == "present"]
    # the requirements it lists name their items, unfilled
    for item in ("AIV-1a", "AIV-2d", "AIV-5", "IFU-a", "IFU-b.i"):
        assert states[item][0] == "placeholder", item


def test_a_ticked_checklist_with_its_evidence_is_read_as_filled() -> None:
    states = kind_states("requirements_checklist_done.md", ANNEX)
    for item in ("AIV-1a", "AIV-2d", "AIV-3.i"):
        assert states[item][0] == "present", item


# -- the training compute as the environmental impact ---------------------------------------------
def test_training_hardware_and_its_hours_state_the_environmental_impact() -> None:
    # the hub template asks for "Hardware Type" and "Hours used": the inputs of a carbon estimate
    state, location, _ = kind_states("training_compute.md", "hf-model-card")["HF-environmental-impact"]
    assert state == "present"
    assert location is not None and "Training procedure" in location


@pytest.mark.parametrize(
    "text",
    [
        "## Training\n\nWe trained it for 3 days on 8 A100 GPUs.\n",
        "## Training\n\n- Hardware: 1 L4 GPU\n- Training time: about 17 hours\n",
        "## Training\n\n| Hardware | RTX 3050 |\n| Trainingsdauer | ~40 Minuten |\n",
    ],
)
def test_an_accelerator_and_a_duration_together_are_the_training_compute(text: str) -> None:
    assert inline_states(f"# m\n\n{text}", "hf-model-card")["HF-environmental-impact"] is ItemState.PRESENT


def test_a_serving_gpu_and_a_response_time_apart_are_not() -> None:
    text = "# m\n\n## Serving\n\nRuns on one GPU.\n\nIt is used by the depot.\n\nA grade comes back within 2 minutes.\n"
    assert inline_states(text, "hf-model-card")["HF-environmental-impact"] is ItemState.MISSING


# -- a citation entry's authors as the developers ---------------------------------------------------
def test_the_authors_of_the_cards_citation_entry_are_its_developers() -> None:
    state, location, _ = kind_states("citation_authors.md", "hf-model-card")["HF-developed-by"]
    assert state == "present"
    assert location is not None and "author" in location and "Citation" in location


@pytest.mark.parametrize(
    "block",
    [
        # the rest of an entry stays code: a title saying "developed by" is no statement
        "```bibtex\n@misc{k,\n  title = {Developed by the community},\n  year = {2024}\n}\n```",
        # an author variable in example code is no citation
        "```python\n@dataclass\nclass Meta:\n    author = 'someone'\n```",
        # an entry whose author field is left empty names nobody
        "```bibtex\n@misc{k,\n  author = {},\n  year = {2024}\n}\n```",
    ],
)
def test_other_code_names_no_developer(block: str) -> None:
    text = f"# m\n\nA model.\n\n## Citation\n\n{block}\n"
    assert inline_states(text, "hf-model-card")["HF-developed-by"] is ItemState.MISSING


# -- a use negation states the out-of-scope use ----------------------------------------------------
def test_a_use_negation_states_the_out_of_scope_use() -> None:
    state, location, _ = kind_states("scope_by_negation.md", "hf-model-card")["HF-out-of-scope"]
    assert state == "present"
    assert location is not None and "not intended for" in location


@pytest.mark.parametrize(
    "sentence",
    [
        "Le modèle n'est pas destiné à un usage clinique.",
        "Das Modell ist nicht bestimmt für Entscheidungen über Personen.",
        "This model is not meant for production traffic.",
    ],
)
def test_use_negations_in_other_languages_state_it_too(sentence: str) -> None:
    text = f"# m\n\nA model.\n\n## Notes\n\n{sentence}\n"
    assert inline_states(text, "hf-model-card")["HF-out-of-scope"] is ItemState.PRESENT


def test_a_plain_use_states_no_out_of_scope_use() -> None:
    text = "# m\n\nA model.\n\n## Notes\n\nIt is intended for sorting reef photos.\n"
    assert inline_states(text, "hf-model-card")["HF-out-of-scope"] is ItemState.MISSING
