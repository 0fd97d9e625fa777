"""A regression corpus for the recognizers the harness adds to presidio's defaults: the
formats they must find, and the look-alikes they must not report (another country's number
that passes a checksum by chance, a grouped IBAN read as a phone number). Identifiers are
built here from their published check-digit rules, not from the recognizers under test."""

from __future__ import annotations

import random

import pytest

from tef_harness.checks.privacy.fast import Detection
from tef_harness.checks.privacy.pii import PiiInData, PiiInDataParams
from tef_harness.checks.privacy.scan import get_scanner, scan_texts
from tef_harness.testing import make_context

THRESHOLD = 0.5


def found(text: str, context: list[str] | None = None) -> set[str]:
    dets, _ = scan_texts(
        get_scanner(None),
        [text],
        threshold=THRESHOLD,
        max_chars=20_000,
        ignore=frozenset(),
        workers=None,
        context=context,
    )
    return {d.entity_type for d in dets[0]}


def raw(text: str) -> tuple[Detection, ...]:
    return get_scanner(None).detect(text)


def iban(country: str, bban: str, grouped: bool = True) -> str:
    """An IBAN with correct ISO 13616 check digits (letters as 10..35, mod 97)."""
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(numeric) % 97
    value = f"{country}{check:02d}{bban}"
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4)) if grouped else value


def pesel_check(first10: str) -> str:
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
    return first10 + str((10 - sum(int(d) * w for d, w in zip(first10, weights, strict=True)) % 10) % 10)


def cnp_check(first12: str) -> str:
    s = sum(int(d) * w for d, w in zip(first12, (2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9), strict=True)) % 11
    return first12 + str(1 if s == 10 else s)


def de_tax_id_valid(n: str) -> bool:
    """The German tax id's ISO 7064 MOD 11,10 check, plus presidio's digit-count rule
    (exactly one digit of the first ten repeated two or three times)."""
    first = n[:10]
    counts = sorted((first.count(d) for d in set(first)), reverse=True)
    if n[0] == "0" or counts[0] not in (2, 3) or counts.count(counts[0]) != 1 or (counts[1:] and counts[1] > 1):
        return False
    product = 10
    for d in first:
        total = (int(d) + product) % 10 or 10
        product = (total * 2) % 11
    return (11 - product) % 10 == int(n[10])


GROUPED_IBANS = [
    iban("DE", "370400440532013000"),
    iban("CH", "00762011623852957"),
    iban("DK", "00400440116243"),
    iban("HR", "10010051863000160"),
    iban("AT", "1904300234573201"),
    iban("NL", "ABNA0417164300"),
]


@pytest.mark.parametrize("text", GROUPED_IBANS, ids=[t[:2] for t in GROUPED_IBANS])
def test_a_grouped_iban_is_one_iban_and_no_phone(text: str) -> None:
    # (presidio's IBAN pattern takes a following four-letter word as one more group: "please"
    # would break the IBAN and leave presidio's card recognizer alone on its digits)
    assert found(f"refund to {text} by friday") == {"IBAN_CODE"}


@pytest.mark.parametrize(
    "text",
    ["0034567890124", "0081508150001", "006249976", "ref 0013321234567", "AT61 1904 A002 3457 3201"],
)
def test_00_digit_runs_and_broken_ibans_are_not_phone_numbers(text: str) -> None:
    assert "PHONE_NUMBER" not in found(text)


@pytest.mark.parametrize(
    "text",
    ["0049 30 1234567", "+49 30 1234567", "0033 1 42 68 53 00", "+63 917 123 4567", "+90 532 123 45 67"],
)
def test_international_phone_numbers_are_found(text: str) -> None:
    assert "PHONE_NUMBER" in found(f"reach me at {text}")


def test_a_bare_00_run_is_a_phone_with_a_context_word() -> None:
    assert "PHONE_NUMBER" in found("phone 0034567890124")


def _numbers(rule, length: int, prefix: str, n: int, seed: int) -> list[str]:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < n:
        body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix)))
        value = rule(body)
        if value:
            out.add(value)
    return sorted(out)


# Philippine mobiles (09xx) whose digits read as a PESEL date (month 49 = September 2000s)
PH_MOBILES_PASSING_PESEL = _numbers(lambda b: pesel_check(b[:10]), 11, "094912", 5, 1)
ZA_LIKE_PASSING_CNP = _numbers(lambda b: cnp_check(b[:12]), 13, "80010150", 5, 2)
TR_LIKE_PASSING_DE_TAX = _numbers(lambda b: b if de_tax_id_valid(b) else None, 11, "9", 5, 3)


@pytest.mark.parametrize(
    ("value", "entity", "context_word"),
    [
        *[(v, "PL_PESEL", "pesel") for v in PH_MOBILES_PASSING_PESEL],
        *[(v, "RO_CNP", "cnp") for v in ZA_LIKE_PASSING_CNP],
        *[(v, "DE_TAX_ID", "idnr") for v in TR_LIKE_PASSING_DE_TAX],
        ("199003052397", "SE_PERSONNUMMER", "personnummer"),
    ],
)
def test_a_checksum_on_bare_digits_needs_a_context_word(value: str, entity: str, context_word: str) -> None:
    # the recognizer sees it (under the threshold) ...
    assert any(d.entity_type == entity and 0 < d.score < THRESHOLD for d in raw(value)), raw(value)
    # ... reports it with no context word neither in the text nor in the column name ...
    assert entity not in found(f"number {value} on file")
    # ... and does with one, in the text or as the column name
    assert entity in found(f"{context_word}: {value}")
    assert entity in found(value, context=[context_word])


def test_swedish_personal_number_glued_to_a_word_is_matched_as_presidio_does() -> None:
    assert any(d.entity_type == "SE_PERSONNUMMER" and (d.start, d.end) == (7, 19) for d in raw("code is199003052397"))


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("NIF 12345678Z", "ES_NIF"),
        ("HETU 131052-308T", "FI_PERSONAL_IDENTITY_CODE"),
        ("pnr 19900305-2397", "SE_PERSONNUMMER"),
        ("RRN 85.07.30-033.28", "BE_NATIONAL_NUMBER"),
        ("NINO: AB123456C", "UK_NINO"),
        ("cf RSSMRA85T10A562S", "IT_FISCAL_CODE"),
    ],
)
def test_formatted_identifiers_are_still_found(text: str, entity: str) -> None:
    assert entity in found(text), raw(text)


def test_a_span_inside_a_validated_card_is_not_a_second_entity() -> None:
    assert found("card 4111111111111111") == {"CREDIT_CARD"}
    assert found("card 4111 1111 1111 1111") == {"CREDIT_CARD"}


def test_the_config_narrows_the_entity_types_and_the_report_names_them() -> None:
    import pandas as pd

    frame = pd.DataFrame({"notes": ["mail jane@example.org or call +44 20 7946 0958"] * 20, "y": [0, 1] * 10})
    ctx = make_context(frame, fit=False, sensitive=())
    params = PiiInDataParams(entities=("EMAIL_ADDRESS",))
    out = PiiInData().run(ctx, params)
    types = {f.data["entity_type"] for f in out.findings if f.code == "PRIV001"}
    assert types == {"EMAIL_ADDRESS"}
    assert out.details["entities_scanned"] == ("EMAIL_ADDRESS",)
    full = PiiInData().run(ctx, PiiInDataParams())
    scanned = set(full.details["entities_scanned"])  # type: ignore[arg-type]
    assert {"UK_NINO", "UK_NHS", "PL_PESEL", "DE_TAX_ID", "NL_BSN", "PHONE_NUMBER"} <= scanned
    assert {f.data["entity_type"] for f in full.findings if f.code == "PRIV001"} == {"EMAIL_ADDRESS", "PHONE_NUMBER"}
    left_off = full.details["recognizers_left_off"]
    assert "ZaIdNumberRecognizer" in left_off  # type: ignore[operator]
    za = PiiInData().run(ctx, PiiInDataParams(regions=("ZA", "DE")))
    assert "ZA_ID_NUMBER" in za.details["entities_scanned"]  # type: ignore[operator]
    with pytest.raises(ValueError, match="ISO 3166"):
        PiiInDataParams(regions=("Germany",))


# valid mobile numbers without a trunk prefix (Italy's 3xx, Poland's 5xx, Spain's 6xx), as
# phonenumbers says, written as bare digit runs: exactly what a 9-10 digit order number looks like
BARE_MOBILES = [("3471234567", "IT"), ("512345678", "PL"), ("612345678", "ES")]


@pytest.mark.parametrize(("number", "region"), BARE_MOBILES)
def test_a_bare_mobile_number_is_valid_where_the_test_says(number: str, region: str) -> None:
    import phonenumbers

    parsed = phonenumbers.parse(number, region)
    assert phonenumbers.is_valid_number(parsed)
    assert phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE


@pytest.mark.parametrize(("number", "region"), BARE_MOBILES)
@pytest.mark.parametrize(
    "before",
    ["Auftrag", "Bestellnummer:", "Rechnung Nr.", "commande n°", "facture", "l'ordine", "pedido nº", "bestelling",
     "zamówienia", "order #", "invoice no.", "Lieferung"],
)  # fmt: skip
def test_a_bare_run_named_as_an_order_or_invoice_number_is_no_phone(before: str, number: str, region: str) -> None:
    assert "PHONE_NUMBER" not in found(f"{before} {number} vom 12.03.2024")


@pytest.mark.parametrize(("number", "region"), BARE_MOBILES)
@pytest.mark.parametrize("before", ["ricontattata al", "kontakt pod", "contacten en el", "unter", "Frau Rossi"])
def test_a_bare_mobile_number_elsewhere_is_still_a_phone(before: str, number: str, region: str) -> None:
    assert "PHONE_NUMBER" in found(f"{before} {number} per l'ordine 4711")


def test_a_grouped_number_after_an_order_word_is_still_a_phone() -> None:
    # grouping (or a trunk 0) is how people write phone numbers, not order numbers
    assert "PHONE_NUMBER" in found("ordine: 347 123 4567")
    assert "PHONE_NUMBER" in found("Auftrag 030 1234567")
