"""Constructs of the ninth round (issue 17), each with a test card written here for these tests
(cards/kinds/declaration_checklist.md, ...).

A CHECKLIST's row about the declaration of conformity ("9.1 Declaration of conformity drawn up
[ ] Done [ ] Open") asks whether the declaration was written; it is no place where the
declaration's contents (Annex V: the provider's address, the signature, ...) would be written.
Those sub-items are missing, as the readers of the spent sets label them, not placeholders. A
section made for the declaration that holds only a note to the author still is their unfilled
place."""

from __future__ import annotations

from documentation_testkit import item_states, kind_states

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
