"""The ways real model cards are written (issue 17), each reproduced by a card written for
these tests in cards/kinds/: headings as renderers and readers see them, labels without
colons, text in code blocks, unfilled text in seven languages, broken front matter, evidence
written as prose, and claims wherever they are written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from documentation_testkit import CARDS, card, doc

from tef_harness.checks.documentation.assess import assess
from tef_harness.checks.documentation.claims import extract_claims
from tef_harness.checks.documentation.completeness import completeness_output
from tef_harness.checks.documentation.headings import HeadingMatcher, words
from tef_harness.checks.documentation.parsing import parse_document, parse_markdown
from tef_harness.checks.documentation.profiles import load_documentation_profile, parse_profile
from tef_harness.checks.documentation.states import ItemState, classify_text, placeholder_regex

KINDS = CARDS / "kinds"
TEF = str(Path(sys.executable).with_name("tef"))


def states_of(name: str, profile: str) -> dict[str, tuple[str, str | None]]:
    parsed = parse_document(doc("card", f"kinds/{name}"))
    prof, _ = load_documentation_profile(profile)
    return {a.item.id: (a.state.value, a.location) for a in assess(prof, [parsed])}


# -- headings ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("7. Standards and Specifications Applied", ("standard", "specification", "applied")),
        ("2(h) Cybersecurity", ("cybersecurity",)),
        ("9) Post-Market Monitoring Plan ✅", ("post", "market", "monitoring", "plan")),
        ("Annex IV 1(a): Intended purpose", ("intended", "purpose")),
        ("Citation [optional]", ("citation",)),
        ("Limitations & bias 🚧", ("limitation", "and", "bia")),
    ],
)
def test_headings_are_normalised(heading, expected):
    """Numbering, brackets and emoji go; '&' reads as 'and' (then dropped as a stop word
    only in lexicon languages' lists, so it is kept here as a word of the phrase)."""
    got = words(heading)
    assert set(expected) - {"and"} <= set(got)
    assert not any(w.isdigit() for w in got)


def test_one_heading_names_several_items_and_words_match_fuzzily():
    matcher = HeadingMatcher(
        [
            ("CAVEATS", ["Limitations"]),
            ("BIAS", ["Bias"]),
            ("DETAILS", ["Modelldetails"]),
            ("USE", ["Uses"]),
        ]
    )
    assert set(matcher.match("Limitations and bias")) == {"CAVEATS", "BIAS"}
    assert set(matcher.match("Limitation")) == {"CAVEATS"}  # plural folded
    assert set(matcher.match("Modeldetails")) == {"DETAILS"}  # one letter off: rapidfuzz ratio >= 88
    assert matcher.match("Out-of-Scope Use") == {}  # a one-word alias must be a whole topic
    assert matcher.match("Monitoring of training jobs") == {}


def test_llm_style_card_labels_without_colon_nbsp_heading_and_numbered_emoji_heading():
    parsed = parse_document(doc("card", "kinds/llm_style_labels.md"))
    heads = {s.heading: s for s in parsed.sections}
    # a bold label without a colon, and a label alone on its line with its text after a blank line
    assert heads["Model developers"].kind == "label"
    assert heads["Model developers"].text.strip() == "Orchard Labs, support tooling team"
    assert "replaces version 2" in heads["Release date"].text
    # '##' followed by a non-breaking space is still a heading; '# **Model Details**' loses its markup
    assert heads["Intended Use"].kind == "heading" and heads["Intended Use"].level == 2
    assert "Model Details" in heads
    s = states_of("llm_style_labels.md", "hf-model-card")
    assert s["HF-developed-by"] == ("present", "llm_style_labels.md: label 'Model developers' (line 5)")
    assert s["HF-direct-use"][0] == "present"
    assert s["HF-bias-risks"] == ("present", "llm_style_labels.md: heading '3. Limitations and bias 🚧' (line 15)")
    assert s["HF-citation"][1] == "llm_style_labels.md: heading 'BibTeX entry and citation info' (line 27)"
    assert s["HF-testing-data"][0] == s["HF-results"][0] == "present"  # 'Benchmarks' names both
    m = states_of("llm_style_labels.md", "model-card")
    assert m["MC-caveats"][0] == m["MC-ethical-considerations"][0] == "present"  # 'Limitations and bias'
    assert m["MC-details"][0] == "present"


def test_numbered_annex_headings():
    s = states_of("numbered_annex_headings.md", "eu-ai-act-annex-iv")
    assert s["AIV-7"][0] == s["AIV-9"][0] == s["AIV-2h"][0] == "present"


# -- text in code blocks ----------------------------------------------------------------------------
def test_declaration_written_in_a_code_block_is_read():
    s = states_of("declaration_in_code_block.md", "eu-ai-act-annex-iv")
    for item in ("AIV-8", "AV-1", "AV-2", "AV-3", "AV-4", "AV-5", "AV-6", "AV-7", "AV-8"):
        assert s[item][0] == "present", item
    assert s["AV-3"][1] == (
        "declaration_in_code_block.md: text 'sole responsibility' under '8. EU declaration of conformity' (line 9)"
    )


# -- unfilled text ----------------------------------------------------------------------------------
def test_placeholders_in_seven_languages_and_template_leftovers():
    s = states_of("placeholders_multilingual.md", "model-card")
    assert s["MC-details"][0] == "present"  # German heading, filled
    for item in ("MC-intended-use", "MC-training-data", "MC-evaluation-data", "MC-metrics", "MC-caveats"):
        assert s[item][0] == "placeholder", item  # k. A., À compléter, Da definire, Nog in te vullen, <br>
    assert s["MC-quantitative-analyses"][0] == "placeholder"  # a table of None values
    assert s["MC-ethical-considerations"][0] == "missing"  # its heading is inside an HTML comment
    annex = states_of("placeholders_multilingual.md", "eu-ai-act-annex-iv")
    assert annex["AIV-1e"][0] == "placeholder"  # [REQUIRED: ...]
    hf = states_of("placeholders_multilingual.md", "hf-model-card")
    assert hf["HF-citation"][0] == "placeholder"  # a dummy BibTeX entry
    assert hf["HF-bias-risks"][0] == "placeholder"  # Limitaciones: Por completar; Ograniczenia: Do uzupełnienia


@pytest.mark.parametrize(
    "text",
    ["k. A.", "À compléter", "Da definire", "Por completar", "Nog in te vullen", "Do uzupełnienia", "<br>\n<br/>",
     "[REQUIRED: describe it]", "| Accuracy | None |"],
)
def test_each_placeholder_alone_is_unfilled(text):
    assert classify_text(text).state is ItemState.PLACEHOLDER


def test_real_citation_is_not_a_dummy():
    bib = "```bibtex\n@misc{orchard2026,\n  author = {Orchard Labs},\n  title = {Ranker},\n  year = {2026}\n}\n```"
    assert classify_text(bib).state is ItemState.PRESENT


def test_a_profile_adds_its_own_placeholders():
    text = (
        "name: mine\nversion: '1'\ntitle: Mine\nplaceholders: ['wird nachgereicht']\nitems:\n"
        "  - id: A-1\n    title: Purpose\n    hint: why it exists\n"
    )
    profile = parse_profile(text, "mine.yaml")
    parsed = parse_markdown("# Purpose\n\nWird nachgereicht.\n", role="card", path="c.md")
    assert assess(profile, [parsed])[0].state is ItemState.PLACEHOLDER
    assert classify_text("Wird nachgereicht.", placeholder_regex(("wird nachgereicht",))).state is ItemState.PLACEHOLDER


# -- other languages --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "headings"),
    [
        ("de", ("Verwendungszweck", "Trainingsdaten", "Ethische Überlegungen", "Einschränkungen")),
        ("fr", ("Utilisation prévue", "Données d'entraînement", "Considérations éthiques", "Limites")),
        ("it", ("Uso previsto", "Dati di addestramento", "Considerazioni etiche", "Limitazioni")),
        ("es", ("Uso previsto", "Datos de entrenamiento", "Consideraciones éticas", "Limitaciones")),
        ("nl", ("Beoogd gebruik", "Trainingsgegevens", "Ethische overwegingen", "Beperkingen")),
        ("pl", ("Zamierzone zastosowanie", "Dane treningowe", "Kwestie etyczne", "Ograniczenia")),
    ],
)
def test_headings_in_eu_languages(lang, headings):
    body = "\n".join(f"## {h}\n\nEin Satz, une phrase, una frase, een zin, zdanie ({lang}).\n" for h in headings)
    parsed = parse_markdown("# Card\n\n" + body, role="card", path=f"{lang}.md")
    profile, _ = load_documentation_profile("model-card")
    got = {a.item.id: a.state for a in assess(profile, [parsed])}
    for item in ("MC-intended-use", "MC-training-data", "MC-ethical-considerations", "MC-caveats"):
        assert got[item] is ItemState.PRESENT, (lang, item)


# -- evidence written as prose --------------------------------------------------------------------
def test_items_written_as_prose_say_where():
    s = states_of("prose_evidence.md", "hf-model-card")
    assert s["HF-developed-by"] == ("present", "prose_evidence.md: text 'developed by' under 'Overview' (line 5)")
    assert s["HF-training-data"][0] == s["HF-testing-data"][0] == s["HF-recommendations"][0] == "present"
    out = completeness_output("hf-model-card", [doc("card", "kinds/prose_evidence.md")])
    rows = {r["id"]: r for r in out.details["items"]}  # type: ignore[union-attr,index]
    assert rows["HF-developed-by"]["note"] == "found in the text, not under a heading of its own"
    # an item found nowhere says what was looked for
    assert rows["HF-out-of-scope"]["looked_for"].startswith("headings 'Out-of-Scope Use'")
    assert "key phrases in the text" in rows["HF-out-of-scope"]["looked_for"]


# -- front matter ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("---\n- a\n- b\n---\n# Card\n\n## Intended use\nScoring.\n", "must be a mapping"),
        ("---\nlicense: mit\n\n# Card\n\n## Intended use\nScoring.\n", "never closed"),
        ("---\nlicense: [mit\n---\n# Card\n\n## Intended use\nScoring.\n", "invalid YAML front matter at line 2"),
    ],
    ids=["list", "never-closed", "invalid"],
)
def test_broken_front_matter_is_a_finding_and_the_card_is_still_read(text, problem):
    out = completeness_output("model-card", [doc("card", text, path="card.md")])
    doc006 = [f for f in out.findings if f.code == "DOC006"]
    assert len(doc006) == 1 and problem in doc006[0].message and doc006[0].location == "card.md"
    rows = {r["id"]: r["state"] for r in out.details["items"]}  # type: ignore[union-attr,index]
    assert rows["MC-intended-use"] == "present"


def test_leading_horizontal_rule_is_no_finding():
    out = completeness_output("model-card", [doc("card", "---\n\n# Card\n\n**Model date**\nMarch\n", path="c.md")])
    assert not [f for f in out.findings if f.code == "DOC006"]


# -- claims ---------------------------------------------------------------------------------------
def test_claims_in_every_form_with_line_and_text_and_never_from_a_training_log():
    claims = extract_claims(parse_document(doc("card", "kinds/claims_forms.md")))
    got = sorted((c.metric, round(c.value, 4), c.source.split(": ", 1)[1], c.evidence) for c in claims.metrics)
    assert got == [
        ("accuracy", 0.93, "line 10", "Accuracy: 0.93"),  # bullet
        ("accuracy", 0.93, "line 5", "accuracy of 0.93"),  # prose
        ("f1", 0.88, "line 11", "F1 score: 0.88"),  # bold label
        ("precision", 0.9, "table at line 17", "Precision | 0.90"),  # a table without outer pipes
        ("roc_auc", 0.95, "table at line 13", "ROC AUC | 0.95"),  # Name | Value
    ]
    # the comparison figure (0.71), the training log (0.61, 0.74) and the code block (0.12) are not claims
    assert not {0.71, 0.61, 0.74, 0.12} & {round(c.value, 2) for c in claims.metrics}


# -- the command line ---------------------------------------------------------------------------
def test_tef_doc_check_runs_completeness_on_a_card_alone(tmp_path):
    path = tmp_path / "card.md"
    path.write_text(card("kinds/prose_evidence.md"), encoding="utf-8")
    proc = subprocess.run(
        [TEF, "doc", "check", str(path), "--doc-profile", "hf-model-card", "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 1, proc.stderr  # items are missing
    out = json.loads(proc.stdout)
    assert out["details"]["profile"] == "hf-model-card"
    rows = {r["id"]: r for r in out["details"]["items"]}
    assert rows["HF-developed-by"]["location"] == "card.md: text 'developed by' under 'Overview' (line 5)"
    text = subprocess.run(
        [TEF, "doc", "check", str(path), "--doc-profile", "model-card"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert text.stdout.startswith("profile model-card (version 2):")
    assert "MISSING   MC-factors" in text.stdout and "looked for headings 'Factors'" in text.stdout
    bad = subprocess.run(
        [TEF, "doc", "check", str(tmp_path / "none.md")], capture_output=True, text=True, timeout=120, check=False
    )
    assert bad.returncode == 2 and "file not found" in bad.stderr


def test_a_key_given_twice_in_a_profile_is_an_error_with_its_line():
    from tef_harness.api import ConfigError

    text = (
        "name: mine\nversion: '1'\ntitle: Mine\nitems:\n  - id: A-1\n    title: Purpose\n    hint: why\n"
        "    headings: [Aim]\n    headings: [Goal]\n"
    )
    with pytest.raises(ConfigError, match="line 9: key 'headings' is given twice"):
        parse_profile(text, "mine.yaml")


def test_model_index_without_metric_values_is_unfilled():
    text = "---\nlicense: mit\nmodel-index:\n- name: run\n  results: []\n---\n# Card\n"
    out = completeness_output("hf-model-card", [doc("card", text, path="c.md")])
    rows = {r["id"]: r for r in out.details["items"]}  # type: ignore[union-attr,index]
    assert rows["HF-model-index"]["state"] == "placeholder"
    assert rows["HF-model-index"]["note"] == "model-index holds no metric values"
