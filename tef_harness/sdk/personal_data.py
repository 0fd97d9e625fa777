"""Which number-bearing strings are personal data: the validators behind the masking door.

The door (``masking.redact``) finds candidate spans with one cheap regex and asks this module
whether a span is what the PII scan's recognizers would report without a context word: a
validated identifier, not just a long number. A count (``100000``), a seed, a year range
(``2019-2026``), a timestamp or a hash stays readable; a card number (issuer range and Luhn),
an IBAN (ISO 13616 mod 97), a national identifier with its check digits, or a phone number
that ``phonenumbers`` accepts for a European, British or US region is masked.

The rules are those of the privacy checks' recognizers (``checks/privacy/recognizers.py``:
phone numbers with a ``+``/``00`` prefix or a trunk ``0`` and grouping need only a possible
length, other shapes must be valid numbers; a bare run without a trunk prefix must be a valid
mobile number of a country that writes none), the check-digit rules themselves shared with them
(``check_digits``); the shapes are written here because the SDK cannot import a check and the
door must not load presidio. Checksums on bare digit runs pass about
one random number in ten, so a harmless number is masked now and then: the door errs on the
side of the data subject where a recognizer would report the number.

Sources: ISO 13616 (IBAN), the Spanish NIF/NIE letter (mod 23) and the UK NINO prefixes
here; the sources of the other check-digit rules are in ``check_digits``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from tef_harness.sdk.check_digits import (
    be_national_number,
    card_issuer_range,
    de_tax_id,
    ee_personal_code,
    fr_nir,
    gb_nhs,
    iso7064_mod11_10,
    luhn,
    nl_bsn,
    pl_pesel,
    ro_cnp,
    se_personnummer,
)

#: regions whose phone formats the door knows: the EU and EEA, the UK and the US (as the scan's default)
PHONE_REGIONS: tuple[str, ...] = tuple(sorted((
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
    "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "GB", "US",
)))  # fmt: skip

_SEPARATORS = re.compile(r"[ .\-/()]")
#: the shapes of the scan's national phone patterns: a trunk 0 then groups ("030 1234567",
#: "(0824) 219489", "01 42 68 53 00"), or groups without one ("782 194 892", "22 839 89 47")
_TRUNK_GROUPED = re.compile(
    r"(?:\(0\d{1,5}\)|0[1-9]\d{0,4})(?:[ \-./]{1,2}|(?<=\)) ?)\d{2,8}(?:[ \-./]{1,2}\d{2,8}){0,4}"
)
_NO_TRUNK_GROUPED = re.compile(r"[1-9]\d{1,2}(?:[ \-]\d{2,4}){2,3}")
_DATE_SHAPE = re.compile(r"\(?\d{1,4}\)?[./\- ]\d{1,2}[./\- ]\d{1,4}")
#: "0049 30 1234567": a 00 prefix, a country code and a separator
_INTERNATIONAL_00 = re.compile(r"00[1-9]\d{0,2}[-. ]")
_NIF_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_NIF = re.compile(r"[XYZ\d]\d{7}[A-Z]")
#: Italian fiscal code: six letters, year, month letter, day, municipality, check letter
#: (digits may be replaced by letters LMNPQRSTUV when two people share a code)
_IT_FISCAL = re.compile(r"[A-Z]{6}[\dLMNPQRSTUV]{2}[ABCDEHLMPRST][\dLMNPQRSTUV]{2}[A-Z][\dLMNPQRSTUV]{3}[A-Z]")
_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")
#: the NINO shape, the unallocated ZZ prefix of test and placeholder numbers included: data
#: sets hold those too, and the shape is specific enough that nothing harmless has it
_NINO = re.compile(r"[A-Z]{2}\d{6}[A-Z]")
_FI_HETU = re.compile(r"(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}[-+A-FU-Y]\d{3}[0-9A-Y]")
#: presidio's reported SSN pattern (one separator kind, no all-zero group)
_US_SSN = re.compile(r"(?!000)\d{3}([- .])(?!00)\d{2}\1(?!0000)\d{4}")
_DE_SOCIAL = re.compile(r"\d{2}(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}[A-Z]\d{3}")


def iban_valid(compact: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters as 10..35, mod 97 is 1."""
    if not _IBAN.fullmatch(compact):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def card_valid(d: str) -> bool:
    """12-19 digits that pass Luhn and start as card numbers do: presidio's card pattern
    (13-16 digits from 1, 3, 4, 5 or 6) or the scan's extension (19-digit Visa and Maestro,
    2-series Mastercard, 12-19 digit Maestro)."""
    n = len(d)
    if not 12 <= n <= 19 or not luhn(d):
        return False
    return (13 <= n <= 16 and d[0] in "13456" and not (d[0] == "1" and n == 13)) or card_issuer_range(d)


def _ee_code(d: str) -> bool:
    """The isikukood's shape (sex and century 1-6, a month, a day) and its check digit."""
    return d[0] in "123456" and 1 <= int(d[3:5]) <= 12 and 1 <= int(d[5:7]) <= 31 and ee_personal_code(d)


def _fr_nir(compact: str) -> bool:
    """A NIR's first character codes the sex (1, 2; 7, 8 for a temporary number)."""
    return compact[0] in "1278" and fr_nir(compact)


def national_id_valid(compact: str) -> bool:
    """A national identifier of the EU, EEA or UK with valid check digits (or, where there are
    none, a shape no ordinary number has), written without separators."""
    upper = compact.upper()
    if upper.isdigit():
        n = len(upper)
        if n == 9:
            return nl_bsn(upper)
        if n == 10:
            return gb_nhs(upper) or se_personnummer(upper)
        if n == 11:
            return any(f(upper) for f in (pl_pesel, de_tax_id, iso7064_mod11_10, _ee_code, be_national_number))
        if n == 12:
            return se_personnummer(upper)
        if n == 13:
            return upper[0] != "0" and 1 <= int(upper[3:5]) <= 12 and ro_cnp(upper)
        return n == 15 and _fr_nir(upper)
    if _NIF.fullmatch(upper):
        number = upper[:-1].replace("X", "0").replace("Y", "1").replace("Z", "2")
        return _NIF_LETTERS[int(number) % 23] == upper[-1]
    if len(upper) == 15 and upper[5:7] in ("2A", "2B"):
        return _fr_nir(upper)
    shapes = (_IT_FISCAL, _NINO, _FI_HETU, _DE_SOCIAL)
    return any(shape.fullmatch(upper) for shape in shapes)


@functools.cache
def _phone_shapes() -> tuple[tuple[str, str, frozenset[int]], ...]:
    """(region, trunk prefix, possible national lengths) for each region: parsing is the
    expensive step, so a region is tried only when the digit count fits."""
    import phonenumbers

    shapes = []
    for region in PHONE_REGIONS:
        meta: Any = phonenumbers.PhoneMetadata.metadata_for_region(region)
        if meta is None:
            continue
        lengths = frozenset(getattr(meta.general_desc, "possible_length", None) or range(4, 18))
        shapes.append((region, meta.national_prefix or "", lengths))
    return tuple(shapes)


def phone_valid(span: str, digits: str) -> bool:
    """A phone number the scan's phone recognizers would report without a context word.

    With a ``+`` or an ``00`` international prefix and a separator: a possible number for its
    country; a bare ``00`` run: a valid one. Otherwise 9 to 13 digits, not shaped as a date,
    grouped as the scan's national patterns group them; with a trunk ``0`` and grouping, a
    possible number in a known region; else a valid number in a known region; a bare run of
    9 or 10 digits without a trunk prefix only as a valid mobile number of a country that
    writes no trunk prefix (Italy's ``3…``, Spain's, Poland's)."""
    import phonenumbers

    n = len(digits)
    if not 7 <= n <= 15:
        return False
    text = span.strip()
    grouped = digits != text.lstrip("+")
    if text.startswith("+") or _INTERNATIONAL_00.match(text):
        international = "+" + text.lstrip("+")[2 if text.startswith("00") else 0 :]
        try:
            return bool(phonenumbers.is_possible_number(phonenumbers.parse(international, None)))
        except phonenumbers.NumberParseException:
            return False
    if not 9 <= n <= 13 or _DATE_SHAPE.fullmatch(text):
        return False
    if digits.startswith("00") and not grouped:
        # zero-padded: an identifier as often as a phone number, so the number after the
        # international prefix must be valid, not just of a possible length
        try:
            return bool(phonenumbers.is_valid_number(phonenumbers.parse("+" + digits[2:], None)))
        except phonenumbers.NumberParseException:
            return False
    trunk = digits.startswith("0")
    if grouped and not (_TRUNK_GROUPED if trunk else _NO_TRUNK_GROUPED).fullmatch(text):
        return False  # not grouped the way phone numbers are ("2019-2026", "100000-250000")
    if not grouped and not trunk and n > 10:
        return False
    for region, prefix, lengths in _phone_shapes():
        national = n - len(prefix) if prefix and digits.startswith(prefix) else n
        if national not in lengths:
            continue
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if not (grouped or trunk):
            if (
                not prefix
                and phonenumbers.is_valid_number(number)
                and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
            ):
                return True
            continue
        if phonenumbers.is_valid_number(number) or (trunk and grouped and phonenumbers.is_possible_number(number)):
            return True
    return False


#: the regions the scan's extension pattern reads ("(590)526-2281x237")
_EXTENSION_REGIONS = ("US", "GB", "DE", "FR", "IL", "IN", "CA", "BR", "ES", "IT", "NL", "PL")


def phone_with_extension(span: str) -> bool:
    """A number followed by an extension (``x237``, ``ext. 12``): the extension is the
    evidence, so a possible length in one of the regions the scan reads suffices, as there."""
    import phonenumbers

    text = span.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    for region in (None,) if text.startswith("+") else _EXTENSION_REGIONS:
        try:
            if phonenumbers.is_possible_number(phonenumbers.parse(text, region)):
                return True
        except phonenumbers.NumberParseException:
            continue
    return False


def is_personal(span: str) -> bool:
    """Whether a number-bearing span (digits grouped by spaces, dots, dashes, slashes or
    brackets, maybe with letters or a ``+``) is a card number, an IBAN, a national identifier
    or a phone number, as defined above."""
    compact = _SEPARATORS.sub("", span).lstrip("+")
    upper = compact.upper()
    if _US_SSN.fullmatch(span.strip()):
        return True
    if upper[:2].isalpha():
        return iban_valid(upper) or national_id_valid(upper)
    if compact.isdigit():
        return card_valid(compact) or national_id_valid(compact) or phone_valid(span, compact)
    return national_id_valid(upper)
