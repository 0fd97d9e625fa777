"""Constructs the third blind set showed (issue 17, fourth round), each a rule about a construct
and a card written for these tests in cards/kinds/: facts given as "Label: value" lines, run-in
bold titles and two-cell table rows; a generator's default sentences, sample values and empty
values; a document-wide scope note; the section made for an item deciding over a broader one;
and facts recognised by the form they take in prose, in the lexicon's languages."""

from __future__ import annotations

import pytest
from documentation_testkit import inline_states, kind_states

from tef_harness.api import ConfigError
from tef_harness.checks.documentation.assess import assess
from tef_harness.checks.documentation.parsing import parse_markdown
from tef_harness.checks.documentation.profiles import load_documentation_profile, parse_profile
from tef_harness.checks.documentation.states import ItemState, classify_text


def labels_of(text: str) -> dict[str, str]:
    return {s.heading: s.text for s in parse_markdown(text, role="card", path="c.md").sections if s.kind == "label"}


# -- "Label: value" lines name items as headings do --------------------------------------------------
def test_plain_labels_run_in_titles_and_key_value_rows_are_places():
    text = (
        "# Card\n\n## About\n\n"
        "Provider: Northwind Labs, Oslo.\n"
        "- Version: 2.1\n\n"
        "An estimator of parcel weight. Intended purpose: billing checks at the depot.\n\n"
        "**Data.** Depot scans from 2021.\n\n"
        "| Owner | Jana Berg |\n"
        "| Licence | MIT |\n"
    )
    labels = labels_of(text)
    assert labels["Provider"].startswith("Northwind Labs, Oslo.")
    assert labels["Version"].strip() == "2.1"
    # after a sentence's end on the same line
    assert labels["Intended purpose"].startswith("billing checks")
    # a bold title ended by a full stop, its text on the same line
    assert labels["Data"].strip() == "Depot scans from 2021."
    # a two-cell row without bold: its own row only, kept as a row
    assert labels["Owner"].strip() == "| Jana Berg |" and "MIT" not in labels["Owner"]


def test_what_is_not_a_label():
    text = (
        "# Card\n\n## About\n\n"
        "See https://example.org/card for more.\n"
        "The run started at 10:30 and ended late.\n"
        "accuracy on the test year: 0.91\n"
        "Note, however: the scale drifts.\n"
        "A sentence that is far too long to be a label at all: it goes on.\n\n"
        "| Metric | Value |\n|---|---|\n| accuracy | 0.91 |\n\n"
        "**Do not use it for pricing decisions of any kind.**\n"
    )
    labels = labels_of(text)
    # a URL, a time, a lower-case clause, a comma, a long phrase, a table's header row, and a
    # bold sentence are none; the metric row is a key-value row
    assert set(labels) == {"accuracy"}


def test_an_annex_iv_document_from_a_small_tool():
    s = kind_states("annex_iv_own_tool.md", "eu-ai-act-annex-iv")
    # facts given as labels under a neighbouring heading
    assert s["AIV-2d"][:2] == ("present", "annex_iv_own_tool.md: label 'Data' (line 18)")
    assert s["AIV-2c"][:2] == ("present", "annex_iv_own_tool.md: label 'Computational resources' (line 21)")
    assert s["AIV-3.ii"][:2] == ("present", "annex_iv_own_tool.md: label 'Foreseeable unintended outcomes' (line 28)")
    assert s["IFU-b.iii"][0] == "present"
    # hardware by the form it takes ("CPU only"), expected accuracy deferred to the model card
    assert s["AIV-1e"][0] == "present" and "'CPU'" in (s["AIV-1e"][1] or "")
    assert s["AIV-3.i"][0] == "present" and "'expected accuracy'" in (s["AIV-3.i"][1] or "")
    # the scope note answers the market and deployment items no section names ...
    for item in ("AIV-1d", "AIV-1g", "AIV-1h"):
        assert s[item][0] == "not_applicable", item
        assert (s[item][2] or "").startswith("not applicable by the document's scope note"), item
    assert "(line 8)" in (s["AIV-1d"][1] or "")
    # ... and only those: the declaration and the items it does not cover stay missing
    for item in ("AIV-8", "AIV-1f", "IFU-c", "IFU-f"):
        assert s[item][0] == "missing", item
    # the section made for post-market monitoring says it does not apply; the broader
    # "Monitoring, functioning and control" with text of its own does not make it present
    assert s["AIV-9"][:2] == ("not_applicable", "annex_iv_own_tool.md: heading '4. Post-market monitoring' (line 31)")


def test_a_scope_note_does_not_answer_an_item_with_a_place_of_its_own():
    text = (
        "# Doc\n\nThis system is not placed on the market.\n\n"
        "## Placing on the market\n\nTBD\n\n## Post-market monitoring\n\nMonthly drift report to the owner.\n"
    )
    got = inline_states(text, "eu-ai-act-annex-iv")
    assert got["AIV-1d"] is ItemState.PLACEHOLDER  # its own section is unfilled: the note does not fill it
    assert got["AIV-9"] is ItemState.PRESENT
    # statements that only sound like a scope note
    for text in (
        "# Doc\n\nThe model is not deployed in safety-critical settings.\n",
        "# Doc\n\nNo users' data is kept after a run.\n",
    ):
        got = inline_states(text, "eu-ai-act-annex-iv")
        assert got["AIV-1g"] is ItemState.MISSING and got["AIV-1h"] is ItemState.MISSING, text
    assert inline_states("# Doc\n\nThe model is not deployed.\n", "eu-ai-act-annex-iv")["AIV-1g"] is (
        ItemState.NOT_APPLICABLE
    )
    # no note, no N/A
    assert inline_states("# Doc\n\nA model.\n", "eu-ai-act-annex-iv")["AIV-1d"] is ItemState.MISSING


@pytest.mark.parametrize(
    "note",
    [
        "Das System wird nicht in Verkehr gebracht.",
        "Le système n'est pas mis sur le marché.",
        "Il sistema non è immesso sul mercato.",
        "El sistema no se introduce en el mercado.",
        "Het systeem wordt niet in de handel gebracht.",
        "System nie jest wprowadzany do obrotu.",
    ],
)
def test_scope_notes_in_the_lexicons_languages(note):
    got = inline_states(f"# Doc\n\n{note}\n\n## 1\n\nEin Text.\n", "eu-ai-act-annex-iv")
    assert got["AIV-1d"] is ItemState.NOT_APPLICABLE
    assert got["AIV-9"] is ItemState.NOT_APPLICABLE
    assert got["AIV-1g"] is ItemState.MISSING  # a market note says nothing about users


def test_a_scope_note_covering_an_unknown_item_is_a_profile_error():
    profile = (
        "name: p\nversion: '1'\ntitle: P\nitems:\n  - {id: A, title: A, hint: a}\n"
        "scope_notes:\n  - {reason: r, phrases: [x], covers: [B]}\n"
    )
    with pytest.raises(ConfigError, match="covers unknown item"):
        parse_profile(profile, "p.yaml")


# -- a generator's defaults are unfilled ---------------------------------------------------------------
def test_a_generators_draft_reads_as_unfilled():
    s = kind_states("generator_draft.md", "eu-ai-act-annex-iv")
    # "Training data: Not specified"
    assert s["AIV-2d"][:2] == ("placeholder", "generator_draft.md: label 'Training data' (line 18)")
    assert s["IFU-b.vi"][0] == "placeholder"
    # "No risks have been identified for this system yet. Please complete the risk assessment."
    assert s["AIV-3.ii"][0] == "placeholder" and s["IFU-b.iii"][0] == "placeholder"
    assert s["AIV-5"][0] == "placeholder"
    # "Contact Person (contact@company.com)"
    assert s["IFU-a"][0] == "placeholder"
    # what the generator was given stays content
    assert s["IFU-b.i"][0] == "present" and s["IFU-d"][0] == "present"
    hf = kind_states("generator_draft.md", "hf-model-card")
    assert hf["HF-developed-by"][:2] == ("placeholder", "generator_draft.md: label 'Organization' (line 14)")
    assert hf["HF-bias-risks"][0] == "placeholder" and hf["HF-training-data"][0] == "placeholder"


@pytest.mark.parametrize(
    ("lang", "request_", "empty", "demo", "pending"),
    [
        ("en", "Please complete the risk assessment.", "Not specified", "Demo Organization", "Pending"),
        ("de", "Bitte ergänzen Sie die Risikobewertung.", "Nicht angegeben", "Musterfirma GmbH", "Ausstehend"),
        ("fr", "Veuillez compléter l'évaluation des risques.", "Non spécifié", "Société exemple", "En attente"),
        ("it", "Si prega di completare la sezione.", "Non specificato", "Azienda di esempio", "In attesa"),
        ("es", "Por favor, complete la evaluación de riesgos.", "No especificado", "Empresa de ejemplo", "Pendiente"),
        ("nl", "Gelieve in te vullen door de eigenaar.", "Niet gespecificeerd", "Voorbeeldbedrijf", "In afwachting"),
        ("pl", "Proszę uzupełnić ocenę ryzyka.", "Nie określono", "Przykładowa firma", "Oczekuje"),
    ],
)
def test_requests_empty_values_and_sample_values_in_seven_languages(lang, request_, empty, demo, pending):
    assert classify_text(request_).state is ItemState.PLACEHOLDER, lang
    assert classify_text(empty).state is ItemState.PLACEHOLDER, lang
    assert classify_text(f"- **Owner:** {empty}").state is ItemState.PLACEHOLDER, lang
    assert classify_text(f"| Owner | {empty} |").state is ItemState.PLACEHOLDER, lang
    assert classify_text(demo).state is ItemState.PLACEHOLDER, lang
    assert classify_text(f"- **Status:** {pending}").state is ItemState.PLACEHOLDER, lang
    # beside content they are markers only
    assert classify_text(f"{request_}\n\nFlat parcels are underestimated by 8%.").state is ItemState.PRESENT, lang


def test_near_misses_of_the_generator_defaults_stay_content():
    for text in (
        "The model is not available for commercial use.",
        "Input size is not specified in the paper; we used 224 pixels.",
        "No incidents have been reported yet, but two near misses were logged and fixed.",
        "Please cite the paper below when you use the model.",
        "Maintained by the data team, data-team@northwind.example.eu.",
        "The contact person is Jana Berg of the depot team.",
        "Check with your organization's legal team before use.",
    ):
        assert classify_text(text).state is ItemState.PRESENT, text


# -- facts by the form they take in prose --------------------------------------------------------------
def _card(body: str) -> str:
    return f"# Parcel estimator\n\n## Overview\n\n{body}\n"


@pytest.mark.parametrize(
    ("body", "item", "expected"),
    [
        ("Researchers at Northwind Labs developed the model in 2023.", "HF-developed-by", ItemState.PRESENT),
        ("Northwind Labs hat das Modell entwickelt.", "HF-developed-by", ItemState.PRESENT),
        ("Northwind Labs a développé le modèle.", "HF-developed-by", ItemState.PRESENT),
        ("Northwind Labs heeft het model ontwikkeld.", "HF-developed-by", ItemState.PRESENT),
        ("We developed the model in 2023.", "HF-developed-by", ItemState.MISSING),  # nobody named
        ("Researchers developed the model in 2023.", "HF-developed-by", ItemState.MISSING),
        ("Reach out on the project forum with questions.", "HF-contact", ItemState.PRESENT),
        ("Bugs go to the issue tracker of the repository.", "HF-contact", ItemState.PRESENT),
        ("N'hésitez pas à nous contacter.", "HF-contact", ItemState.PRESENT),
        ("A regressor on the depot scans dataset trained.", "HF-training-data", ItemState.PRESENT),
        ("It was fine-tuned with the public parcel corpus.", "HF-training-data", ItemState.PRESENT),
        ("Fine-tuned from a base model on 40k scanned parcels.", "HF-training-data", ItemState.PRESENT),
        ("Trained for two hours on 8 GPUs.", "HF-training-data", ItemState.MISSING),  # hardware, not data
        ("It was evaluated on the public parcel benchmark.", "HF-testing-data", ItemState.PRESENT),
        ("It is evaluated on these tasks: weighing and sorting.", "HF-testing-data", ItemState.MISSING),
        ("Macro-F1 is measured on the held-back test data of 1,500 parcels.", "HF-testing-data", ItemState.PRESENT),
        ("F1 von 0,84 auf einem zurückgehaltenen Testdatensatz.", "HF-testing-data", ItemState.PRESENT),
        ("F1 de 0,84 sur les données de test de 2023.", "HF-testing-data", ItemState.PRESENT),
        ("Train: 8000 — Test: 2000", "HF-testing-data", ItemState.PRESENT),
        ("Train: 40,000 scans; Test: 2,000.", "HF-training-data", ItemState.PRESENT),
        ("Validation set: 12,500 parcels from 2023.", "HF-testing-data", ItemState.PRESENT),
        ("Validation: 0.91 accuracy.", "HF-testing-data", ItemState.MISSING),  # a score, not a size
        ("The estimator is not ready to be used in production.", "HF-out-of-scope", ItemState.PRESENT),
        ("Apply the estimate with caution to parcels over 30 kg.", "HF-recommendations", ItemState.PRESENT),
        ("Depot operators should weigh disputed parcels by hand.", "HF-recommendations", ItemState.PRESENT),
        ("I clienti devono prestare maggiore cautela nei domini regolamentati.", "HF-recommendations",
         ItemState.PRESENT),
        ("Les utilisateurs doivent vérifier les colis contestés.", "HF-recommendations", ItemState.PRESENT),
        ("Das Modell ist nicht geeignet für Preisentscheidungen.", "HF-out-of-scope", ItemState.PRESENT),
        ("We report the ECE and the AUC of each depot.", "HF-metrics", ItemState.PRESENT),
        ("It runs on a single machine with one GPU.", "HF-technical-specifications", ItemState.PRESENT),
        ("Built with scikit-learn 1.4 on Python 3.12.", "HF-technical-specifications", ItemState.PRESENT),
        ("Terms that prohibit the use of the estimator for pricing apply.", "HF-out-of-scope", ItemState.PRESENT),
        ("Any use for pricing is prohibited.", "HF-out-of-scope", ItemState.PRESENT),
        ("L'utilisation pour la tarification est interdite.", "HF-out-of-scope", ItemState.PRESENT),
        ("The table reports PPL and Acc per benchmark.", "HF-metrics", ItemState.PRESENT),
        ("We compared its errors on gender, age and skin tone labels.", "HF-factors", ItemState.PRESENT),
        ("Ohne Zugriff auf Merkmale wie Alter, Geschlecht oder Herkunft.", "HF-factors", ItemState.PRESENT),
        ("Sans accès à des attributs comme l'âge, le genre ou l'origine.", "HF-factors", ItemState.PRESENT),
        ("We compared its errors on gender and age labels.", "HF-factors", ItemState.MISSING),  # two are no list
        ("Senza accesso ad attributi come età, genere o etnia.", "HF-factors", ItemState.PRESENT),
        ("The age of the scans ranges from one to three years.", "HF-factors", ItemState.MISSING),
        ("Prestazioni simili per fasce d'età e per regione.", "HF-factors", ItemState.PRESENT),
        ("Die Fehlerrate wird nach Altersgruppen berichtet.", "HF-factors", ItemState.PRESENT),
        ("Resultados por grupo de edad.", "HF-factors", ItemState.PRESENT),
        ("Wyniki według płci.", "HF-factors", ItemState.PRESENT),
        ("Errors are similar across age, gender and region.", "HF-factors", ItemState.PRESENT),
        ("The TPR gap is 0.12 between depots.", "HF-results", ItemState.PRESENT),
        ("The TPR gap between depots is small.", "HF-results", ItemState.MISSING),  # a value is needed
    ],
)
def test_facts_recognised_by_their_form(body, item, expected):
    assert inline_states(_card(body), "hf-model-card")[item] is expected


def test_expected_accuracy_deferred_to_another_document_is_evidence():
    text = "# Doc\n\n## 3. Functioning\n\nThe expected accuracy is given in the model card, section 4.\n"
    got = inline_states(text, "eu-ai-act-annex-iv")
    assert got["AIV-3.i"] is ItemState.PRESENT and got["IFU-b.ii"] is ItemState.PRESENT
    got = inline_states("# Doc\n\n## 3. Funktionsweise\n\nDie erwartete Genauigkeit steht in der Modellkarte.\n",
                        "eu-ai-act-annex-iv")
    assert got["AIV-3.i"] is ItemState.PRESENT


@pytest.mark.parametrize("title", ["Objectif", "Objetivo", "Obiettivo", "Ziel", "Doel", "Cel"])
def test_a_reports_objective_is_its_intended_use(title):
    text = f"# Model\n\n## {title}\n\nHelp the depot staff check parcel weights.\n"
    assert inline_states(text, "hf-model-card")["HF-direct-use"] is ItemState.PRESENT
    assert inline_states(text, "model-card")["MC-intended-use"] is ItemState.PRESENT
    assert inline_states(text, "eu-ai-act-annex-iv")["IFU-b.i"] is ItemState.PRESENT
    # the English word is the optimisation objective of Annex IV 2(b), not the intended use
    english = "# Model\n\n## Objective\n\nMinimise the squared error.\n"
    assert inline_states(english, "hf-model-card")["HF-direct-use"] is ItemState.MISSING


def test_software_versions_are_annex_iv_1c():
    text = "# Doc\n\n## Build\n\nGenerated on Python 3.12.1 from tag v0.4.2.\n"
    assert inline_states(text, "eu-ai-act-annex-iv")["AIV-1c"] is ItemState.PRESENT
    assert inline_states("# Doc\n\n## Build\n\nGenerated from tag v0.4.2.\n", "eu-ai-act-annex-iv")["AIV-1c"] is (
        ItemState.MISSING
    )


def test_an_unfilled_label_does_not_hide_the_items_evidence_elsewhere():
    """A generated table row "| Accuracy | None |" names the item and is unfilled; a value the
    document gives in prose elsewhere still counts. An unfilled heading keeps its weight."""
    table = "| Metric | Value |\n|---|---|\n| Accuracy | None |\n"
    prose = "## 4. Metrics chosen\n\nAccuracy (91.9%) measures the overall hit rate.\n"
    got = states_of_text(f"# Doc\n\n## 2. Testing\n\n{table}\n{prose}", "eu-ai-act-annex-iv")
    assert got["AIV-3.i"][0] == "present" and "'Accuracy (91.9'" in (got["AIV-3.i"][1] or "")
    alone = states_of_text(f"# Doc\n\n## 2. Testing\n\n{table}", "eu-ai-act-annex-iv")
    assert alone["AIV-3.i"][:2] == ("placeholder", "c.md: label 'Accuracy' (line 7)")
    heading = states_of_text(f"# Doc\n\n## Accuracy\n\nTBD\n\n{prose}", "eu-ai-act-annex-iv")
    assert heading["AIV-3.i"][0] == "placeholder"


def states_of_text(text: str, profile: str) -> dict[str, tuple[str, str | None, str | None]]:
    prof, _ = load_documentation_profile(profile)
    parsed = parse_markdown(text, role="card", path="c.md")
    return {a.item.id: (a.state.value, a.location, a.note) for a in assess(prof, [parsed])}


def test_metrics_with_no_place_of_their_own_are_as_unfilled_as_the_results_section():
    """A skops-style card has no metrics section: the metrics are read from "Evaluation Results".
    Left as the template's placeholder, the metrics are unfilled, not missing; filled with a
    reference to a paper, the results are there and the metrics still missing."""
    unfilled = "# M\n\nA model.\n\n## Evaluation Results\n\n[More Information Needed]\n"
    got = states_of_text(unfilled, "hf-model-card")
    assert got["HF-results"][0] == "placeholder"
    assert got["HF-metrics"][:2] == ("placeholder", "c.md: heading 'Evaluation Results' (line 5)")
    assert "HF-results" in (got["HF-metrics"][2] or "")
    assert states_of_text(unfilled, "model-card")["MC-metrics"][0] == "placeholder"
    referred = "# M\n\nA model.\n\n## Evaluation Results\n\nSee sections 3 and 4 of the paper.\n"
    got = states_of_text(referred, "hf-model-card")
    assert got["HF-results"][0] == "present" and got["HF-metrics"][0] == "missing"


def test_unfilled_with_naming_an_unknown_item_is_a_profile_error():
    profile = "name: p\nversion: '1'\ntitle: P\nitems:\n  - {id: A, title: A, hint: a, unfilled_with: [B]}\n"
    with pytest.raises(ConfigError, match="unfilled_with names unknown item"):
        parse_profile(profile, "p.yaml")


@pytest.mark.parametrize(
    ("title", "item"),
    [
        ("Forms in which the AI system is placed on the market", "AIV-1d"),
        ("Hardware on which the AI system is intended to run", "AIV-1e"),
        ("Interaction with hardware or software", "AIV-1b"),
        ("Photographs or illustrations", "AIV-1f"),
        ("Data requirements", "AIV-2d"),
        ("Degrees of accuracy", "AIV-3.i"),
        ("Known or foreseeable circumstances", "IFU-b.iii"),
        ("Provider name", "IFU-a"),
        ("Logging capabilities", "IFU-f"),
    ],
)
def test_the_regulations_own_wording_names_its_items(title, item):
    got = inline_states(f"# Doc\n\n## {title}\n\nOne sentence of the provider's own.\n", "eu-ai-act-annex-iv")
    assert got[item] is ItemState.PRESENT


@pytest.mark.parametrize(
    "value", ["Not yet issued.", "Noch nicht erstellt", "Pas encore signée", "Non ancora firmata", "Aún no emitida",
              "Nog niet ondertekend", "Jeszcze nie wydano"]
)
def test_not_yet_as_a_whole_value_is_unfilled(value):
    got = states_of_text(f"# Doc\n\n## 8. EU declaration of conformity\n\n{value}\n", "eu-ai-act-annex-iv")
    assert got["AIV-8"][0] == "placeholder"
    # inside a sentence that says more it is content
    assert classify_text(f"The model has {value.lower().rstrip('.')} for children's drains.").state is (
        ItemState.PRESENT
    )


def test_an_annex_iv_document_describing_its_data_compute_and_output_in_prose():
    text = (
        "# FloodWatch\n\n## 1. General description\n\n"
        "FloodWatch outputs a risk score per drain for the inspection crews.\n\n"
        "## 2. Development\n\nA tree ensemble trained on 2019-2024 sensor logs from 1,900 drains.\n"
        "Compute: one 32-core server, forty minutes.\n"
    )
    got = states_of_text(text, "eu-ai-act-annex-iv")
    assert got["AIV-2d"][0] == "present" and "'trained on" in (got["AIV-2d"][1] or "")
    assert got["IFU-b.vi"][0] == "present"
    assert got["AIV-2c"][:2] == ("present", "c.md: label 'Compute' (line 10)")
    assert got["IFU-b.vii"][0] == "present" and "'outputs a risk score'" in (got["IFU-b.vii"][1] or "")


def test_a_checklist_table_with_numbered_points_names_its_items():
    text = (
        "# Annex IV checklist\n\n| Point | Content |\n|---|---|\n"
        "| 1(a) Intended purpose | Ranks incoming loan files for review order |\n"
        "| 2(c) Compute | One 16-core server |\n| 0.91 | 0.88 |\n"
    )
    labels = labels_of(text)
    assert set(labels) == {"1(a) Intended purpose", "2(c) Compute"}  # a row of numbers names nothing
    got = inline_states(text, "eu-ai-act-annex-iv")
    assert got["AIV-1a"] is ItemState.PRESENT and got["AIV-2c"] is ItemState.PRESENT


@pytest.mark.parametrize(
    "value",
    ["No description provided.", "No information available", "Keine Beschreibung angegeben.",
     "Aucune information fournie.", "Nessuna descrizione fornita.", "No se proporciona información.",
     "Geen informatie beschikbaar.", "Brak dostępnych danych."],
)
def test_saying_nothing_was_provided_is_an_empty_value(value):
    assert classify_text(value).state is ItemState.PLACEHOLDER
    assert classify_text(f"- **Owner:** {value}").state is ItemState.PLACEHOLDER
    # a sentence that goes on is content
    assert classify_text(f"{value.rstrip('.')} to the annotators, who labelled blind.").state is ItemState.PRESENT


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("- **Fairness metrics:** accuracy, precision, recall\n- **Incident tool:** ticketing", "placeholder"),
        ("Accuracy 0.91 overall; 0.88 for applicants over 60.", "present"),
        ("![per-group recall](recall.png)", "present"),
        ("See section 4 of the paper for the results.", "present"),
        ("Results are reported in the model card.", "present"),
    ],
)
def test_a_results_section_without_a_value_names_them_only(body, expected):
    text = f"# M\n\nA model.\n\n## Results\n\n{body}\n"
    got = states_of_text(text, "hf-model-card")
    assert got["HF-results"][0] == expected
    if expected == "placeholder":
        assert got["HF-results"][2] == "names results without a value"
    assert states_of_text(text.replace("## Results", "## Quantitative Analyses"), "model-card")[
        "MC-quantitative-analyses"
    ][0] == expected
    group = f"# Doc\n\n## Performance by group\n\n{body}\n"
    assert states_of_text(group, "eu-ai-act-annex-iv")["IFU-b.v"][0] == expected


def test_a_checklist_table_row_with_a_pending_status_is_unfilled():
    text = (
        "# Annex IV checklist\n\n| Point | Status | Notes |\n|---|---|---|\n"
        "| 1(a) Intended purpose | Done | Ranks loan files for review order |\n"
        "| 2(h) Cybersecurity | Pending | |\n"
        "| 2(c) Compute | Not specified | |\n"
    )
    got = states_of_text(text, "eu-ai-act-annex-iv")
    assert got["AIV-1a"][:2] == ("present", "c.md: label '1(a) Intended purpose' (line 5)")
    assert got["AIV-2h"][:2] == ("placeholder", "c.md: label '2(h) Cybersecurity' (line 6)")
    assert got["AIV-2c"][0] == "placeholder"


def test_a_sentence_embedding_generators_defaults_are_unfilled():
    """The generator of sentence-embedding cards leaves a default evaluation sentence (its link
    carries an unfilled model name) and a "Citing & Authors" heading over a comment only."""
    text = (
        "# parcel-encoder\n\nMaps parcel descriptions to a 384-dimensional vector space.\n\n"
        "## Evaluation Results\n\n<!--- Describe how your model was evaluated -->\n\n"
        "For an automated evaluation of this model, see the *Sentence Embeddings Benchmark*: "
        "[https://example.org/bench](https://example.org/bench?model_name={MODEL_NAME})\n\n"
        "## Citing & Authors\n\n<!--- Describe where people can find more information -->\n"
    )
    got = states_of_text(text, "hf-model-card")
    assert got["HF-results"][0] == "placeholder"
    assert got["HF-metrics"][0] == "placeholder"  # read from the unfilled results section
    assert got["HF-citation"][:2] == ("placeholder", "c.md: heading 'Citing & Authors' (line 11)")
    assert states_of_text(text, "model-card")["MC-quantitative-analyses"][0] == "placeholder"
