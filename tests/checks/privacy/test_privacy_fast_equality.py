"""The fast path returns exactly presidio's analyze() output (entity type, span, score)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from privacy_testkit import as_detections, bare_pii_texts, pii_texts

from tef_harness.checks.privacy.analyzer import LANGUAGE, build_analyzer
from tef_harness.checks.privacy.fast import FastScanner


@pytest.fixture(scope="module")
def presidio_alone():
    return build_analyzer(extra_recognizers=False)


@pytest.fixture(scope="module")
def project():
    return build_analyzer()


@pytest.mark.slow
@pytest.mark.parametrize("which", ["presidio_alone", "project"])
@pytest.mark.parametrize("context", [None, ["phone"]], ids=["no-context", "column-context"])
def test_fast_path_equals_analyze_on_generated_records(which, context, request):
    analyzer = request.getfixturevalue(which)
    texts = pii_texts(270, seed=3)
    texts += texts[:30]  # duplicates go through the dedupe path
    expected = [as_detections(analyzer.analyze(t, LANGUAGE, context=context)) for t in texts]
    got = FastScanner(analyzer).scan(texts, context=context)
    assert got == expected
    assert sum(map(len, expected)) > 200  # the comparison is not vacuous


_COLUMN_CONTEXTS = [None, ["phone"], ["email"], ["customer", "note"], ["url"], ["iban"], ["ssn"], ["ip"]]


@pytest.mark.parametrize("context", _COLUMN_CONTEXTS, ids=lambda c: "-".join(c or ["none"]))
def test_fast_path_equals_analyze_on_bare_values(project, context):
    """Bare values (no lead word in the text), ASCII and not: the column name alone may
    decide a score, and the fast path then skips the tokenizer."""
    texts = bare_pii_texts(140, seed=13)
    expected = [as_detections(project.analyze(t, LANGUAGE, context=context)) for t in texts]
    assert FastScanner(project).scan(texts, context=context) == expected
    assert sum(map(len, expected)) > 100


def _count_tokenizer_calls(scanner, monkeypatch):
    calls = []
    engine = scanner.analyzer.nlp_engine
    original = engine.process_text
    monkeypatch.setattr(engine, "process_text", lambda text, lang: calls.append(text) or original(text, lang))
    return calls


def test_tokenizer_skipped_only_where_tokens_cannot_change_a_score(project, monkeypatch):
    scanner = FastScanner(project)
    calls = _count_tokenizer_calls(scanner, monkeypatch)
    phone = "+1-415-555-0134x12"
    assert scanner.detect(phone, ["phone"])[0].score > 0.4  # raised by the column name alone
    assert scanner.detect("someone@example.org") != ()  # URL inside: no url/link word anywhere
    assert calls == []
    scanner.detect(f"call {phone}")  # "call" is a phone context word in the text: tokens decide
    assert calls == [f"call {phone}"]


def test_tokenizer_always_runs_when_lemmas_are_not_lower_case(project, monkeypatch):
    """With a real spaCy model lemmas differ from the text ("calling" -> "call"), so the
    text-substring argument does not hold and the fast path tokenizes as analyze() does."""
    monkeypatch.setattr(project.nlp_engine, "lemmas_are_lowercase", False)
    scanner = FastScanner(project)
    calls = _count_tokenizer_calls(scanner, monkeypatch)
    scanner.detect("someone@example.org")
    assert calls == ["someone@example.org"]


_ALPHABET = "0123456789 +-.()@:/xXabcdefghijkl ZYQWNIBANphoneÄİΣ"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=_ALPHABET, max_size=60), st.sampled_from(_COLUMN_CONTEXTS))
def test_fast_path_equals_analyze_on_random_text(project, text, context):
    scanner = FastScanner(project)
    assert scanner.detect(text, context) == as_detections(project.analyze(text, LANGUAGE, context=context))


def test_skipped_recognizers_have_no_match(project):
    """The probe for a regex recognizer is its own patterns: a skipped recognizer returns nothing."""
    scanner = FastScanner(project)
    for text in pii_texts(90, seed=5):
        chosen = {id(r) for r in scanner.candidates(text)}
        for rec in scanner.recognizers:
            if id(rec) not in chosen:
                assert rec.analyze(text=text, entities=scanner.entities, nlp_artifacts=None) == []


@pytest.mark.slow
def test_parallel_scan_on_the_engines_workers_equals_serial(project):
    from tef_harness.engine.workers import ForkWorkers

    scanner = FastScanner(project)
    texts = pii_texts(2200, seed=7)
    assert scanner.scan(texts, mapper=ForkWorkers(2).map, chunk=256) == scanner.scan(texts)


def test_project_recognizers_only_add(presidio_alone, project):
    """Every presidio result is still there, or covered by a result of the same type with
    a span containing it and a score at least as high."""
    for text in pii_texts(180, seed=11):
        mine = project.analyze(text, LANGUAGE)
        for r in presidio_alone.analyze(text, LANGUAGE):
            assert any(
                m.entity_type == r.entity_type and m.start <= r.start and r.end <= m.end and m.score >= r.score
                for m in mine
            ), (r.entity_type, r.start, r.end)


def test_digit_gates_are_digit_only_and_skip_digit_free_text(project):
    """The recognizers skipped in digit-free text include presidio's phone recognizer (its
    candidates need a digit) but not e-mail or URL, which need none."""
    scanner = FastScanner(project)
    gated = set(scanner.digit_gated)
    assert {"PhoneRecognizer", "CreditCardRecognizer", "IbanRecognizer", "NlBsnRecognizer"} <= gated
    assert not {"EmailRecognizer", "UrlRecognizer", "ItFiscalCodeRecognizer"} & gated
    names = {r.name for r in scanner.candidates("Straße Ⅻ ½ ² mail: ana@example.org")}  # no Nd digit
    assert not names & gated and "EmailRecognizer" in names
    # a non-ASCII decimal digit (Arabic-Indic) still opens the gates
    assert "PhoneRecognizer" in {r.name for r in scanner.candidates("٠١٢٣٤٥٦٧٨٩")}


def test_only_digits_is_measured_against_every_code_point():
    import re

    import regex

    from tef_harness.checks.privacy.probes import only_digits

    assert only_digits(regex.compile(r"[0-9\d]", regex.IGNORECASE))
    assert only_digits(re.compile(r"[\d]", re.UNICODE | re.IGNORECASE))
    assert not only_digits(regex.compile(r"[0-9x]", regex.IGNORECASE))
    assert not only_digits(regex.compile(r"[\w]"))


def _at_least(dets, threshold):
    return tuple(d for d in dets if d.score >= threshold)


@pytest.mark.parametrize("context", [None, ["phone"], ["customer", "note"]], ids=["none", "phone", "other"])
def test_thresholded_scan_equals_analyze_at_or_above_the_threshold(project, context):
    """With ``min_score`` the scan leaves presidio's phone recognizer out where nothing can
    lift its 0.4 to the threshold: the detections at or above it are analyze()'s."""
    texts = pii_texts(120, seed=21) + bare_pii_texts(60, seed=22)
    texts += ["call me on 030 1234567", "Telefon: (0824) 219489", "number 212-555-0134 ok", "ΣΑΣ 0301234567"]
    expected = [_at_least(as_detections(project.analyze(t, LANGUAGE, context=context)), 0.5) for t in texts]
    got = [_at_least(d, 0.5) for d in FastScanner(project).scan(texts, context=context, min_score=0.5)]
    assert got == expected
    assert sum(map(len, expected)) > 80


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=_ALPHABET + "acllmobile", max_size=60), st.sampled_from(_COLUMN_CONTEXTS))
def test_thresholded_detect_equals_analyze_on_random_text(project, text, context):
    got = _at_least(FastScanner(project).detect(text, context, min_score=0.5), 0.5)
    assert got == _at_least(as_detections(project.analyze(text, LANGUAGE, context=context)), 0.5)


def test_presidio_phone_recognizer_is_left_out_only_without_a_context_word(project, monkeypatch):
    import tef_harness.checks.privacy.fast as fast

    calls: list[str] = []
    original = fast._phone_results
    monkeypatch.setattr(fast, "_phone_results", lambda rec, text: calls.append(text) or original(rec, text))
    scanner = FastScanner(project)
    scanner.detect("Rückmeldung unter 030 1234567", min_score=0.5)
    assert calls == []
    scanner.detect("phone 030 1234567", min_score=0.5)
    scanner.detect("030 1234567", ["phone"], min_score=0.5)
    scanner.detect("Rückmeldung unter 030 1234567")  # no threshold: analyze()'s full output
    assert len(calls) == 3
