"""One implementation of each check-digit rule (``sdk/check_digits.py``), used by the masking
door (``sdk/personal_data.py``) and by the PII scan's recognizers: the recognizers define no
arithmetic of their own, and both sides accept the identifiers Faker generates (its own,
independent implementation of each national rule) and reject them with one digit changed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from faker import Faker

import tef_harness.checks.privacy.recognizers as recognizers
from tef_harness.sdk import check_digits
from tef_harness.sdk.personal_data import is_personal

#: the recognizer, its rule in the SDK, and Faker's generator of a valid identifier
SHARED = [
    (recognizers.NlBsnRecognizer, check_digits.nl_bsn, "nl_NL"),
    (recognizers.FrNirRecognizer, check_digits.fr_nir, "fr_FR"),
    (recognizers.RoCnpRecognizer, check_digits.ro_cnp, "ro_RO"),
    (recognizers.EePersonalCodeRecognizer, check_digits.ee_personal_code, "et_EE"),
    (recognizers.HrOibRecognizer, check_digits.iso7064_mod11_10, "hr_HR"),
    (recognizers.BeNationalNumberRecognizer, check_digits.be_national_number, "nl_BE"),
]


def test_the_recognizers_compute_no_check_digit_themselves() -> None:
    """No check-digit modulus (10, 11, 97) in recognizers.py: every check digit is the SDK's.
    (The Belgian month's ``% 20`` is a shape rule: +20 and +40 mark a bis number.)"""
    tree = ast.parse(Path(recognizers.__file__).read_text(encoding="utf-8"))
    mods = [
        n.lineno
        for n in ast.walk(tree)
        if isinstance(n, ast.BinOp)
        and isinstance(n.op, ast.Mod)
        and isinstance(n.right, ast.Constant)
        and n.right.value in (10, 11, 97)
    ]
    assert mods == [], f"recognizers.py computes a modulus at line(s) {mods}: use tef_harness.sdk.check_digits"
    assert recognizers.luhn is check_digits.luhn
    assert not hasattr(recognizers, "_known_card_prefix")


def _faker_id(locale: str, seed: int) -> str:
    f = Faker(locale)
    f.seed_instance(seed)
    return str(f.ssn())


def _bump_last_digit(value: str) -> str:
    idx = max(i for i, c in enumerate(value) if c.isdigit())
    return value[:idx] + str((int(value[idx]) + 1) % 10) + value[idx + 1 :]


@pytest.mark.parametrize(("recognizer", "rule", "locale"), SHARED, ids=[r[0].__name__ for r in SHARED])
@pytest.mark.parametrize("seed", range(5))
def test_door_and_scan_agree_on_faker_identifiers(recognizer, rule, locale, seed) -> None:  # type: ignore[no-untyped-def]
    value = _faker_id(locale, seed)
    compact = "".join(c for c in value.upper() if c.isalnum())
    assert rule(compact) and recognizer().checksum(value)
    assert is_personal(compact)  # the door masks it
    broken = _bump_last_digit(value)
    compact_broken = "".join(c for c in broken.upper() if c.isalnum())
    assert not rule(compact_broken) and not recognizer().checksum(broken)


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("4111111111111111", True),  # the Visa test number of every payment provider's docs
        ("4111111111111112", False),
        ("79927398713", True),  # ISO/IEC 7812's worked example
        ("79927398710", False),
    ],
)
def test_luhn_on_published_examples(number: str, valid: bool) -> None:
    assert check_digits.luhn(number) is valid


@pytest.mark.parametrize(
    ("number", "issuer_range"),
    [
        ("4111111111111111", True),  # Visa, 16
        ("4" + "0" * 17, False),  # Visa has no 18-digit numbers
        ("2221000000000009", True),  # 2-series Mastercard, 16
        ("378282246310005", True),  # American Express, 15
        ("3530111333300000", True),  # JCB, 16
        ("353011133330", False),  # JCB numbers have 14-19 digits, not 12
        ("7000000000000000", False),  # no issuer
    ],
)
def test_card_issuer_ranges(number: str, issuer_range: bool) -> None:
    assert check_digits.card_issuer_range(number) is issuer_range
