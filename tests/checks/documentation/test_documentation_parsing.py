"""Parsing cards: front matter, headings, labels, structured YAML; errors name file and line."""

from __future__ import annotations

import pytest
from documentation_testkit import CARDS, card, doc
from hypothesis import given, settings
from hypothesis import strategies as st

from tef_harness.checks.documentation.assess import assess
from tef_harness.checks.documentation.claims import extract_claims
from tef_harness.checks.documentation.parsing import (
    parse_document,
    parse_markdown,
    parse_structured,
    split_front_matter,
)
from tef_harness.checks.documentation.profiles import load_documentation_profile
from tef_harness.sdk.errors import IntakeError


def test_front_matter_and_model_index_are_read():
    parsed = parse_document(doc("card", "demo_credit_card.md"))
    assert parsed.front_matter["license"] == "apache-2.0"
    index = parsed.front_matter["model-index"]
    assert index[0]["results"][0]["metrics"][1]["type"] == "roc_auc"
    assert parsed.body_line == 32  # the line after the closing '---'


def test_broken_front_matter_is_a_problem_of_the_card_naming_the_line():
    """A front matter that cannot be read no longer stops the run (issue 17): the card is read
    without metadata and the problem, with its line, is recorded for the check to report."""
    parsed = parse_document(doc("card", "broken_front_matter.md"))
    assert parsed.front_matter == {}
    assert len(parsed.problems) == 1 and "line 5" in parsed.problems[0]  # the unclosed flow list
    assert [s.heading for s in parsed.sections] == ["Model"]


@pytest.mark.parametrize(
    ("text", "expected", "first_heading"),
    [
        ("---\nlicense: mit\n# Title\n", "never closed", "Title"),
        ("---\n- a\n- b\n---\n# Title\n", "must be a mapping", "Title"),
        ("---\nlicense: mit\n  bad: indent\n---\n# T\n", "line 3", "T"),
    ],
    ids=["unclosed", "not-a-mapping", "bad-indent"],
)
def test_front_matter_problems(text, expected, first_heading):
    parsed = parse_markdown(text, role="card", path="card.md")
    assert parsed.front_matter == {}
    assert len(parsed.problems) == 1 and expected in parsed.problems[0]
    heads = [s.heading for s in parsed.sections if s.kind == "heading"]
    assert (heads[0] if heads else None) == first_heading


def test_split_front_matter_still_refuses_for_callers_that_must():
    with pytest.raises(IntakeError, match="line 3") as err:
        split_front_matter("---\nlicense: mit\n  bad: indent\n---\n# T\n", "card.md")
    assert err.value.file == "card.md"


@pytest.mark.parametrize(
    "text",
    [
        "---\n\n# Alpaca-like card\n\n**Model date** March\n",  # a leading rule, never closed
        "---\n# Title\n\nprose\n\n---\n\n## More\n",  # a leading rule and a later one
        "---\nSome words of introduction.\n---\n# Title\n",  # prose between two rules
    ],
    ids=["rule-never-closed", "two-rules", "prose-between-rules"],
)
def test_a_leading_horizontal_rule_is_not_front_matter(text):
    parsed = parse_markdown(text, role="card", path="card.md")
    assert parsed.front_matter == {} and parsed.problems == ()
    assert parsed.body_line == 1 and parsed.sections


def test_indented_dashes_inside_a_block_scalar_do_not_end_front_matter():
    text = "---\nlicense: mit\nnotes: |\n  first part\n  ---\n  second part\n---\n# Card\n"
    parsed = parse_markdown(text, role="card", path="card.md")
    assert parsed.problems == ()
    assert parsed.front_matter["notes"] == "first part\n---\nsecond part"
    assert parsed.body_line == 8 and parsed.sections[0].line == 8


def test_empty_front_matter_is_an_empty_mapping():
    parsed = parse_markdown("---\n# only a comment\n---\n# Title\n\ntext\n", role="card", path="c.md")
    assert parsed.front_matter == {}


def test_headings_atx_setext_and_code_fences():
    text = (
        "Title\n=====\n\nintro\n\n"
        "Section A\n---------\nbody a\n\n"
        "```\n# not a heading\n```\n"
        "### Sub A1 ###\nbody a1\n"
        "## Section B\nbody b\n"
    )
    parsed = parse_markdown(text, role="card", path="c.md")
    heads = [(s.heading, s.level) for s in parsed.sections if s.kind == "heading"]
    assert heads == [("Title", 1), ("Section A", 2), ("Sub A1", 3), ("Section B", 2)]
    section_a = parsed.sections[1]
    assert "body a1" in section_a.text  # subsections belong to the parent's span
    assert "body a1" not in section_a.own
    assert section_a.line == 6


def test_bold_labels_become_sections_under_their_heading():
    parsed = parse_markdown(
        "## Model Description\n\n- **Developed by:** Acme Bank\n- **Model type:** forest\n"
        "**Intended use**: ranking\ncontinues here\n",
        role="card",
        path="c.md",
    )
    labels = {s.heading: s for s in parsed.sections if s.kind == "label"}
    assert set(labels) == {"Developed by", "Model type", "Intended use"}
    assert labels["Developed by"].text.strip() == "Acme Bank"
    assert "continues here" in labels["Intended use"].text
    assert labels["Developed by"].parents == (0,)


def test_structured_yaml_keys_are_sections_with_lines():
    parsed = parse_document(doc("technical_documentation", "tech_doc.yaml"))
    by_heading = {s.heading: s for s in parsed.sections}
    assert by_heading["hardware"].line == 6
    assert "4 GB" in by_heading["hardware"].text
    signature = by_heading["signature"]
    assert parsed.sections[signature.parents[0]].heading == "eu declaration of conformity"


def test_structured_yaml_error_names_the_line():
    with pytest.raises(IntakeError, match="line 3") as err:
        parse_structured("a: 1\nb: [x\nc: 2\n", role="technical_documentation", path="tech.yaml")
    assert err.value.file == "tech.yaml"


def test_yaml_without_suffix_is_sniffed_but_markdown_is_not():
    yaml_doc = doc("technical_documentation", "hardware: a GPU\nlogging: kept for a year\n")
    yaml_doc = type(yaml_doc)(role=yaml_doc.role, path="<memory:td>", sha256="0", text=yaml_doc.text)
    assert [s.kind for s in parse_document(yaml_doc).sections] == ["key", "key"]
    md = card("terse.md")
    assert all(s.kind != "key" for s in parse_markdown(md, role="card", path="t").sections)
    assert CARDS.is_dir()


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab #*_-:|\n=`~[]()N/A0.9%TBD")), max_size=300))
def test_any_markdown_parses_or_fails_cleanly(text):
    """Whatever a card holds, the parser returns sections (a broken front matter is recorded
    as a problem), and every item lookup and claim extraction runs on it."""
    parsed = parse_markdown(text, role="card", path="c.md")  # never raises: problems are recorded
    profile, _ = load_documentation_profile("model-card")
    assert len(assess(profile, [parsed])) == len(profile.items)
    extract_claims(parsed)
    for section in parsed.sections:
        assert section.line >= 1
        assert section.own in section.text
