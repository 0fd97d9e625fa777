"""documentation.completeness: item states, alias matching, and the verdicts a careful reader
would give on cards written in different styles."""

from __future__ import annotations

import pytest
from documentation_testkit import context

from tef_harness.checks.documentation.completeness import CompletenessParams, DocumentationCompleteness
from tef_harness.sdk.results import Severity
from tef_harness.testing import assert_check_contract


def run(documents, profile="eu-ai-act-annex-iv"):
    return DocumentationCompleteness().run(context(documents), CompletenessParams(profile=profile))


def states(out):
    return {row["id"]: row["state"] for row in out.details["items"]}


def metric(out, name):
    return next(m.value for m in out.metrics if m.name == name)


def codes(out, item):
    return [f.code for f in out.findings if f.data.get("item") == item]


def test_contract():
    assert assert_check_contract(DocumentationCompleteness) is not None
    assert assert_check_contract(DocumentationCompleteness, context({"card": "demo_credit_card.md"}))


# -- each item state, with its finding ------------------------------------------------------------
MINI = """\
name: mini
version: "1"
title: mini
items:
  - {id: purpose, title: Purpose, hint: What it is for.}
  - {id: hardware, title: Hardware, hint: Where it runs.}
  - {id: ui, title: User interface, hint: The UI., na_allowed: true}
  - {id: logging, title: Logging, hint: The logs., na_allowed: true}
  - {id: security, title: Security, hint: Threat model.}
  - {id: contact, title: Contact, hint: Who to ask., required: false}
"""
MINI_CARD = """\
# Card
## Purpose
Ranks loan applications for review.
## Hardware
[More Information Needed]
## User interface
Not applicable: the score is returned by an API and shown in the bank's own screens.
## Logging
N/A
## Security
Not applicable: internal network only.
"""


@pytest.fixture
def mini(tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(MINI)
    return run({"card": MINI_CARD}, str(path))


@pytest.mark.parametrize(
    ("item", "state", "code", "severity"),
    [
        ("purpose", "present", None, None),
        ("hardware", "placeholder", "DOC002", Severity.HIGH),
        ("ui", "not_applicable", None, None),
        ("logging", "placeholder", "DOC003", Severity.MEDIUM),
        ("security", "not_applicable", "DOC004", Severity.HIGH),
        ("contact", "missing", "DOC001", Severity.MEDIUM),
    ],
)
def test_each_state_and_its_finding(mini, item, state, code, severity):
    assert states(mini)[item] == state
    found = [f for f in mini.findings if f.data["item"] == item]
    if code is None:
        assert not found
    else:
        (finding,) = found
        assert (finding.code, finding.severity) == (code, severity)
        assert item in finding.message and "expected" in finding.message


def test_metrics_count_states(mini):
    # purpose present, ui justified N/A -> 2 of 6 complete; security's N/A is not accepted
    assert metric(mini, "completeness") == pytest.approx(2 / 6)
    assert metric(mini, "completeness.required") == pytest.approx(2 / 5)
    assert [metric(mini, f"items.{s}") for s in ("missing", "placeholder", "present", "not_applicable")] == [1, 2, 1, 2]


def test_missing_finding_says_where_it_looked(mini):
    (finding,) = [f for f in mini.findings if f.data["item"] == "contact"]
    assert "looked for headings 'Contact'" in finding.message
    assert "<memory:card>.md" in finding.message


# -- alias matching ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "heading",
    [
        "## Post-market monitoring",
        "## POST MARKET MONITORING",
        "### 9. Post-market monitoring plan",
        "## Monitoring",
        "## Annex IV point 9 (AIV-9)",
        "Post-Market Monitoring\n----------------------",
        "**Post-market monitoring:**",
    ],
)
def test_alias_matching(heading):
    out = run({"card": f"# Card\n\n{heading}\nMonthly review of drift and complaints by the risk team.\n"})
    assert states(out)["AIV-9"] == "present"


@pytest.mark.parametrize("heading", ["## Monitoring of training jobs", "## Post", "## Market"])
def test_single_word_aliases_need_an_exact_heading(heading):
    out = run({"card": f"# Card\n\n{heading}\nSomething else entirely.\n"})
    assert states(out)["AIV-9"] == "missing"


def test_the_most_specific_heading_decides():
    card = "# C\n\n## Compute Infrastructure\n\n### Hardware\n[More Information Needed]\n\n### Software\nPython 3.11\n"
    out = run({"card": card})
    assert states(out)["AIV-1e"] == "placeholder"  # not 'present' through the parent section


def test_annex_v_items_only_count_under_the_declaration():
    card = "# C\n\n## Provider\nAcme Bank, Main St 1.\n"
    out = run({"card": card})
    assert states(out)["AV-2"] == "missing"
    assert states(out)["IFU-a"] == "present"
    # one finding for the missing declaration, none for each of its eight contents
    assert codes(out, "AIV-8") == ["DOC001"] and not codes(out, "AV-2")
    assert "AV-1, AV-2" in next(f.message for f in out.findings if f.data["item"] == "AIV-8")


# -- card styles ------------------------------------------------------------------------------
def test_demo_card_is_deliberately_incomplete():
    out = run({"card": "demo_credit_card.md"})
    high = {f.data["item"] for f in out.findings if f.severity is Severity.HIGH}
    assert high == {"AIV-1e", "AIV-2h", "AIV-9", "AV-8"}
    assert codes(out, "IFU-f") == ["DOC003"]
    s = states(out)
    assert s["AIV-1f"] == s["AIV-1g"] == s["AV-7"] == "not_applicable"
    assert s["AIV-2h"] == "placeholder"  # "TODO: threat model pending" is not a description
    assert 0.85 < metric(out, "completeness") < 0.9


def test_verbose_card_with_technical_documentation_is_complete():
    out = run({"card": "verbose.md", "technical_documentation": "tech_doc.yaml"})
    assert metric(out, "completeness") == 1.0
    assert not [f for f in out.findings if f.severity.rank >= Severity.MEDIUM.rank]
    rows = {r["id"]: r for r in out.details["items"]}
    assert rows["AIV-1e"]["location"].startswith("tech_doc.yaml: key 'hardware'")
    assert rows["AIV-2d"]["location"].startswith("verbose.md: heading 'Training Data'")


def test_verbose_card_alone_lacks_the_annex_iv_specifics():
    out = run({"card": "verbose.md"})
    assert states(out)["AIV-2h"] == "missing"
    assert metric(out, "completeness") < 0.5


@pytest.mark.parametrize("card", ["verbose.md", "reordered.md"])
def test_full_model_cards_in_any_order_are_complete(card):
    out = run({"card": card}, "model-card")
    assert metric(out, "completeness") == 1.0 and not out.findings


def test_terse_card_against_model_card():
    out = run({"card": "terse.md"}, "model-card")
    assert states(out) == {
        "MC-details": "present",
        "MC-intended-use": "present",
        "MC-factors": "missing",
        "MC-metrics": "present",
        "MC-decision-thresholds": "missing",
        "MC-uncertainty": "missing",
        "MC-evaluation-data": "present",
        "MC-training-data": "present",
        "MC-quantitative-analyses": "missing",
        "MC-ethical-considerations": "missing",
        "MC-caveats": "placeholder",
    }
    high = [f.data["item"] for f in out.findings if f.severity is Severity.HIGH]
    assert high == ["MC-quantitative-analyses"]


def test_hf_template_partly_filled():
    out = run({"card": "hf_partial.md"}, "hf-model-card")
    s = states(out)
    filled = {
        "HF-license",
        "HF-library-name",
        "HF-model-description",
        "HF-developed-by",
        "HF-direct-use",
        "HF-testing-data",
        "HF-metrics",
    }
    assert {k for k, v in s.items() if v == "present"} == filled
    assert s["HF-model-index"] == "missing"
    # template boilerplate and "[More Information Needed]" are not content
    for item in (
        "HF-bias-risks",
        "HF-recommendations",
        "HF-get-started",
        "HF-results",
        "HF-citation",
        "HF-training-data",
        "HF-contact",
        "HF-datasets",
    ):
        assert s[item] == "placeholder", item
    assert codes(out, "HF-model-description") == ["DOC005"]  # filled, but its optional fields are not


def test_details_table_for_renderers():
    out = run({"card": "terse.md"}, "model-card")
    assert out.details["profile"] == "model-card" and out.details["profile_source"] == "builtin:model-card"
    row = out.details["items"][0]
    assert set(row) >= {"id", "title", "requirement", "state", "location", "note", "severity_if_failing"}
