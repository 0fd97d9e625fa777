"""The one masking door: every string that comes from the data passes through here before it
can reach a report, the console, an error message or a log line.

Why a cheap detector rather than the PII check's presidio scan: the door sees every metric
name, finding, detail and error string of a run (thousands of short strings). One regex
finds the candidates; ``personal_data.is_personal`` keeps those a recognizer of the scan
would report without a context word, so harmless numbers (counts, seeds, year ranges,
timestamps, hashes) stay readable. ``mask()`` is applied to:

0. (in JSON values) floats holding a whole number of seven or more digits: that is how a
   numeric identifier column shows up (its minimum, say), and a float carries no shape to
   validate;
1. e-mail addresses (anything ``local@domain.tld``-shaped);
2. UK national insurance numbers (``AB 12 34 56 C``, ``AB123456C``);
3. IBANs, printed in groups or not, whose ISO 13616 check digits hold;
4. card numbers (issuer range and Luhn), national identifiers with valid check digits (or a
   shape nothing else has: Italian fiscal code, Spanish NIF letter, Finnish HETU), and phone
   numbers ``phonenumbers`` accepts for the EU, EEA, UK or US, written as one token or as
   digit groups joined by spaces, dots, dashes, slashes or brackets; inside a longer run of
   groups (``030 1234567 12``) the longest validated sub-run is masked. A plain decimal
   number (``0.8123456789``) and an ISO date or time are never candidates.

That it covers what presidio finds is tested: on Faker-generated records, every span that
presidio's recognizers for e-mail, phone, IBAN, card and national-id entity types report
is masked by ``redact``. The door is applied by the result types themselves
(``tef_harness.sdk.results``), by the report's check results, by errors and by the CLI's
log handler, so a check author cannot forget it.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, JsonValue

from tef_harness.sdk.personal_data import is_personal, phone_with_extension

# the local part takes every character RFC 5322 allows unquoted
_EMAIL = r"[\w.!#$%&'*+/=?^`{|}~\-]+@[\w\-]+(?:\.[\w\-]+)+"
_TOKEN = r"[A-Za-z0-9]*\d[A-Za-z0-9]*"
# an IBAN printed in groups of four: country, check digits, then the groups
_IBAN_GROUPED = r"\b[A-Z]{2}\d{2}(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?\b"
# digit groups joined by one or two separators; an optional leading '+' or '('
_GROUPS = r"[+(]?\d+(?:[ .\-/()]{1,3}\d+)+\)?"
# UK national insurance number as printed: two letters, three pairs of digits, a letter
_NINO = r"\b[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Za-z]\b"
# Italian fiscal code, any case; omocodia replaces its digits by the letters LMNPQRSTUV, so a
# code can hold from seven digits down to none and the digit-based candidates below miss it.
# Bounded by anything but a letter or digit (an underscore too: "cf_RSSMRA…" is a code)
_IT_FISCAL = (
    r"(?<![a-zA-Z0-9])(?i:[a-z]{6}[\dlmnpqrstuv]{2}[abcdehlmprst][\dlmnpqrstuv]{2}[a-z][\dlmnpqrstuv]{3}[a-z])"
    r"(?![a-zA-Z0-9])"
)
_CANDIDATE = re.compile(
    f"(?P<email>{_EMAIL})|(?P<nino>{_NINO})|(?P<iban>{_IBAN_GROUPED})|(?P<groups>{_GROUPS})"
    f"|(?P<fiscal>{_IT_FISCAL})|(?P<token>\\+?{_TOKEN})"
)
_DIGIT_RUN = re.compile(r"\d+")
_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension)\s*\d{1,6}\b", re.IGNORECASE)
_DECIMAL = re.compile(r"[+\-]?\d+\.\d+(?:[eE][+\-]?\d+)?")
_ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?|\d{2}:\d{2}(?::\d{2})?")
#: fast exit: a string without '@', with fewer than six digits and without the shape of an
#: Italian fiscal code holds nothing to mask
_MAYBE = re.compile(f"@|\\d(?:\\D*\\d){{5}}|{_IT_FISCAL}")

MIN_TOKEN_DIGITS = 6
MIN_GROUP_DIGITS = 7


def mask(value: str, keep: int = 2, fill: str = "*") -> str:
    """Mask a sensitive string, keeping at most ``keep`` trailing characters and the length.

    Short values keep nothing, so a masked value never reveals more than a quarter of the
    original.
    """
    n = len(value)
    shown = min(keep, n // 4)
    return fill * (n - shown) + (value[n - shown :] if shown else "")


def _validated_runs(text: str, offset: int) -> list[tuple[int, int]]:
    """Within a run of digit groups that is not personal data as a whole, the longest
    sub-runs (whole groups, left to right) that are: "030 1234567 12" holds a phone number."""
    groups = [(m.start(), m.end()) for m in _DIGIT_RUN.finditer(text)]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(groups):
        # no card, IBAN digits, identifier or phone number holds more than 19 digits
        last, digits = i, groups[i][1] - groups[i][0]
        while last + 1 < len(groups) and digits + groups[last + 1][1] - groups[last + 1][0] <= 19:
            last += 1
            digits += groups[last][1] - groups[last][0]
        for j in range(last, i - 1, -1):
            start = groups[i][0]
            if start > 0 and text[start - 1] in "+(":
                start -= 1
            piece = text[start : groups[j][1]]
            if (j > i or len(piece) >= MIN_TOKEN_DIGITS) and is_personal(piece):
                spans.append((offset + start, offset + groups[j][1]))
                i = j + 1
                break
        else:
            i += 1
    return spans


def sensitive_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every substring ``redact`` masks, in order, not overlapping."""
    if not _MAYBE.search(text):
        return []
    spans: list[tuple[int, int]] = []
    for m in _CANDIDATE.finditer(text):
        kind, span = m.lastgroup or "token", m.group()
        if kind in ("email", "nino", "fiscal"):
            spans.append(m.span())
        elif kind == "iban":
            if is_personal(span):
                spans.append(m.span())
        elif kind == "token" and not _EXTENSION.match(text, m.end()):
            if sum(c.isdigit() for c in span) >= MIN_TOKEN_DIGITS - 1 and is_personal(span):
                spans.append(m.span())
        elif _ISO_DATE_TIME.fullmatch(span):
            continue
        elif (ext := _EXTENSION.match(text, m.end())) and phone_with_extension(span):
            spans.append((m.start(), ext.end()))
        elif any(_DECIMAL.fullmatch(p) for p in re.split(r"[ ()]+", span) if p):
            # numbers side by side ("0.9512 (0.9401"): a decimal's digits are not an identifier
            for piece in re.finditer(r"[^ ()]+", span):
                if not _DECIMAL.fullmatch(piece.group()):
                    spans += _validated_runs(piece.group(), m.start() + piece.start())
        else:
            spans += _validated_runs(span, m.start())
    return sorted(set(spans))


def redact(text: str, fill: str = "*") -> str:
    """``text`` with every e-mail, phone, IBAN, card or identifier-looking span masked.

    Idempotent (a masked span holds at most two digits), and the length is kept.
    """
    spans = sensitive_spans(text)
    if not spans:
        return text
    out: list[str] = []
    last = 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(mask(text[start:end], fill=fill))
        last = end
    out.append(text[last:])
    return "".join(out)


def redact_json(value: Any) -> Any:
    """Every string in a JSON-like value (keys too) redacted; structure kept.

    Integers (counts) are kept; a float holding a whole number of seven or more digits is
    replaced by its masked digits, since that is how an identifier column read as numbers
    shows up (the minimum of a customer-number column, say).
    """
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, float) and value.is_integer() and abs(value) >= 10 ** (MIN_GROUP_DIGITS - 1):
        return mask(str(int(value)))
    if isinstance(value, Mapping):
        return {redact(str(k)) if isinstance(k, str) else k: redact_json(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return [redact_json(v) for v in value]
    return value


def data_text(value: Any) -> str:
    """A data value (a cell of the audited data) as short display text, through the door.

    A whole number of seven or more digits (an ``int``, a numpy integer or a whole float) is
    masked like :func:`redact_json`'s floats: that is how an identifier column read as numbers
    shows up in an example row, and the door's text rules only mask numbers that validate as
    personal data. Other floats get 6 significant digits; missing values (None, NaN) are ''.
    """
    if value is None:
        return ""
    if hasattr(value, "item") and not isinstance(value, str | bytes):  # numpy scalars
        value = value.item()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return ""
        if float(value).is_integer() and abs(value) >= 10 ** (MIN_GROUP_DIGITS - 1) and math.isfinite(value):
            return mask(str(int(value)))
        return f"{value:.6g}" if isinstance(value, float) else str(value)
    return redact(str(value))


def redact_optional(text: str | None) -> str | None:
    return None if text is None else redact(text)


def redact_details(details: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
    out: dict[str, JsonValue] = redact_json(details)
    return out


def redact_str(text: str) -> str:
    return redact(text)


#: a string from the data that a report keeps (a column name, a class label): masked on
#: construction, as metric names and findings are, so "jane.doe@example.org" as a column
#: name never reaches the report, its renderings or a tracking server
MaskedStr = Annotated[str, AfterValidator(redact_str)]
#: a JSON object that may quote the data (the run's config names columns): masked throughout
MaskedJson = Annotated[dict[str, JsonValue], AfterValidator(redact_details)]


class RedactingFilter(logging.Filter):
    """A log filter that formats the record and masks the result: library warnings (pandas,
    scikit-learn) quote data values, and they reach stderr through the logging module."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is the logger's problem, not ours
            return True
        record.msg, record.args = redact(message), None
        return True


def install_log_redaction(handler: logging.Handler) -> None:
    """Mask every record ``handler`` emits, including ``warnings.warn`` messages, which are
    routed through logging so that they pass the same door."""
    logging.captureWarnings(True)
    if not any(isinstance(f, RedactingFilter) for f in handler.filters):
        handler.addFilter(RedactingFilter())
