"""The fast path returns exactly presidio's analyze() output (entity type, span, score)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from privacy_testkit import as_detections, pii_texts

from tef_harness.checks.privacy.engine import LANGUAGE, build_analyzer
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


_ALPHABET = "0123456789 +-.()@:/xXabcdefghijkl ZYQWNIBANphone"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_fast_path_equals_analyze_on_random_text(project, text):
    scanner = FastScanner(project)
    assert scanner.detect(text) == as_detections(project.analyze(text, LANGUAGE))


def test_skipped_recognizers_have_no_match(project):
    """The probe for a regex recognizer is its own patterns: a skipped recognizer returns nothing."""
    scanner = FastScanner(project)
    for text in pii_texts(90, seed=5):
        chosen = {id(r) for r in scanner.candidates(text)}
        for rec in scanner.recognizers:
            if id(rec) not in chosen:
                assert rec.analyze(text=text, entities=scanner.entities, nlp_artifacts=None) == []


@pytest.mark.slow
def test_parallel_scan_equals_serial(project):
    scanner = FastScanner(project)
    texts = pii_texts(2200, seed=7)
    assert scanner.scan(texts, n_jobs=2, chunk=256) == scanner.scan(texts)


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
