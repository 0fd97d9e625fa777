"""Misreadings the second held-out set showed (issue 17, third round), each a rule about a
construct and a card written for these tests in cards/kinds/: report-template titles in seven
languages, near-miss titles, a short hub card without sections, Annex IV sections that defer
their subject, phrases in example code, and a template pasted from the paper with its titles
broken mid-sentence."""

from __future__ import annotations

import pytest
from documentation_testkit import doc, inline_states, kind_states

from tef_harness.checks.documentation.headings import HeadingMatcher
from tef_harness.checks.documentation.parsing import parse_document, parse_markdown
from tef_harness.checks.documentation.profiles import load_documentation_profile
from tef_harness.checks.documentation.states import ItemState, classify_text

# -- report-template titles in seven languages ----------------------------------------------------
#: a project report's section titles per language: input variables (the data the model learns
#: from), results analysis, conclusions, purpose
_REPORT_TITLES = {
    "en": ("Input variables", "Analysis of results", "Conclusions", "Purpose"),
    "es": ("Variables de entrada", "Análisis de resultados", "Conclusiones", "Objetivo del modelo"),
    "de": ("Eingabevariablen", "Analyse der Ergebnisse", "Schlussfolgerungen", "Zweck"),
    "fr": ("Variables d'entrée", "Analyse des résultats", "Conclusions", "Objectif du modèle"),
    "it": ("Variabili di input", "Analisi dei risultati", "Conclusioni", "Scopo"),
    "nl": ("Invoervariabelen", "Analyse van de resultaten", "Conclusies", "Doel van het model"),
    "pl": ("Zmienne wejściowe", "Analiza wyników", "Wnioski", "Cel modelu"),
}


@pytest.mark.parametrize("lang", sorted(_REPORT_TITLES))
def test_report_template_titles_in_seven_languages(lang):
    """Each title holds one sentence; the item it stands for is present, and an item with no
    section (the developer) stays missing."""
    titles = _REPORT_TITLES[lang]
    body = "\n".join(f"## {t}\n\nOne sentence written by the team ({lang}, {i}).\n" for i, t in enumerate(titles))
    got = inline_states(f"# Report ({lang})\n\n{body}", "hf-model-card")
    expected = ("HF-training-data", "HF-results", "HF-recommendations", "HF-direct-use")
    for title, item in zip(titles, expected, strict=True):
        assert got[item] is ItemState.PRESENT, (lang, title, item)
    assert got["HF-developed-by"] is ItemState.MISSING
    mc = inline_states(f"# Report ({lang})\n\n{body}", "model-card")
    for item in ("MC-training-data", "MC-quantitative-analyses", "MC-caveats", "MC-intended-use"):
        assert mc[item] is ItemState.PRESENT, (lang, item)


def test_a_spanish_report_card_reads_as_a_reader_reads_it():
    s = kind_states("report_template_es.md", "hf-model-card")
    assert s["HF-training-data"][:2] == ("present", "report_template_es.md: heading 'Variables de entrada' (line 6)")
    assert s["HF-results"][:2] == ("present", "report_template_es.md: heading 'Resultados (validación)' (line 10)")
    assert s["HF-recommendations"][:2] == ("present", "report_template_es.md: heading 'Conclusiones' (line 18)")
    # "Limitación:" in a bullet of the analysis: the singular with its accent
    assert s["HF-bias-risks"][0] == "present" and "(line 16)" in (s["HF-bias-risks"][1] or "")
    assert s["HF-metrics"][0] == "present"  # "mae" and "r2" columns
    for item in ("HF-developed-by", "HF-direct-use", "HF-citation"):
        assert s[item][0] == "missing", item


# -- near-miss titles -------------------------------------------------------------------------------
def test_near_miss_titles_match_and_their_neighbours_do_not():
    s = kind_states("near_miss_titles.md", "hf-model-card")
    # a parenthesised qualifier, and "usage" for "use" inside a two-word alias
    assert s["HF-direct-use"][:2] == ("present", "near_miss_titles.md: heading 'Direct Usage (Command Line)' (line 7)")
    # three words of a one-phrase alias, at least half of it
    assert s["HF-contact"][:2] == ("present", "near_miss_titles.md: label 'Where to send comments' (line 11)")
    # "Model Card" (two words) names neither the authors nor the contact; "Send comments" neither
    assert s["HF-developed-by"][0] == "missing"
    assert s["HF-get-started"][:2] == ("present", "near_miss_titles.md: heading 'Usage' (line 5)")


@pytest.mark.parametrize(
    ("heading", "item", "named"),
    [
        ("Direct Usage (Sentence Transformers)", "HF-direct-use", True),
        ("Where to send comments", "HF-contact", True),
        ("Results (baseline)", "HF-results", True),
        ("Metrics. Measures that reflect how the model affects people who use it.", "HF-metrics", True),
        # near misses that must not match
        ("Usage", "HF-direct-use", False),  # a word form joins words of longer aliases only
        ("Uses", "HF-get-started", False),
        ("Model Card", "HF-developed-by", False),  # two words never name a longer alias
        ("Model Card", "HF-contact", False),
        ("Send comments", "HF-contact", False),
        ("Training", "HF-training-data", False),
        ("Metrics. Measures that reflect how the model affects people who use it.", "HF-get-started", False),
    ],
)
def test_near_miss_headings(heading, item, named):
    prof, _ = load_documentation_profile("hf-model-card")
    matcher = HeadingMatcher((i.id, i.aliases) for i in prof.items)
    assert (item in matcher.match(heading)) is named


def test_several_topic_aliases_are_not_named_by_one_of_their_topics():
    """A heading may name a longer alias it covers only when that alias is one phrase:
    "Testing Data Factors" is not "Testing Data, Factors & Metrics"."""
    matcher = HeadingMatcher([("VAL", ["Testing Data, Factors & Metrics"]), ("CONTACT", ["Where to send questions"])])
    assert matcher.match("Testing Data Factors") == {}
    assert matcher.match("Where to send questions") == {"CONTACT": 1}
    assert matcher.match("Where to send") == {}  # two content words


def test_a_prefix_makes_another_word():
    """"retraining" is one letter pair from "training" by edit distance, but another word:
    "Training / validation sources" is not Annex IV 2(f) pre-determined changes ("Retraining")."""
    matcher = HeadingMatcher([("CHANGES", ["Retraining"]), ("DETAILS", ["Modelldetails"]), ("LIM", ["Limitation"])])
    assert matcher.match("Training / validation sources") == {}
    assert matcher.match("Retraining") == {"CHANGES": 1}
    assert matcher.match("Modeldetails") == {"DETAILS": 1}  # a spelling difference still matches
    assert matcher.match("Limitationen") == {"LIM": 1}  # and an ending


# -- a short hub card without sections ------------------------------------------------------------
def test_a_short_hub_cards_facts_in_one_paragraph():
    s = kind_states("short_hub_card.md", "hf-model-card")
    # "Author: Mira Okafor" is a plain label (fourth round): the place that names the item
    assert s["HF-developed-by"][:2] == ("present", "short_hub_card.md: label 'Author' (line 22)")
    assert s["HF-direct-use"][0] == "present" and "'Use this random forest model for'" in (s["HF-direct-use"][1] or "")
    # the title says what it was trained on, over text of its own
    assert s["HF-training-data"][0] == "present" and "'pre-trained on'" in (s["HF-training-data"][1] or "")
    # the evaluation widget's dataset is the evaluation data when no section is about it
    assert s["HF-testing-data"][:2] == ("present", "short_hub_card.md: front matter 'model-index.dataset'")
    assert s["HF-technical-specifications"][0] == "present"  # "random forest"
    for item in ("HF-out-of-scope", "HF-bias-risks", "HF-contact"):
        assert s[item][0] == "missing", item


def test_a_title_alone_is_no_evidence_and_a_section_for_the_data_decides_over_metadata():
    """A phrase in a title counts only when text follows it; a card whose evaluation-data
    section is unfilled stays unfilled whatever the model-index names."""
    got = inline_states("# Detector pre-trained on Parcels-2\n\n## Notes\n\nShort.\n", "hf-model-card")
    assert got["HF-training-data"] is ItemState.MISSING
    card = (
        "---\nmodel-index:\n- name: m\n  results:\n  - dataset:\n      name: Parcels-2\n    metrics:\n"
        "    - type: accuracy\n      value: 0.9\n---\n# M\n\nA model.\n\n## Testing Data\n\n[More Information Needed]\n"
    )
    assert inline_states(card, "hf-model-card")["HF-testing-data"] is ItemState.PLACEHOLDER
    assert inline_states(card.replace("## Testing Data\n\n[More Information Needed]\n", ""), "hf-model-card")[
        "HF-testing-data"
    ] is ItemState.PRESENT


# -- Annex IV sections that defer their subject ---------------------------------------------------
def test_annex_iv_sections_that_defer_their_subject_are_unfilled():
    s = kind_states("annex_iv_deferrals.md", "eu-ai-act-annex-iv")
    deferred = "only says it will be documented elsewhere or later"
    # "Overview only; ... to be documented in full. Data protection: refer to ..." says nothing yet
    assert s["AIV-2d"] == ("placeholder", "annex_iv_deferrals.md: heading '2. Training data' (line 8)", deferred)
    assert s["AIV-2e"] == ("placeholder", "annex_iv_deferrals.md: heading '3. Human oversight' (line 12)", deferred)
    assert s["IFU-d"][0] == "placeholder"
    # a short text before the deferral is content: "Two pilot stores; wider roll-out to be described"
    assert s["AIV-1a"][0] == "present"
    # a risk summary is read as the risks
    assert s["AIV-3.ii"][:2] == ("present", "annex_iv_deferrals.md: heading '4. Risk summary' (line 16)")
    assert s["AIV-2h"][0] == "present"
    # design choices named only in a deferral: named, not written (placeholder, not missing)
    assert s["AIV-2a"][:2] == ("placeholder", "annex_iv_deferrals.md: heading '6. Development process' (line 24)")
    assert s["AIV-2b"][0] == "placeholder"
    assert "'design choice' under '6. Development process' (line 26)" in (s["AIV-2b"][1] or "")
    h = kind_states("annex_iv_deferrals.md", "hf-model-card")
    assert h["HF-bias-risks"][0] == "present"
    assert h["HF-training-data"][0] == "placeholder"


@pytest.mark.parametrize(
    "text",
    [
        "Data sources and their cleaning to be documented in full. Reference: the data management plan.",
        "Datenquellen und Bereinigung noch zu dokumentieren. Siehe Datenmanagementplan.",
        "Sources et nettoyage des données à documenter; voir le plan de gestion des données.",
        "Fonti e pulizia dei dati da documentare. Vedi il piano di gestione dei dati.",
        "Fuentes y limpieza de los datos por documentar. Véase el plan de gestión de datos.",
        "Bronnen en opschoning van de gegevens nog te documenteren. Zie het gegevensbeheerplan.",
        "Źródła i czyszczenie danych do udokumentowania. Patrz plan zarządzania danymi.",
    ],
)
def test_a_deferral_with_only_a_pointer_is_unfilled_in_seven_languages(text):
    c = classify_text(text)
    assert c.state is ItemState.PLACEHOLDER and c.markers >= 1, text


@pytest.mark.parametrize(
    "text",
    [
        "Two pilot stores; wider roll-out to be described in full documentation.",
        "Accuracy is 0.91 on the 2025 test set; the per-store breakdown is to be documented.",
        "See the data management plan for the sources of the 40,000 labelled images.",  # a pointer, no deferral
    ],
)
def test_text_beside_a_deferral_or_a_pointer_alone_is_content(text):
    assert classify_text(text).state is ItemState.PRESENT, text


# -- phrases in example code ----------------------------------------------------------------------
def test_phrases_in_example_code_are_no_evidence_and_a_text_block_is_read():
    s = kind_states("code_block_phrases.md", "hf-model-card")
    # "known limitations" is a Python string, "--developed-by-team" a shell flag
    assert s["HF-bias-risks"][0] == "missing"
    # the provider line in a ```text block is a declaration a reader reads
    assert s["HF-developed-by"][0] == "present" and "under 'Statement' (line 27)" in (s["HF-developed-by"][1] or "")
    # how to get started: code is the evidence there (in_code)
    got = inline_states("# M\n\nA model.\n\n## Notes\n\n```bash\npip install invoice-tools\n```\n", "hf-model-card")
    assert got["HF-get-started"] is ItemState.PRESENT


@pytest.mark.parametrize(
    ("block", "evidence"),
    [
        ("```python\nrisks = 'biased outputs'\n```", False),
        ("```\nx = load('biased outputs')\nprint(x)\n```", False),  # untagged, reads as code
        ("~~~sh\n$ run --biased\n~~~", False),
        ("```text\nThe model gives biased outputs for short inputs.\n```", True),
        ("```\nThe model gives biased outputs for short inputs.\nWe saw it twice.\n```", True),  # untagged prose
    ],
)
def test_code_is_told_from_prose_by_fence_language_or_by_looking_like_code(block, evidence):
    got = inline_states(f"# M\n\nA model.\n\n## Notes\n\n{block}\n", "hf-model-card")
    assert (got["HF-bias-risks"] is ItemState.PRESENT) is evidence


# -- a template pasted from the paper -------------------------------------------------------------
def test_a_pasted_template_with_broken_titles_and_bare_prompts_is_unfilled():
    s = kind_states("pdf_pasted_template.md", "model-card")
    # "## Metrics. Measures that reflect how the model affects" + "people who use it.": one title,
    # matched by "Metrics" alone, not by "use" in its sentence
    assert s["MC-intended-use"][0] == "missing"
    assert s["MC-evaluation-data"][0] == "placeholder"
    assert s["MC-metrics"][:2] == (
        "placeholder",
        "pdf_pasted_template.md: heading 'Metrics. Measures that reflect how the model affects people who use it.' "
        "(line 6)",
    )
    h = kind_states("pdf_pasted_template.md", "hf-model-card")
    assert h["HF-developed-by"][:2] == (
        "placeholder",
        "pdf_pasted_template.md: template prompt 'Person or organization developing model' (line 4)",
    )
    assert h["HF-citation"] == (
        "placeholder",
        "pdf_pasted_template.md: template prompt 'Citation details' (line 5)",
        "only the template's prompt, not answered",
    )
    assert h["HF-get-started"][0] == "missing"
    parsed = parse_document(doc("card", "kinds/pdf_pasted_template.md"))
    titles = [s.heading for s in parsed.sections if s.kind == "heading"]
    assert titles[1] == "Model Details. Basic facts the reader needs about the model before anything else."
    # a heading over a lower-case body line is not a broken title
    plain = parse_markdown("## Section B\nbody b\n", role="card", path="c.md")
    assert [s.heading for s in plain.sections] == ["Section B"] and plain.sections[0].text == "body b"


# -- nothing to cite ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "No paper accompanies this example.",
        "There is no publication about this model.",
        "Es gibt keine Veröffentlichung zu diesem Modell.",
        "Il n'y a aucune publication sur ce modèle.",
        "Nessuna pubblicazione accompagna questo modello.",
        "No hay ninguna publicación sobre este modelo.",
        "Er is geen publicatie over dit model.",
        "Brak publikacji dotyczącej tego modelu.",
    ],
)
def test_saying_there_is_nothing_to_cite_is_a_justified_not_applicable(text):
    assert classify_text(text).state is ItemState.NOT_APPLICABLE, text


def test_a_long_section_opening_with_no_paper_is_content():
    text = (
        "No paper has been published yet, but the model is a gradient-boosted ensemble of 300 trees trained "
        "on three years of anonymised invoices from twelve member companies, tuned on a held-out quarter and "
        "reviewed by the finance team."
    )
    assert classify_text(text).state is ItemState.PRESENT
    got = inline_states("# M\n\nA model.\n\n## Citation\n\nNo paper accompanies this example.\n", "hf-model-card")
    assert got["HF-citation"] is ItemState.NOT_APPLICABLE


# -- prose evidence in seven languages ------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "out_of_scope", "metric"),
    [
        ("de", "Das Modell darf nicht für Kreditentscheidungen verwendet werden.", "Die Genauigkeit beträgt 0,91."),
        ("fr", "Le modèle ne doit pas être utilisé pour le crédit.", "L'exactitude atteint 0.91 sur le test."),
        ("it", "Il modello non deve essere utilizzato per il credito.", "L'accuratezza è 0.91 sul test."),
        ("es", "El modelo no debe utilizarse para créditos.", "La exactitud es de 0.91 en la prueba."),
        ("nl", "Het model mag niet worden gebruikt voor kredieten.", "De nauwkeurigheid is 0.91 op de test."),
        ("pl", "Model nie powinien być używany do kredytów.", "Dokładność wynosi 0.91 na teście."),
    ],
)
def test_out_of_scope_uses_and_metric_values_written_as_prose(lang, out_of_scope, metric):
    got = inline_states(f"# M ({lang})\n\nA model.\n\n## Notes\n\n{out_of_scope}\n\n{metric}\n", "hf-model-card")
    assert got["HF-out-of-scope"] is ItemState.PRESENT, lang
    assert got["HF-metrics"] is ItemState.PRESENT, lang
    assert got["HF-results"] is ItemState.PRESENT, lang
    # without the sentences nothing is found
    bare = inline_states(f"# M ({lang})\n\nA model.\n\n## Notes\n\nShort.\n", "hf-model-card")
    assert bare["HF-out-of-scope"] is ItemState.MISSING and bare["HF-metrics"] is ItemState.MISSING


# -- claims written in the other languages, with a decimal comma -----------------------------------
@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Die Genauigkeit beträgt 0,93 auf den Testdaten.", 0.93),
        ("L'exactitude est de 91,5 % sur le jeu de test.", 0.915),
        ("L'accuratezza è pari a 0,88.", 0.88),
        ("La exactitud alcanza 0,90 en la prueba.", 0.90),
        ("De nauwkeurigheid bedraagt 0,87.", 0.87),
        ("Dokładność wynosi 0,86.", 0.86),
        ("Accuracy: 0.93", 0.93),
    ],
)
def test_claims_in_seven_languages_with_a_decimal_comma(sentence, value):
    from tef_harness.checks.documentation.claims import extract_claims

    claims = extract_claims(parse_markdown(f"# M\n\n## Ergebnisse\n\n{sentence}\n", role="card", path="c.md"))
    got = [(c.metric, round(c.value, 6)) for c in claims.metrics]
    assert got == [("accuracy", value)], sentence


def test_a_table_with_decimal_commas_and_thousands_separators():
    """"| Genauigkeit | 0,93 |" is 0.93, not 0 (a false claim of zero accuracy); "12,584" in a
    count column is twelve thousand."""
    from tef_harness.checks.documentation.claims import _decimal, extract_claims

    card = "# M\n\n## Ergebnisse\n\n| Metrik | Wert |\n|---|---|\n| Genauigkeit | 0,93 |\n| F1 | 0,91 |\n"
    claims = extract_claims(parse_markdown(card, role="card", path="c.md"))
    assert sorted((c.metric, round(c.value, 6)) for c in claims.metrics) == [("accuracy", 0.93), ("f1", 0.91)]
    wide = (
        "# M\n\n## Ergebnisse\n\n| Daten | Genauigkeit | F1 | Beispiele |\n|---|---|---|---|\n"
        "| Test | 0,93 | 0,91 | 12,584 |\n"
    )
    claims = extract_claims(parse_markdown(wide, role="card", path="c.md"))
    assert sorted((c.metric, round(c.value, 6)) for c in claims.metrics) == [("accuracy", 0.93), ("f1", 0.91)]
    assert (_decimal("12,584"), _decimal("0,930"), _decimal("91,5")) == ("12584", "0.930", "91.5")
