"""PII in the EU's languages: phone numbers written the national way are found without a
context word, context words work in German, French, Italian, Spanish, Dutch and Polish, and
the look-alikes (dates, amounts, order and invoice numbers, postcodes) stay unreported.
Measured on the benchmark's Faker-generated corpus (formats from Faker's locale providers)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tef_harness.checks.privacy.analyzer import LANGUAGE, build_analyzer
from tef_harness.checks.privacy.fast import Detection, FastScanner
from tef_harness.checks.privacy.scan import get_scanner, scan_texts

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
from pii_language_corpus import LANGUAGES, NATIONAL_ID, Note, make_corpus

THRESHOLD = 0.5
PER_LANGUAGE = 80


@pytest.fixture(scope="module")
def corpus() -> list[Note]:
    return make_corpus(PER_LANGUAGE, seed=7)


def _found(scanner: FastScanner, notes: list[Note]) -> list[tuple[Detection, ...]]:
    dets, _ = scan_texts(
        scanner, [n.text for n in notes], threshold=THRESHOLD, max_chars=20_000, ignore=frozenset(), workers=None
    )
    return dets


def _rates(notes: list[Note], found: list[tuple[Detection, ...]], entity: str) -> tuple[float, float]:
    gold = [n for n in notes if n.gold and n.gold[0] == entity]
    hits = sum(
        any(d.entity_type == entity and d.start < n.gold[2] and n.gold[1] < d.end for d in ds)  # type: ignore[index]
        for n, ds in zip(notes, found, strict=True)
        if n.gold and n.gold[0] == entity
    )
    dets = [(n, d) for n, ds in zip(notes, found, strict=True) for d in ds if d.entity_type == entity]
    right = sum(bool(n.gold and n.gold[0] == entity and d.start < n.gold[2] and n.gold[1] < d.end) for n, d in dets)
    return hits / len(gold), (right / len(dets) if dets else 1.0)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_recall_and_precision_per_language_with_the_region_declared(lang: str, corpus: list[Note]) -> None:
    notes = [n for n in corpus if n.language == lang]
    scanner = FastScanner(build_analyzer(regions=(LANGUAGES[lang][-2:],)))
    found = _found(scanner, notes)
    entities = ["PHONE_NUMBER", "IBAN_CODE", *([NATIONAL_ID[lang][1]] if lang in NATIONAL_ID else [])]
    for entity in entities:
        recall, precision = _rates(notes, found, entity)
        assert recall >= 0.9, (lang, entity, recall)
        assert precision >= 0.9, (lang, entity, precision)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_phone_recall_with_the_default_regions(lang: str, corpus: list[Note]) -> None:
    notes = [n for n in corpus if n.language == lang]
    recall, _ = _rates(notes, _found(get_scanner(None), notes), "PHONE_NUMBER")
    assert recall >= 0.9, (lang, recall)


def test_presidio_defaults_score_national_phone_numbers_under_the_threshold(corpus: list[Note]) -> None:
    """The baseline the recognizers are for: presidio finds these at 0.4 at best."""
    presidio = FastScanner(build_analyzer(extra_recognizers=False))
    phones = [n for n in corpus if n.gold and n.gold[0] == "PHONE_NUMBER" and n.language in ("fr", "de")]
    recall, _ = _rates(phones, _found(presidio, phones), "PHONE_NUMBER")
    assert recall < 0.2


def test_fast_path_equals_analyze_on_the_corpus(corpus: list[Note]) -> None:
    scanner = get_scanner(None)
    for note in corpus[:: max(1, len(corpus) // 120)]:
        expected = tuple(
            sorted(
                Detection(r.entity_type, r.start, r.end, float(r.score))
                for r in scanner.analyzer.analyze(note.text, LANGUAGE)
            )
        )
        assert scanner.detect(note.text) == expected, note.text


def _phone_score(text: str, context: list[str] | None = None) -> float:
    return max(
        (d.score for d in get_scanner(None).detect(text, context) if d.entity_type == "PHONE_NUMBER"), default=0.0
    )


@pytest.mark.parametrize(
    "text",
    [
        "Telefon 0034567890124",
        "Handy: 0034567890124",
        "téléphone 0034567890124",
        "telefono 0034567890124",
        "teléfono 0034567890124",
        "telefoon 0034567890124",
        "komórka 0034567890124",
    ],
)
def test_phone_context_words_in_seven_languages(text: str) -> None:
    assert _phone_score(text.split()[-1]) < THRESHOLD
    assert _phone_score(text) >= THRESHOLD


def test_order_words_do_not_lift_a_phone_score() -> None:
    """presidio matches context words as substrings of tokens: "nummer" would be in
    "Bestellnummer", "tel" in "Bestellung"."""
    for text in ("Bestellnummer 0034567890124", "Bestellung 0034567890124", "numéro de commande 0034567890124"):
        assert _phone_score(text) < THRESHOLD, text


@pytest.mark.parametrize(
    "text",
    [
        "am 12.03.2024 geliefert",
        "le 05/06/2023 livré",
        "1.234,56 €",
        "12 345,67 zł",
        "Rechnung RE-2024-00123",
        "Auftrag 4711-2024-0815",
        "PLZ 10115 Berlin",
        "kod 00-950 Warszawa",
        "Bestellnummer 0000123456",
    ],
)
def test_look_alikes_are_not_phone_numbers(text: str) -> None:
    assert _phone_score(text) < THRESHOLD, text


@pytest.mark.parametrize(
    "text",
    ["030 1234567", "01 42 68 53 00", "(0824) 219489", "071-9659342", "782 194 892", "+33 (0)2 34 10 64 74"],
)
def test_national_formats_are_found_without_context(text: str) -> None:
    assert _phone_score(f"bitte an {text} melden") >= THRESHOLD, text


def test_identifier_context_words_in_their_languages() -> None:
    scanner = get_scanner(None)
    hits = {d.entity_type for d in scanner.detect("numer PESEL 44051401458") if d.score >= THRESHOLD}
    assert "PL_PESEL" in hits
    hits = {d.entity_type for d in scanner.detect("Steuer IdNr 86095742719") if d.score >= THRESHOLD}
    assert "DE_TAX_ID" in hits
