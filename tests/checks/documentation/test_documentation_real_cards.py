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
from documentation_testkit import CARDS, card, doc, kind_states

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
    return {item: (state, where) for item, (state, where, _) in kind_states(name, profile).items()}


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
        ("accuracy", 0.93, "line 5", "accuracy of 0.93"),  # prose; and the bullet, the same claim again
        ("f1", 0.88, "line 11", "F1 score: 0.88"),  # bold label
        ("precision", 0.9, "line 19 (table at line 17)", "Precision | 0.90"),  # a table without outer pipes
        ("roc_auc", 0.95, "line 15 (table at line 13)", "ROC AUC | 0.95"),  # Name | Value
    ]
    accuracy = next(c for c in claims.metrics if c.metric == "accuracy")
    assert accuracy.also_at == ("claims_forms.md: line 10",)  # "- Accuracy: 0.93"
    # the comparison figure (0.71), the training log (0.61, 0.74) and the code block (0.12) are not claims
    assert not {0.71, 0.61, 0.74, 0.12} & {round(c.value, 2) for c in claims.metrics}


def test_each_table_claim_names_the_line_of_its_own_row():
    """Row-level evidence: a reader checking "female | 0.81" goes to that row, not to the top of
    a table of twenty rows. The expected lines are found by searching the card's text."""
    text = card("kinds/claims_rows.md")
    lines = text.splitlines()
    claims = extract_claims(parse_document(doc("card", "kinds/claims_rows.md")))

    def line_of(row_start: str) -> int:
        return next(i + 1 for i, ln in enumerate(lines) if ln.lstrip("| ").startswith(row_start))

    got = {(c.metric, c.group, round(c.value, 3)): c.source for c in claims.metrics}
    header = next(i + 1 for i, ln in enumerate(lines) if ln.startswith("| Group"))
    for group, acc in (("female", 0.81), ("male", 0.84), ("under 30", 0.79)):
        assert got[("accuracy", group, acc)] == f"claims_rows.md: line {line_of(group)} (table at line {header})"
    metric_header = next(i + 1 for i, ln in enumerate(lines) if ln.startswith("| Metric"))
    assert got[("recall", None, 0.77)] == f"claims_rows.md: line {line_of('Recall')} (table at line {metric_header})"
    assert got[("precision", None, 0.8)] == (
        f"claims_rows.md: line {line_of('Precision')} (table at line {metric_header})"
    )


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
    assert "MISSING     MC-factors" in text.stdout and "looked for headings 'Factors'" in text.stdout
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


# -- Annex IV technical documentation in the languages of the Union --------------------------------
_ANNEX_IV_HEADINGS = {
    # item -> the section title a provider writing in that language would use (numbered as the annex is)
    "de": {"AIV-2c": "2.3 Systemarchitektur", "AIV-2h": "2.8 Cybersicherheit",
           "AIV-5": "5. Risikomanagementsystem",
           "AIV-7": "7. Angewandte harmonisierte Normen", "AIV-9": "9. Überwachung nach dem Inverkehrbringen",
           "IFU-f": "Protokollierung", "AV-8": "Ort, Datum und Unterschrift"},
    "fr": {"AIV-2c": "2.3 Architecture du système", "AIV-2h": "2.8 Cybersécurité",
           "AIV-5": "5. Système de gestion des risques",
           "AIV-7": "7. Normes harmonisées appliquées", "AIV-9": "9. Surveillance après commercialisation",
           "IFU-f": "Journalisation", "AV-8": "Lieu, date et signature"},
    "it": {"AIV-2c": "2.3 Architettura del sistema", "AIV-2h": "2.8 Cibersicurezza",
           "AIV-5": "5. Sistema di gestione dei rischi",
           "AIV-7": "7. Norme armonizzate applicate", "AIV-9": "9. Monitoraggio successivo all'immissione sul mercato",
           "IFU-f": "Registrazione degli eventi", "AV-8": "Luogo, data e firma"},
    "es": {"AIV-2c": "2.3 Arquitectura del sistema", "AIV-2h": "2.8 Ciberseguridad",
           "AIV-5": "5. Sistema de gestión de riesgos",
           "AIV-7": "7. Normas armonizadas aplicadas", "AIV-9": "9. Vigilancia poscomercialización",
           "IFU-f": "Registro de eventos", "AV-8": "Lugar, fecha y firma"},
    "nl": {"AIV-2c": "2.3 Systeemarchitectuur", "AIV-2h": "2.8 Cyberbeveiliging",
           "AIV-5": "5. Systeem voor risicobeheer",
           "AIV-7": "7. Toegepaste geharmoniseerde normen", "AIV-9": "9. Monitoring na het in de handel brengen",
           "IFU-f": "Logboekregistratie", "AV-8": "Plaats, datum en handtekening"},
    "pl": {"AIV-2c": "2.3 Architektura systemu", "AIV-2h": "2.8 Cyberbezpieczeństwo",
           "AIV-5": "5. System zarządzania ryzykiem",
           "AIV-7": "7. Zastosowane normy zharmonizowane", "AIV-9": "9. Monitorowanie po wprowadzeniu do obrotu",
           "IFU-f": "Rejestrowanie zdarzeń", "AV-8": "Miejsce, data i podpis"},
}


_ANNEX_IV_DECLARATION = {
    "de": "8. EU-Konformitätserklärung", "fr": "8. Déclaration UE de conformité",
    "it": "8. Dichiarazione di conformità UE",
    "es": "8. Declaración UE de conformidad", "nl": "8. EU-conformiteitsverklaring", "pl": "8. Deklaracja zgodności UE",
}


@pytest.mark.parametrize("lang", sorted(_ANNEX_IV_HEADINGS))
def test_annex_iv_headings_in_six_eu_languages(lang):
    """Each section holds one written sentence; every item it is titled for is read as present,
    and an item the document has no section for stays missing."""
    headings = _ANNEX_IV_HEADINGS[lang]
    # the declaration's contents (Annex V) count only under the declaration (AIV-8), as nested there
    declaration = _ANNEX_IV_DECLARATION[lang]
    body = "\n".join(
        (f"## {declaration}\n\n### {h}\n" if item == "AV-8" else f"## {h}\n")
        + f"\nDer Anbieter beschreibt dies hier ausführlich ({lang}, {i}).\n"
        for i, (item, h) in enumerate(headings.items())
    )
    parsed = parse_markdown(f"# Annex IV ({lang})\n\n" + body, role="technical_documentation", path=f"{lang}.md")
    profile, _ = load_documentation_profile("eu-ai-act-annex-iv")
    got = {a.item.id: a.state for a in assess(profile, [parsed])}
    for item in (*headings, "AIV-8"):
        assert got[item] is ItemState.PRESENT, (lang, item)
    assert got["AIV-1e"] is ItemState.MISSING  # no hardware section in any of these documents


# -- facts in key-value tables, bracketed prompts, a template's prompt lines, the introduction ------
def test_key_value_table_rows_with_a_bold_key_are_labels():
    """Generated cards (a spaCy package's, for one) keep their facts in a Feature | Description
    table: each bold key is a label holding its own row, an empty value is unfilled, and bold
    words inside a cell are not a key."""
    parsed = parse_document(doc("card", "kinds/generated_table_card.md"))
    labels = {s.heading: (s.text, s.line) for s in parsed.sections if s.kind == "label"}
    assert labels == {
        "Name": ("`nl_invoice_ner`", 8),
        "Version": ("`1.2.0`", 9),
        "Pipeline": ("`tok2vec`, `ner`", 10),
        "Author": ("Finance Tools Group of Example BV", 11),
        "Contact": ("", 12),
    }
    s = states_of("generated_table_card.md", "hf-model-card")
    assert s["HF-developed-by"] == ("present", "generated_table_card.md: label 'Author' (line 11)")
    assert s["HF-contact"] == ("placeholder", "generated_table_card.md: label 'Contact' (line 12)")


def test_bracketed_prompts_are_unfilled_and_links_and_references_are_not():
    s = states_of("bracket_template.md", "hf-model-card")
    for item in ("HF-developed-by", "HF-contact", "HF-direct-use", "HF-out-of-scope", "HF-training-data"):
        assert s[item][0] == "placeholder", item
    for text in ("See the [evaluation notebook](nb.ipynb) for the full run [12].", "- [x] reviewed", "Footnote[^1]"):
        assert classify_text(text).state is ItemState.PRESENT, text
    for text in ("- **Version:** [Version of the model]", "| Owner | [name of the team] |", "[What the model is for]"):
        assert classify_text(text).state is ItemState.PLACEHOLDER, text


def test_a_templates_prompt_lines_are_unanswered_and_an_answered_prompt_is_content():
    """The Mitchell et al. prompts pasted as bullets, one of them answered after a colon."""
    s = states_of("paper_prompts_template.md", "model-card")
    assert s["MC-details"][0] == "placeholder"  # three prompts, one split by a PDF line break
    assert s["MC-intended-use"][0] == "present"  # "Primary intended uses: screening invoices ..."
    for item in ("MC-factors", "MC-metrics", "MC-decision-thresholds", "MC-uncertainty"):
        assert s[item][0] == "placeholder", item
    c = classify_text("* Relevant factors\n* Evaluation factors")
    assert (c.state, c.markers) == (ItemState.PLACEHOLDER, 2)


def test_the_introduction_documents_what_the_model_is_when_no_section_does():
    s = states_of("intro_only.md", "model-card")
    assert s["MC-details"] == ("present", "intro_only.md: introduction under 'Parcel volume estimator' (line 1)")
    h = states_of("intro_only.md", "hf-model-card")
    assert h["HF-model-description"][0] == "present"
    assert h["HF-developed-by"][0] == "missing"  # the introduction counts only for what the model is
    # a title over a template's comment says nothing
    assert states_of("intro_comment_only.md", "model-card")["MC-details"][0] == "missing"


def test_a_hub_cards_evaluation_metadata_documents_its_metrics_and_results():
    """A hub renders model-index as the card's evaluation results: a reader counts the metric and
    its value even when the body has no section for them. An empty model-index does not count."""
    s = states_of("hub_metadata_only.md", "model-card")
    assert s["MC-metrics"] == ("present", "hub_metadata_only.md: front matter 'metrics'")
    assert s["MC-quantitative-analyses"] == ("present", "hub_metadata_only.md: front matter 'model-index'")
    h = states_of("hub_metadata_only.md", "hf-model-card")
    assert h["HF-results"] == ("present", "hub_metadata_only.md: front matter 'model-index'")
    assert h["HF-training-data"][0] == "missing"  # a dataset named for evaluation is not the training data
    empty = card("kinds/hub_metadata_only.md").replace("  results:\n", "  results: []\n  x:\n")
    parsed = parse_markdown(empty, role="card", path="e.md")
    prof, _ = load_documentation_profile("hf-model-card")
    got = {a.item.id: a.state for a in assess(prof, [parsed])}
    assert got["HF-results"] is not ItemState.PRESENT
    # an empty model-index adds nothing, and takes nothing away from what the text says
    prose = empty.replace("\nmetrics:\n- f1\n", "\n") + "\nOn held-out invoices its F1 score is 0.81.\n"
    got = {a.item.id: a for a in assess(prof, [parse_markdown(prose, role="card", path="p.md")])}
    assert got["HF-metrics"].state is ItemState.PRESENT
    line = prose.splitlines().index("On held-out invoices its F1 score is 0.81.") + 1
    assert got["HF-metrics"].location == f"p.md: text 'F1 score is 0.81' under 'Invoice field check' (line {line})"


@pytest.mark.parametrize(
    ("sentence", "state"),
    [
        ("Its scores differ widely depending on the country named in the sentence.", "present"),
        ("Recall is reported per age group and by sex in the appendix.", "present"),
        ("The team thanks the country's statistics office for the data.", "missing"),
    ],
)
def test_factors_written_as_prose(sentence, state):
    """Factors named only in a sentence of another section: the groups a result varies by."""
    parsed = parse_markdown(f"# Card\n\n## Bias\n\n{sentence}\n", role="card", path="c.md")
    prof, _ = load_documentation_profile("model-card")
    got = {a.item.id: a for a in assess(prof, [parsed])}
    assert got["MC-factors"].state.value == state
    if state == "present":
        assert got["MC-factors"].location is not None and "under 'Bias' (line 5)" in got["MC-factors"].location


def test_a_sliced_metrics_table_documents_metrics_factors_and_threshold():
    """Model Card Toolkit writes results as "metric@threshold, slice | value" rows under
    "Metrics": the slices are the factors, "@0.4" the decision threshold, "roc_auc" a metric."""
    s = states_of("slice_metrics.md", "model-card")
    assert s["MC-metrics"] == ("present", "slice_metrics.md: heading 'Metrics' (line 9)")
    assert s["MC-factors"][0] == "present" and "(line 14)" in (s["MC-factors"][1] or "")
    assert s["MC-decision-thresholds"][0] == "present" and "(line 14)" in (s["MC-decision-thresholds"][1] or "")
    assert s["MC-quantitative-analyses"][0] == "present" and "(line 13)" in (s["MC-quantitative-analyses"][1] or "")
    h = states_of("slice_metrics.md", "hf-model-card")
    assert h["HF-factors"][0] == "present"


@pytest.mark.parametrize(
    ("sentence", "item"),
    [
        ("Das Netz besitzt drei Schichten mit 100, 10 und 1 Neuronen.", "HF-technical-specifications"),
        ("A teaching example: its scores must not inform any decision about a patient.", "HF-out-of-scope"),
    ],
)
def test_prose_under_another_heading_in_other_words(sentence, item):
    parsed = parse_markdown(f"# Card\n\n## Notes\n\n{sentence}\n", role="card", path="c.md")
    prof, _ = load_documentation_profile("hf-model-card")
    got = {a.item.id: a for a in assess(prof, [parsed])}
    assert got[item].state is ItemState.PRESENT
    assert got[item].note == "found in the text, not under a heading of its own"
