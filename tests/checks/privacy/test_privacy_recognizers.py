"""The recognizers the project adds: EU national ids with checksums, the measured misses."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
from faker import Faker
from privacy_testkit import luhn_number

from tef_harness.checks.privacy.analyzer import LANGUAGE, build_analyzer, coverage


@pytest.fixture(scope="module")
def project():
    return build_analyzer()


@pytest.fixture(scope="module")
def presidio_alone():
    return build_analyzer(extra_recognizers=False)


def _types(analyzer, text, threshold=0.5):
    return {(r.entity_type, text[r.start : r.end]) for r in analyzer.analyze(text, LANGUAGE) if r.score >= threshold}


def _faker(locale: str, method: str, seed: int) -> str:
    f = Faker(locale)
    f.seed_instance(seed)
    return str(getattr(f, method)())


EU_IDS = [
    ("ES_NIF", "DNI", "es_ES", "nif"),
    ("ES_NIE", "NIE", "es_ES", "nie"),
    ("IT_FISCAL_CODE", "codice fiscale", "it_IT", "ssn"),
    ("PL_PESEL", "PESEL", "pl_PL", "pesel"),
    ("FI_PERSONAL_IDENTITY_CODE", "hetu", "fi_FI", "ssn"),
    ("NL_BSN", "BSN", "nl_NL", "ssn"),
    ("FR_NIR", "NIR", "fr_FR", "ssn"),
    ("RO_CNP", "CNP", "ro_RO", "ssn"),
    ("EE_PERSONAL_CODE", "isikukood", "et_EE", "ssn"),
    ("HR_OIB", "OIB", "hr_HR", "ssn"),
    ("BE_NATIONAL_NUMBER", "rijksregisternummer", "nl_BE", "ssn"),
]


@pytest.mark.parametrize(("entity", "word", "locale", "method"), EU_IDS, ids=[e[0] for e in EU_IDS])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_eu_national_ids_found_with_context(project, entity, word, locale, method, seed):
    value = _faker(locale, method, seed)
    found = _types(project, f"{word} {value} on file")
    assert (entity, value) in found


def _break_checksum(value: str) -> str:
    """Change the last digit (the check digit, or part of the check letters' input)."""
    idx = max(i for i, c in enumerate(value) if c.isdigit())
    digit = str((int(value[idx]) + 1) % 10)
    return value[:idx] + digit + value[idx + 1 :]


@pytest.mark.parametrize(
    ("entity", "word", "locale", "method"),
    [e for e in EU_IDS if e[0] in {"NL_BSN", "FR_NIR", "RO_CNP", "EE_PERSONAL_CODE", "HR_OIB", "BE_NATIONAL_NUMBER"}],
    ids=lambda e: e if isinstance(e, str) else None,
)
def test_project_eu_ids_reject_a_broken_checksum(project, entity, word, locale, method):
    value = _break_checksum(_faker(locale, method, 4))
    assert entity not in {e for e, _ in _types(project, f"{word} {value}", threshold=0.0)}


@pytest.mark.parametrize(
    ("prefix", "length"),
    [("4", 19), ("2221", 16), ("2720", 16), ("5018", 19), ("6304", 18), ("6759", 12)],
    ids=["visa-19", "mc-2221", "mc-2720", "maestro-5018-19", "maestro-6304-18", "maestro-6759-12"],
)
def test_card_numbers_presidio_misses(project, presidio_alone, prefix, length):
    number = luhn_number(prefix, length, random.Random(length))
    text = f"paid with {number} yesterday"
    assert ("CREDIT_CARD", number) in _types(project, text)
    assert ("CREDIT_CARD", number) not in _types(presidio_alone, text)  # the measured miss


def test_card_with_bad_luhn_is_not_a_card(project):
    number = luhn_number("4", 19, random.Random(0))
    bad = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert "CREDIT_CARD" not in {e for e, _ in _types(project, f"paid with {bad}", threshold=0.0)}


@pytest.mark.parametrize(
    "phone", ["+1-202-555-0173", "001-212-555-1234", "212-555-1234x123", "(212)555-1234 ext. 42", "+44 20 7946 0018"]
)
def test_phones_with_prefix_or_extension(project, phone):
    assert ("PHONE_NUMBER", phone) in _types(project, f"reach me at {phone} today")


def test_context_words_raise_scores_without_a_model(project):
    bare = [r.score for r in project.analyze("020 7946 0018", LANGUAGE) if r.entity_type == "PHONE_NUMBER"]
    ctx = [r.score for r in project.analyze("phone: 020 7946 0018", LANGUAGE) if r.entity_type == "PHONE_NUMBER"]
    assert bare and ctx and max(ctx) > max(bare) >= 0.4


def test_coverage_names_what_needs_ner(project):
    cov = coverage(project)
    assert {"EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE", "PHONE_NUMBER", "NL_BSN", "ES_NIF"} <= set(cov.covered)
    assert {"PERSON", "LOCATION", "NRP", "ORGANIZATION"} <= set(cov.not_covered)
    assert "PERSON" not in cov.covered  # no spaCy recognizer claiming it without a model


def test_unknown_spacy_model_is_a_config_error():
    from tef_harness.checks.privacy.analyzer import require_spacy_model
    from tef_harness.sdk.errors import ConfigError

    with pytest.raises(ConfigError, match="never downloads") as err:
        require_spacy_model("xx_no_such_model_sm")
    assert err.value.field == "spacy_model"
    with pytest.raises(LookupError):
        build_analyzer("xx_no_such_model_sm")


NO_SOCKET = r"""
import socket
def refuse(*a, **k):
    raise RuntimeError("network access attempted")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from tef_harness.testing import make_context, synthetic_frame
from tef_harness.checks.privacy.pii import PiiInData
frame = synthetic_frame(50)
frame["notes"] = ["write to someone.%d@example.co.uk or x@test.org" % i for i in range(50)]
out = PiiInData().run(make_context(frame), PiiInData.Params())
assert any(f.data["entity_type"] == "EMAIL_ADDRESS" for f in out.findings), out
print("ok")
"""


def test_scan_opens_no_socket(tmp_path):
    """In a fresh process, with every way to open a connection patched to fail, a scan that
    matches e-mail addresses (tldextract's trigger) still works."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TLDEXTRACT_CACHE": str(tmp_path / "tld")}
    proc = subprocess.run([sys.executable, "-c", NO_SOCKET], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().endswith("ok")


LATE_IMPORT = r"""
import os, socket
os.environ.pop("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", None)
import tldextract  # imported before the harness could set its variables
def refuse(*a, **k):
    raise RuntimeError("network access attempted")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from tef_harness.checks.privacy.analyzer import build_analyzer
res = build_analyzer().analyze("mail a.b@example.co.uk", "en")
assert any(r.entity_type == "EMAIL_ADDRESS" for r in res)
print("ok")
"""


@pytest.mark.slow
def test_scan_opens_no_socket_even_if_tldextract_was_imported_first(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TLDEXTRACT_CACHE": str(tmp_path / "tld")}
    proc = subprocess.run([sys.executable, "-c", LATE_IMPORT], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
