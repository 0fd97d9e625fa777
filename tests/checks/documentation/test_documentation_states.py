"""The four item states, as a careful reader would assign them."""

from __future__ import annotations

import pytest

from tef_harness.checks.documentation.states import ItemState, classify_section, classify_text, classify_value

P, A, N = ItemState.PRESENT, ItemState.PLACEHOLDER, ItemState.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("", A),
        ("   \n\n", A),
        ("TBD", A),
        ("TODO: describe the hardware", A),
        ("tbd.", A),
        ("[More Information Needed]", A),
        ("<!-- Provide a summary -->\n[More Information Needed]", A),
        ("<!-- only a comment -->", A),
        ("Lorem ipsum dolor sit amet, consectetur adipiscing elit.", A),
        ("To be completed.", A),
        ("- **Developed by:**\n- **Funded by:**", A),
        ("- **Developed by:** [More Information Needed]", A),
        ("| Metric | Value |\n|---|---|\n| Accuracy | [More Information Needed] |", A),
        ("N/A", A),
        ("Not applicable.", A),
        ("Not applicable: the system is software only and not part of a product.", N),
        ("N/A - there is no user interface; scores go to an API.", N),
        ("Acme Bank N.V.", P),
        ("- **Developed by:** Acme Bank", P),
        ("| Metric | Value |\n|---|---|\n| Accuracy | 0.81 |", P),
        ("Runs on any x86 server. TODO: add GPU figures.", P),
        ("None: every retraining is a new version.", P),
    ],
    ids=lambda v: repr(v)[:40] if isinstance(v, str) else str(v),
)
def test_classify_text(text, state):
    assert classify_text(text).state is state


def test_markers_and_notes():
    partly = classify_text("Runs on CPUs.\n- **GPU:** [More Information Needed]")
    assert partly.state is P and partly.markers == 1 and partly.note == "partly unfilled"
    assert classify_text("N/A").note == "marked N/A without a justification"
    assert classify_text("").note == "heading with no body"
    assert classify_text("TODO later").note == "only a to-do note"


def test_explicit_placeholder_in_own_body_beats_filled_subsections():
    own = "<!-- convey limitations -->\n[More Information Needed]\n"
    full = own + "### Recommendations\nUsers should review every score.\n"
    assert classify_section(own, full).state is A
    # a heading with no body of its own is judged by its subsections
    assert classify_section("\n", "### Testing Data\nThe 2024 hold-out set.\n").state is P


@pytest.mark.parametrize(
    ("value", "state"),
    [
        (None, A),
        ("", A),
        ([], A),
        ({}, A),
        ("[More Information Needed]", A),
        ("sklearn", P),
        (["examplebank/loans"], P),
        ([{"name": "m", "results": [{"metrics": [{"type": "accuracy", "value": 0.8}]}]}], P),
        (0.5, P),
    ],
)
def test_classify_value(value, state):
    assert classify_value(value).state is state
