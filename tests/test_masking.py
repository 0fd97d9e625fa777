"""The masking door: what it masks (everything presidio's recognizers find for the planted
entity types, on Faker data), what it leaves alone (numbers, dates, codes), and that every
result type applies it on construction."""

from __future__ import annotations

import logging

import pytest
from faker import Faker
from hypothesis import given
from hypothesis import strategies as st

from tef_harness.api import ConfigError
from tef_harness.sdk.masking import RedactingFilter, mask, redact, redact_json, sensitive_spans
from tef_harness.sdk.results import CheckOutput, CheckResult, Finding, Metric, Severity, Status, metric_name

LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "it_IT", "es_ES", "nl_NL", "pl_PL")
#: the entity types the door must cover: contact details, payment data, national identifiers
COVERED = {
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "IBAN_CODE",
    "CREDIT_CARD",
    "US_SSN",
    "UK_NHS",
    "UK_NINO",
    "ES_NIF",
    "ES_NIE",
    "IT_FISCAL_CODE",
    "PL_PESEL",
    "NL_BSN",
    "FR_NIR",
    "DE_TAX_ID",
    "SE_PERSONNUMMER",
    "FI_PERSONAL_IDENTITY_CODE",
    "RO_CNP",
    "EE_PERSONAL_CODE",
    "HR_OIB",
    "BE_NATIONAL_NUMBER",
}


def _faker_texts(n: int) -> list[str]:
    out = []
    for k, loc in enumerate(LOCALES):
        fake = Faker(loc)
        fake.seed_instance(k)
        for i in range(n):
            nid = fake.nif() if loc == "es_ES" else fake.pesel() if loc == "pl_PL" else fake.ssn()
            out.append(
                [
                    f"call {fake.phone_number()} today",
                    f"mail {fake.email()}",
                    f"pay to {fake.iban()} please",
                    f"card {fake.credit_card_number()}",
                    f"id {nid} on file",
                ][i % 5]
            )
    return out


def test_redact_masks_every_span_presidio_finds() -> None:
    from tef_harness.checks.privacy.scan import get_scanner

    scanner = get_scanner(None)
    texts = _faker_texts(60)
    checked = 0
    for text, dets in zip(texts, scanner.scan(texts), strict=True):
        masked = redact(text)
        for d in dets:
            if d.entity_type not in COVERED or d.score < 0.5:
                continue
            checked += 1
            assert text[d.start : d.end] not in masked, (d.entity_type, text, masked)
    assert checked > 300


@pytest.mark.parametrize(
    "text",
    [
        "accuracy 0.8123456789 (0.7912 to 0.8312)",
        "2026-11-29T18:25:24",
        "flip_rate/category_swap/3",
        "EU-AI-Act:Art15(4)",
        "12 of 3000 rows (0.40%)",
        "PRIV001 in eval:notes",
        "ISO/IEC-24029-1",
        "severities 1 2 3 4 5",
    ],
)
def test_ordinary_report_text_is_left_alone(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("write to jane.doe@example.org", "jane.doe@example.org"),
        ("phone 01 42 68 53 00", "01 42 68 53 00"),
        ("call 030 1234567", "030 1234567"),
        ("IBAN DE89 3704 0044 0532 0130 00", "3704 0044 0532 0130"),
        ("GB82WEST12345698765432", "GB82WEST12345698765432"),
        ("NIF 12345678Z", "12345678Z"),
        ("NINO ZZ 02 48 94 T", "ZZ 02 48 94 T"),
        ("cf RSSMRA85T10A562S", "RSSMRA85T10A562S"),
    ],
)
def test_planted_values_are_masked(text: str, secret: str) -> None:
    assert secret not in redact(text)


@given(st.text(max_size=80))
def test_redact_is_idempotent_and_keeps_length(text: str) -> None:
    once = redact(text)
    assert len(once) == len(text)
    assert redact(once) == once


@given(st.emails())
def test_no_email_survives(email: str) -> None:
    assert email not in redact(f"contact: {email}.")


def test_mask_never_shows_more_than_a_quarter() -> None:
    for n in range(0, 40):
        value = "x" * n
        assert len(mask(value).replace("*", "")) <= n // 4


def test_whole_number_floats_with_many_digits_are_masked_in_json() -> None:
    out = redact_json({"min": 1053434701.0, "n": 1053434701, "spread": 0.5, "levels": ["a@b.org", "F"]})
    assert out["min"] != 1053434701.0 and "1053434701" not in str(out["min"])
    assert out["n"] == 1053434701  # counts are integers and stay
    assert out["spread"] == 0.5
    assert out["levels"][1] == "F" and "a@b.org" not in out["levels"][0]


def test_result_types_apply_the_door() -> None:
    email = "jane.doe@example.org"
    m = Metric(name=metric_name("rate", email), value=0.1, description=f"rows of {email}")
    assert email not in m.model_dump_json()
    m2 = Metric(name="rate/notes/0033142685300", value=0.1)
    assert "0033142685300" not in m2.name
    f = Finding(
        code="ROB001",
        severity=Severity.INFO,
        message=f"value {email}",
        location=email,
        evidence=email,
        data={email: [email, {"k": email}]},
    )
    assert email not in f.model_dump_json()
    out = CheckOutput(metrics=(m,), findings=(f,), details={"levels": [email]}, status="not_applicable", reason=email)
    assert email not in out.model_dump_json()
    r = CheckResult(
        check_id="a.b",
        family="a",
        title="t",
        check_version="1",
        distribution="d",
        distribution_version="1",
        status=Status.ERROR,
        reason=f"ValueError: could not convert {email}",
        details={"x": email},
    )
    assert email not in r.model_dump_json()


def test_errors_and_log_records_are_masked() -> None:
    err = ConfigError("bad value jane.doe@example.org in column", file="data.csv", field="data.path")
    assert "jane.doe@example.org" not in str(err)
    assert err.one_line().startswith("data.csv: data.path: bad value")
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "unknown category %s", ("+44 20 7946 0958",), None)
    RedactingFilter().filter(record)
    assert "7946 0958" not in record.getMessage()


@pytest.mark.parametrize(
    "text",
    [
        "100000 rows",  # a count
        "sampled 1000000 of 2500000 rows",
        "seed 1234567",
        "years 2019-2026",  # a year range
        "range 100000-250000",
        "run 20261129",  # a compact date
        "population 83200000",  # a valid Estonian mobile number if read as one: 8 digits is no national phone shape
        "n=123456789",  # fails the BSN eleven-test, no mobile number
        "commit 3f2a9c1b7d4e5f60",  # a hash
        "duration 12345.678 s",
        "p=0.000012345",
        "ids 12345678 87654321",
        "flip_rate/category_swap/123456",
    ],
)
def test_harmless_numbers_stay_readable(text: str) -> None:
    assert redact(text) == text


def _luhn_complete(body: str) -> str:
    for d in "0123456789":
        digits = [int(c) for c in reversed(body + d)]
        if sum(x if i % 2 == 0 else (x * 2 - 9 if x > 4 else x * 2) for i, x in enumerate(digits)) % 10 == 0:
            return body + d
    raise AssertionError


def _bsn_complete(body: str) -> str:
    return body + str(sum(int(x) * w for x, w in zip(body, range(9, 1, -1), strict=True)) % 11)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("card " + _luhn_complete("411111111111111"), _luhn_complete("411111111111111")),
        ("BSN " + _bsn_complete("12345672"), _bsn_complete("12345672")),  # check digit 10 never occurs here
        ("PESEL 44051401359", "44051401359"),  # the published PESEL example
        ("mobile 3471234567", "3471234567"),  # a valid Italian mobile number, no trunk prefix
        ("call (0824) 219489", "(0824) 219489"),
        ("call +44 20 7946 0958", "+44 20 7946 0958"),
        ("call 0033142685300", "0033142685300"),  # valid after the 00 prefix
        ("ssn 078-05-1120", "078-05-1120"),
        ("call (590)526-2281x237", "526-2281"),  # an extension is the evidence
        ("call 030 1234567 12 times", "030 1234567"),  # the phone number inside a longer run
    ],
)
def test_validated_personal_numbers_are_masked(text: str, secret: str) -> None:
    assert secret not in redact(text)


def test_a_number_that_fails_its_check_digits_is_kept() -> None:
    # the same shapes with a wrong check digit are no card, IBAN or PESEL
    good_card = _luhn_complete("411111111111111")
    bad_card = good_card[:-1] + str((int(good_card[-1]) + 1) % 10)
    assert redact(f"ref {bad_card}") == f"ref {bad_card}"
    assert redact("iban DE88370400440532013000") == "iban DE88370400440532013000"
    assert "DE89370400440532013000" not in redact("iban DE89370400440532013000")
    assert redact("ref 44051401358") == "ref 44051401358"


def test_a_column_named_after_a_person_is_masked_in_errors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tef_harness.intake.tables import load_dataset
    from tef_harness.sdk.errors import IntakeError

    email, phone = "jane.doe@example.org", "+33 1 42 68 53 00"
    path = tmp_path / "eval.csv"
    path.write_text(f'"{email}","{phone}",y\n1,2,0\n3,4,1\n', encoding="utf-8")
    for target, sensitive in ((email + "x", ()), ("y", (phone + "0",)), ("missing", ())):
        with pytest.raises(IntakeError) as caught:
            load_dataset(path, role="eval", field="data.path", target=target, sensitive=sensitive)
        line = caught.value.one_line()
        assert "columns:" in line  # the error does list the columns ...
        assert email not in line and "42 68 53" not in line  # ... masked


def test_report_records_mask_column_names_and_config() -> None:
    from tef_harness.reports.schema import FileRecord, ModelRecord

    email = "jane.doe@example.org"
    rec = FileRecord(role="eval", path="eval.csv", sha256="0" * 64, rows=2, columns=(email, "income"))
    assert rec.columns is not None and email not in rec.columns[0] and rec.columns[1] == "income"
    model = ModelRecord(
        adapter="sklearn", path="m", sha256="0", description="", trusted=True, task="binary",
        classes=(email, "no"), features=(email, "age"), metadata={"trained_by": email},
    )  # fmt: skip
    assert email not in model.model_dump_json()
    assert model.features[1] == "age" and model.classes is not None and model.classes[1] == "no"


def test_data_text_masks_long_whole_numbers_an_identifier_column_holds() -> None:
    """Example-row cells: a 10-digit customer number (int, numpy int or whole float) is masked
    although it validates as no phone or id; shorter numbers, decimals and flags stay readable."""
    import numpy as np

    from tef_harness.sdk.masking import data_text

    for value in (4241642981, np.int64(4241642981), 4241642981.0, -1234567, 1_000_000):
        text = data_text(value)
        assert text != str(int(value)) and "*" in text and len(text) == len(str(int(value))), value
    assert data_text(999_999) == "999999"
    assert data_text(np.int32(42)) == "42"
    assert data_text(1234567.5) == "1.23457e+06"
    assert data_text(0.123456789) == "0.123457"
    assert data_text(float("nan")) == "" and data_text(None) == ""
    assert data_text(True) == "True"
    assert data_text("mail me: jane.doe@example.com") != "mail me: jane.doe@example.com"


def test_redact_json_boundary_at_seven_digits_and_keys_kept_in_type() -> None:
    """A whole float of exactly 10**6 (seven digits) is the first one masked; the mask is of
    the number's own digits (mask keeps the last quarter, at most 2); non-string keys stay."""
    from tef_harness.sdk.masking import mask, redact_json

    assert redact_json(1_000_000.0) == mask("1000000") == "******0"
    assert redact_json(999_999.0) == 999_999.0
    assert redact_json(1_200_000.0) == mask("1200000")
    assert redact_json(-4_241_642_981.0) == mask("-4241642981")
    assert redact_json(1_000_000.5) == 1_000_000.5  # not a whole number: a measurement
    assert redact_json(1_000_000) == 1_000_000  # an int is a count
    out = redact_json({5: "x", "k": [1.0, "jane.doe@example.com"]})
    assert list(out) == [5, "k"] and out[5] == "x"
    assert out["k"][0] == 1.0 and "jane.doe" not in out["k"][1]


def test_redact_masks_only_the_span_and_keeps_the_text_around_it() -> None:
    from tef_harness.sdk.masking import mask, redact

    text = "write to jane.doe@example.com today"
    assert redact(text) == "write to " + mask("jane.doe@example.com") + " today"
    assert redact("no personal data, 42 rows") == "no personal data, 42 rows"


def test_log_redaction_masks_records_and_warnings_and_installs_once() -> None:
    """A handler with the door emits every record (the filter masks, never drops), masks the
    message after %-formatting, and routes warnings.warn through logging."""
    import logging
    import warnings

    from tef_harness.sdk.masking import RedactingFilter, install_log_redaction

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    install_log_redaction(handler)
    install_log_redaction(handler)
    assert sum(isinstance(f, RedactingFilter) for f in handler.filters) == 1
    log = logging.getLogger("tef.test.redaction")
    log.addHandler(handler)
    log.propagate = False
    wlog = logging.getLogger("py.warnings")
    wlog.addHandler(handler)
    try:
        log.warning("value %s in row %d", "jane.doe@example.com", 3)
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.warn("bad cell jane.doe@example.com", UserWarning, stacklevel=1)
    finally:
        log.removeHandler(handler)
        wlog.removeHandler(handler)
        logging.captureWarnings(False)
    messages = [r.getMessage() for r in records]
    assert len(messages) == 2, messages
    assert messages[0].startswith("value ") and messages[0].endswith(" in row 3")
    assert all("jane.doe@example.com" not in m for m in messages)
    assert "bad cell" in messages[1]


# --- issue 16, third pass: the digit-group walk of ``_validated_runs`` at its edges. Each
# expected text is written out by hand: the masked span keeps its length and its last
# min(2, len // 4) characters; the card numbers are checked by presidio's own recognizer and
# the Luhn sums by this file's stdlib recomputation, not by the code under test -------------


def _presidio_card(number: str) -> bool:
    from presidio_analyzer.predefined_recognizers import CreditCardRecognizer

    return bool(CreditCardRecognizer().validate_result(number))


def test_a_nineteen_digit_card_in_groups_is_masked_whole() -> None:
    """19 digits is the longest sub-run tried: a 19-digit Visa printed 4-4-4-4-3 is masked as
    one span, not as its first 16 digits (which are a Luhn-valid card of their own)."""
    visa19 = _luhn_complete("411111111111111111")
    assert len(visa19) == 19 and _presidio_card(visa19) and _presidio_card(visa19[:16])
    grouped = " ".join((visa19[0:4], visa19[4:8], visa19[8:12], visa19[12:16], visa19[16:]))
    assert len(grouped) == 23
    assert redact(f"card {grouped}") == "card " + "*" * 21 + visa19[-2:]


def test_a_card_after_a_short_group_is_masked_alone() -> None:
    """'12-4111…': the run as a whole (18 digits) is no card; the walk moves to the next group
    and masks the 16-digit card alone, the '12-' before it kept, at its place in the text."""
    card = "4111111111111111"
    assert _presidio_card(card) and not _presidio_card("12" + card)
    assert redact(f"ref 12-{card}") == "ref 12-" + "*" * 14 + "11"
    assert redact(f"ref 12-{card} ok") == "ref 12-" + "*" * 14 + "11 ok"


def test_a_card_before_a_short_group_is_masked_alone() -> None:
    """'4111… 12': the 18-digit run fails, the sub-run one group shorter is the card."""
    assert redact("card 4111111111111111 12") == "card " + "*" * 14 + "11 12"


def test_two_cards_side_by_side_are_both_masked() -> None:
    """After a validated sub-run the walk resumes at the very next group."""
    first, second = "4111111111111111", "5500000000000004"
    assert _presidio_card(first) and _presidio_card(second)
    assert redact(f"cards {first} {second}") == "cards " + "*" * 14 + "11 " + "*" * 14 + "04"


def test_a_leading_plus_or_bracket_is_part_of_the_masked_number() -> None:
    """'+44 …' and '(0824) …': the sign or bracket before the first group is masked with the
    number (44 20 7946 0958 is a phone number without its '+' too, so only the exact text tells)."""
    assert redact("call +44 20 7946 0958") == "call " + "*" * 14 + "58"
    assert redact("call (0824) 219489") == "call " + "*" * 11 + "89"
    assert redact("IBAN DE89 3704 0044 0532 0130 00") == "IBAN " + "*" * 25 + "00"


def test_data_text_redacts_strings_in_place() -> None:
    from tef_harness.sdk.masking import data_text

    assert data_text("mail me: jane.doe@example.com") == "mail me: " + "*" * 18 + "om"
    assert data_text("plain text") == "plain text"
    assert data_text(-999_999) == "-999999" and data_text(123) == "123"


def test_log_filter_keeps_a_record_it_cannot_format() -> None:
    """A malformed record (its arguments do not fit its format) is emitted as it is: the
    filter does not drop it, and leaves it to the logger's own error handling."""
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "rows %d", ("many",), None)
    with pytest.raises(TypeError):
        record.getMessage()
    assert RedactingFilter().filter(record) is True
    assert record.msg == "rows %d" and record.args == ("many",)


@pytest.mark.parametrize(
    ("code", "digits"),
    [("RSSMRA85T10A562S", 7), ("RSSMRA85T10A56NH", 6), ("RSSMRA85T10A5SNT", 5)],
)
def test_an_italian_fiscal_code_with_letters_for_digits_is_masked(code: str, digits: int) -> None:
    """Omocodia: when two people share a fiscal code, its last digits are replaced by letters
    (0-9 -> LMNPQRSTUV); codes with one or two letters for digits are masked (the check letters
    are the ones presidio's own recognizer validates)."""
    from presidio_analyzer.predefined_recognizers import ItFiscalCodeRecognizer

    assert ItFiscalCodeRecognizer().validate_result(code)
    assert sum(c.isdigit() for c in code) == digits
    assert redact(f"cf {code}, 1 row") == "cf " + "*" * 14 + code[-2:] + ", 1 row"


def test_a_number_with_an_extension_is_masked_with_it() -> None:
    """'2025550123 ext. 12': as a bare token the ten digits are no valid mobile number, but
    followed by an extension they are read as a phone number (a possible US one), and the
    extension is masked with the number."""
    assert redact("call 2025550123 ext. 12") == "call " + "*" * 16 + "12"
    assert redact("ext. 12 then 2025550123") == "ext. 12 then 2025550123"


def test_a_date_before_a_number_does_not_stop_the_scan() -> None:
    assert redact("on 2026-11-29 card 4111111111111111") == "on 2026-11-29 card " + "*" * 14 + "11"


def test_a_card_beside_a_decimal_is_masked_at_its_place() -> None:
    """'0.9512 (4111…)' is one run of digit groups; the decimal is kept, the card beside it
    masked where it stands, and spans found earlier in the text are kept too."""
    text = "mail jane.doe@example.com auc 0.9512 (4111111111111111)"
    assert redact(text) == "mail " + "*" * 18 + "om auc 0.9512 (" + "*" * 14 + "11)"


def _omocodic(code: str, letters: int) -> str:
    """``code`` with its last ``letters`` digits replaced as the Agenzia delle Entrate does
    (0-9 -> LMNPQRSTUV, from the right), and the check letter presidio's recognizer accepts."""
    from presidio_analyzer.predefined_recognizers import ItFiscalCodeRecognizer

    body = list(code[:15])
    digit_positions = [i for i, c in enumerate(body) if c.isdigit()]
    for i in digit_positions[len(digit_positions) - letters :]:
        body[i] = "LMNPQRSTUV"[int(body[i])]
    recognizer = ItFiscalCodeRecognizer()
    valid = [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if recognizer.validate_result("".join(body) + c)]
    assert len(valid) == 1
    return "".join(body) + valid[0]


@pytest.mark.parametrize("letters", [0, 2, 3, 4, 7])
def test_a_lone_fiscal_code_is_masked_whatever_its_digits(letters: int) -> None:
    """A fiscal code alone in a string, with seven digits down to none (every digit a letter):
    masked, upper or lower case, though the string holds fewer than six digits."""
    code = _omocodic("RSSMRA85T10A562S", letters)
    assert sum(c.isdigit() for c in code) == 7 - letters
    assert redact(f"cf {code}") == "cf " + "*" * 14 + code[-2:]
    assert redact(code.lower()) == "*" * 14 + code[-2:].lower()
    assert sensitive_spans(f"cf {code}.") == [(3, 19)]


def test_sixteen_letter_words_are_not_fiscal_codes() -> None:
    """The fiscal-code shape needs digits or LMNPQRSTUV at fixed places and a month letter:
    ordinary sixteen-letter words, upper or lower case, and a code inside a longer word stay."""
    text = "RESPONSIBILITIES internationally characterisation xRSSMRA85T10A562S"
    assert redact(text) == text and sensitive_spans(text) == []


def test_an_identifier_glued_to_a_word_by_an_underscore_is_masked() -> None:
    """An underscore is a word character, so no word boundary precedes these: a NINO with six
    digits (read as a token), fiscal codes with five and with no digits (their own shape)."""
    assert redact("id_AB123456C") == "id_" + "*" * 7 + "6C"
    assert redact("cf_RSSMRA85T10A5SNT") == "cf_" + "*" * 14 + "NT"
    code = _omocodic("RSSMRA85T10A562S", 7)
    assert redact(f"cf_{code}_x") == "cf_" + "*" * 14 + code[-2:] + "_x"
