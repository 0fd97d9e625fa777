"""The one masking door: every string that comes from the data passes through here before it
can reach a report, the console, an error message or a log line.

Why a cheap detector rather than the PII check's presidio scan: the door sees every metric
name, finding, detail and error string of a run (thousands of short strings), and it must be
conservative, not precise: masking a harmless order number costs a reader a little, leaking
an e-mail address costs the data subject. So it masks, with ``mask()``:

0. (in JSON values) floats holding a whole number of seven or more digits;
1. e-mail addresses (anything ``local@domain.tld``-shaped);
2. every alphanumeric token holding six or more digits (national ids, IBANs written without
   spaces, card numbers, Spanish NIF ``12345678Z``, UK NINO ``AB123456C``), and every
   alphanumeric token mixing at least two letters and two digits over eight or more
   characters (Italian fiscal codes, passport numbers);
3. UK national insurance numbers as printed (``AB 12 34 56 C``);
4. runs of digit groups joined by spaces, dots, dashes, slashes or brackets that hold seven
   or more digits in all (phone numbers, grouped IBANs and card numbers), except a plain
   decimal number (``0.8123456789``) and an ISO date or time.

That it covers what presidio finds is tested: on Faker-generated records, every span that
presidio's recognizers for e-mail, phone, IBAN, card and national-id entity types report
is masked by ``redact``. The door is applied by the result types themselves
(``tef_harness.sdk.results``), by the report's check results, by errors and by the CLI's
log handler, so a check author cannot forget it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import JsonValue

# the local part takes every character RFC 5322 allows unquoted
_EMAIL = r"[\w.!#$%&'*+/=?^`{|}~\-]+@[\w\-]+(?:\.[\w\-]+)+"
_TOKEN = r"[A-Za-z0-9]*\d[A-Za-z0-9]*"
# digit groups joined by one or two separators; an optional leading '+' or '('
_GROUPS = r"[+(]?\d+(?:[ .\-/()]{1,3}\d+)+\)?"
# UK national insurance number as printed: two letters, three pairs of digits, a letter
_NINO = r"\b[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Za-z]\b"
_CANDIDATE = re.compile(f"(?P<email>{_EMAIL})|(?P<nino>{_NINO})|(?P<groups>{_GROUPS})|(?P<token>{_TOKEN})")
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[A-Za-z]")
_DECIMAL = re.compile(r"[+\-]?\d+\.\d+(?:[eE][+\-]?\d+)?")
_ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?|\d{2}:\d{2}(?::\d{2})?")
#: fast exit: a string without '@' and with fewer than six digits holds nothing to mask
_MAYBE = re.compile(r"@|\d(?:\D*\d){5}")

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


def _sensitive(kind: str, span: str) -> bool:
    if kind in ("email", "nino"):
        return True
    digits = len(_DIGIT.findall(span))
    if kind == "groups":
        if digits < MIN_GROUP_DIGITS:
            return _sensitive("token", span) if re.fullmatch(_TOKEN, span) else False
        if _ISO_DATE_TIME.fullmatch(span):
            return False
        # numbers side by side ("0.9512 (0.9401"), not one identifier
        pieces = [p for p in re.split(r"[ ()]+", span) if p]
        return not all(_DECIMAL.fullmatch(p) for p in pieces)
    if digits >= MIN_TOKEN_DIGITS:
        return True
    return len(span) >= 8 and digits >= 2 and len(_LETTER.findall(span)) >= 2


def sensitive_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every substring ``redact`` masks, in order, not overlapping."""
    if not _MAYBE.search(text):
        return []
    spans: list[tuple[int, int]] = []
    for m in _CANDIDATE.finditer(text):
        kind = m.lastgroup or "token"
        if kind == "groups" and not _sensitive("groups", m.group()):
            # numbers side by side may still hold one long token; a decimal's digits are not one
            for piece in re.finditer(r"[^ ()]+", m.group()):
                if _DECIMAL.fullmatch(piece.group()):
                    continue
                for t in re.finditer(_TOKEN, piece.group()):
                    if _sensitive("token", t.group()):
                        start = m.start() + piece.start() + t.start()
                        spans.append((start, start + len(t.group())))
            continue
        if _sensitive(kind, m.group()):
            spans.append(m.span())
    return spans


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


def redact_optional(text: str | None) -> str | None:
    return None if text is None else redact(text)


def redact_details(details: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
    out: dict[str, JsonValue] = redact_json(details)
    return out


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
