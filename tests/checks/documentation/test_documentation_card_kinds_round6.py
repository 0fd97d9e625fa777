"""Two constructs the sixth blind set showed (issue 17, sixth round): headings and key phrases
typed with or without diacritics ("Metriques" for "Métriques", "Einschraenkungen" or
"Einschrankungen" for "Einschränkungen"), and a label with nothing after its colon ("- Intended
Use:"), which names its item as an unfilled place. The cards are written here, for these tests."""

from __future__ import annotations

import re

import pytest
from documentation_testkit import item_states

from tef_harness.checks.documentation.folding import fold_word, letters_pattern, strip_marks
from tef_harness.checks.documentation.headings import HeadingMatcher
from tef_harness.checks.documentation.lexicon import phrase_pattern
from tef_harness.checks.documentation.parsing import parse_markdown


# -- diacritics ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "bare"),
    [
        ("Métriques", "metriques"),
        ("Características", "caracteristicas"),
        ("Łódź", "lodz"),
        ("Maß", "mass"),
        ("Einschränkungen", "einschrankungen"),
        ("Einschränkungen", "Einschraenkungen"),
        ("Ueberblick", "Überblick"),
        ("Übersicht", "ubersicht"),
        ("Œuvre", "oeuvre"),
    ],
)
def test_a_word_has_one_key_with_or_without_its_diacritics(typed: str, bare: str) -> None:
    assert fold_word(typed) == fold_word(bare)
    assert fold_word(typed).isascii()


def test_different_words_keep_different_keys() -> None:
    assert fold_word("Métriques") != fold_word("Matrices")
    assert fold_word("Bias") != fold_word("Base")


def test_strip_marks_keeps_ascii_and_case() -> None:
    assert strip_marks("Informations Générales") == "Informations Generales"
    assert strip_marks("plain text") == "plain text"


@pytest.mark.parametrize(
    ("alias", "heading"),
    [
        ("Métriques", "Metriques"),
        ("Metriques", "Métriques"),
        ("Einschränkungen", "Einschraenkungen"),
        ("Einschränkungen", "Einschrankungen"),
        ("Einschraenkungen", "Einschränkungen"),
        ("Informations générales", "2. Informations generales"),
        ("Características", "Caracteristicas"),
        ("Maßnahmen", "Massnahmen"),
        ("Dane treningowe i ograniczenia", "Dane treningowe i ograniczenia"),
    ],
)
def test_a_heading_names_its_alias_typed_either_way(alias: str, heading: str) -> None:
    matcher = HeadingMatcher([("item", [alias])])
    assert "item" in matcher.match(heading)


@pytest.mark.parametrize(("alias", "heading"), [("Métriques", "Matrices"), ("Einschränkungen", "Einrichtungen")])
def test_folding_does_not_make_other_words_the_same(alias: str, heading: str) -> None:
    assert "item" not in HeadingMatcher([("item", [alias])]).match(heading)


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("données d'entraînement", "Les donnees d'entrainement sont publiques."),
        ("Einschränkungen", "Bekannte Einschraenkungen: keine."),
        ("Einschränkungen", "Bekannte Einschrankungen."),
        ("Einschraenkungen", "Bekannte Einschränkungen."),
        ("Maßnahmen", "Massnahmen zur Minderung"),
        ("uso previsto", "El USO PREVISTO es"),
    ],
)
def test_a_phrase_is_found_typed_either_way_at_its_raw_position(phrase: str, text: str) -> None:
    m = re.search(phrase_pattern([phrase]), text, re.I)
    assert m is not None
    assert fold_word(m.group(0).replace(" ", "")) == fold_word(phrase.replace(" ", ""))


def test_letters_pattern_is_still_a_whole_word_match() -> None:
    assert re.search(phrase_pattern(["métrique"]), "biométriques", re.I) is None
    assert re.fullmatch(letters_pattern("café"), "CAFE", re.I)


def test_a_french_card_without_accents_names_its_items_and_keeps_line_numbers() -> None:
    card = "# Fiche\n\n## Metriques\n\nExactitude et F1 sur le jeu de test.\n\n## Limites\n\nTextes courts seulement.\n"
    got = item_states("hf-model-card", card)
    assert got["HF-metrics"][0] == "present"
    assert "'Metriques' (line 3)" in (got["HF-metrics"][1] or "")


# -- a label with nothing after its colon --------------------------------------------------------------
_EMPTY_LABELS = """# Model card

## Model details

Text classifier for support tickets, trained on 12,000 tickets.

- Intended Use:
- Metrics:
  - Accuracy: 0.91
  - F1: 0.88
- Developed by: Acme Analytics

Contact:

## Training data

Support tickets from 2022.
"""


def test_an_empty_plain_label_names_its_item_as_unfilled() -> None:
    got = item_states("hf-model-card", _EMPTY_LABELS)
    assert got["HF-direct-use"][0] == "placeholder"
    assert "label 'Intended Use' (line 7)" in (got["HF-direct-use"][1] or "")
    assert got["HF-contact"][0] == "placeholder"


def test_a_label_over_a_sub_list_is_not_empty() -> None:
    got = item_states("hf-model-card", _EMPTY_LABELS)
    assert got["HF-metrics"][0] == "present"
    sections = {s.heading: s for s in parse_markdown(_EMPTY_LABELS, role="card", path="c.md").sections}
    assert "Accuracy: 0.91" in sections["Metrics"].text and "F1: 0.88" in sections["Metrics"].text
    assert sections["Intended Use"].text.strip() == ""


def test_a_label_whose_text_is_on_the_next_lines_is_not_empty() -> None:
    card = "# Card\n\n## About\n\nIntended Use:\nRouting support tickets to the right team.\n"
    got = item_states("hf-model-card", card)
    assert got["HF-direct-use"][0] == "present"


def test_an_empty_bold_label_is_unfilled_too() -> None:
    card = "# Card\n\n## About\n\n**Contact:**\n\n**Developed by:** Acme Analytics\n"
    assert item_states("hf-model-card", card)["HF-contact"][0] == "placeholder"


def test_folding_does_not_make_entertainment_a_training_heading() -> None:
    # "entertainment" and "entrainement" (from "Entraînement") are a fuzzy ratio of exactly 88
    matcher = HeadingMatcher([("train", ["Entraînement", "Training"])])
    assert "train" not in matcher.match("Entertainment")
    assert "train" in matcher.match("Entrainement")


@pytest.mark.parametrize(
    "text",
    [
        "Known Einschraenkungen and Massnahmen: none. The metriques are listed.",
        "Les donnees d'entrainement",
        "no match here at all",
        "EINSCHRANKUNGEN, learning rate 0.1",
    ],
)
def test_the_ascii_pattern_finds_what_the_full_pattern_finds_in_ascii_text(text: str) -> None:
    phrases = ["Einschränkungen", "Maßnahmen", "métriques", "données d'entraînement", "learning rate"]
    full = [m.span() for m in re.finditer(phrase_pattern(phrases), text, re.I)]
    simple = [m.span() for m in re.finditer(phrase_pattern(phrases, ascii_text=True), text, re.I)]
    assert full == simple
    assert "[" not in phrase_pattern(["métriques"], ascii_text=True)
