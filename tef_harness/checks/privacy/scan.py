"""Scanning tables and documents for PII and summarising what was found, masked.

Everything that leaves this module is a count, a rate, an entity type, a location or a
``mask()``ed example: the raw values stay inside the functions that read them.
"""

from __future__ import annotations

import functools
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tef_harness.api import Dimensions, Finding, Metric, RunContext, Severity, mask, wilson_ci

if TYPE_CHECKING:  # presidio costs ~1 s to import: only a scan pays it, not `tef list-checks`
    from tef_harness.checks.privacy.analyzer import Coverage
    from tef_harness.checks.privacy.fast import Detection, FastScanner

#: Severity of a finding by entity type: direct identifiers and payment data are critical,
#: contact data high, weak or quasi-identifiers lower. Unknown types default to high.
ENTITY_SEVERITY: dict[str, Severity] = {
    "CREDIT_CARD": Severity.CRITICAL,
    "IBAN_CODE": Severity.CRITICAL,
    "US_SSN": Severity.CRITICAL,
    "US_BANK_NUMBER": Severity.HIGH,
    "US_ITIN": Severity.CRITICAL,
    "US_PASSPORT": Severity.HIGH,
    "US_DRIVER_LICENSE": Severity.HIGH,
    "UK_NHS": Severity.CRITICAL,
    "MEDICAL_LICENSE": Severity.HIGH,
    "CRYPTO": Severity.HIGH,
    "EMAIL_ADDRESS": Severity.HIGH,
    "PHONE_NUMBER": Severity.HIGH,
    "PERSON": Severity.HIGH,
    "LOCATION": Severity.MEDIUM,
    "NRP": Severity.MEDIUM,
    "ORGANIZATION": Severity.LOW,
    "IP_ADDRESS": Severity.MEDIUM,
    "MAC_ADDRESS": Severity.MEDIUM,
    "DATE_TIME": Severity.LOW,
    "URL": Severity.LOW,
    "UUID": Severity.LOW,
}
_NATIONAL_IDS = [
    "ES_NIF",
    "ES_NIE",
    "IT_FISCAL_CODE",
    "PL_PESEL",
    "FI_PERSONAL_IDENTITY_CODE",
    "SE_PERSONNUMMER",
    "DE_TAX_ID",
    "NL_BSN",
    "BE_NATIONAL_NUMBER",
    "FR_NIR",
    "RO_CNP",
    "EE_PERSONAL_CODE",
    "HR_OIB",
]
ENTITY_SEVERITY.update(dict.fromkeys(_NATIONAL_IDS, Severity.CRITICAL))
#: identity documents and social-security, health-insurance and tax numbers of other kinds
ENTITY_SEVERITY.update(
    dict.fromkeys(
        ["UK_NINO", "DE_ID_CARD", "DE_PASSPORT", "DE_SOCIAL_SECURITY", "DE_HEALTH_INSURANCE", "IT_IDENTITY_CARD"],
        Severity.CRITICAL,
    )
)
#: identifiers of companies, vehicles, practices and places: not personal data by themselves
ENTITY_SEVERITY.update(
    dict.fromkeys(
        [
            "DE_VAT_ID",
            "DE_HANDELSREGISTER",
            "IT_VAT_CODE",
            "SE_ORGANISATIONSNUMMER",
            "DE_BSNR",
            "DE_KFZ",
            "UK_VEHICLE_REGISTRATION",
            "UK_POSTCODE",
            "DE_PLZ",
        ],
        Severity.LOW,
    )
)

_LOCK = threading.Lock()


@functools.lru_cache(maxsize=4)
def _scanner(spacy_model: str | None, regions: tuple[str, ...] | None) -> FastScanner:
    from tef_harness.checks.privacy.analyzer import build_analyzer
    from tef_harness.checks.privacy.fast import FastScanner

    if regions is None:
        return FastScanner(build_analyzer(spacy_model))
    return FastScanner(build_analyzer(spacy_model, regions=regions))


def get_scanner(spacy_model: str | None, regions: tuple[str, ...] | None = None) -> FastScanner:
    """One scanner per NLP configuration and region set per process (building one takes
    about a second); ``regions`` None is the default set (EU, EEA, UK, US)."""
    from tef_harness.checks.privacy.regions import DEFAULT_REGIONS

    key = tuple(sorted(set(regions))) if regions is not None else None
    if key == tuple(sorted(DEFAULT_REGIONS)):
        key = None
    with _LOCK:
        return _scanner(spacy_model, key)


def scanner_coverage(scanner: FastScanner) -> Coverage:
    from tef_harness.checks.privacy.analyzer import coverage

    return coverage(scanner.analyzer)


def to_text(value: object) -> str | None:
    """A cell as scannable text: None for missing values; bytes decoded leniently; lone
    surrogates (from mixed encodings) replaced, so the tokenizer never sees invalid text."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    text = bytes(value).decode("utf-8", errors="replace") if isinstance(value, bytes | bytearray) else str(value)
    if not text.strip():
        return None
    return text.encode("utf-8", errors="replace").decode("utf-8") if not text.isascii() else text


def context_words(column: str) -> list[str]:
    """A column name's words, given to presidio as context (a ``phone`` column lifts the
    score of the phone numbers in it, as the word "phone" before a number would)."""
    import re

    words = re.split(r"[^0-9a-zA-Z]+|(?<=[a-z])(?=[A-Z])", column)
    return [w.lower() for w in words if w]


def text_columns(frame: pd.DataFrame, only: Sequence[str] | None = None) -> list[str]:
    """Columns holding strings (object, string or category dtype)."""
    cols = [c for c in frame.columns if only is None or c in only]
    return [
        c
        for c in cols
        if pd.api.types.is_object_dtype(frame[c])
        or pd.api.types.is_string_dtype(frame[c])
        or isinstance(frame[c].dtype, pd.CategoricalDtype)
    ]


@dataclass
class Tally:
    """Counts for one (source, location, entity type) cell of the summary."""

    units: int = 0  # rows (or lines) with at least one detection
    hits: int = 0
    max_score: float = 0.0
    examples: list[str] = field(default_factory=list)


@dataclass
class ScanSummary:
    """What a scan found in one source (a data set, a document)."""

    source: str
    scanned: dict[str, int] = field(default_factory=dict)  # location -> units scanned
    tallies: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    units_total: int = 0  # rows (or lines) in the source
    units_with_any: set[int] = field(default_factory=set)
    windowed: int = 0

    def add(self, location: str, unit: int, text: str, detections: Iterable[Detection], *, max_examples: int) -> None:
        seen: set[str] = set()
        dets = list(detections)
        if dets:
            self.units_with_any.add(unit)
        for d in dets:
            tally = self.tallies[(location, d.entity_type)]
            tally.hits += 1
            tally.max_score = max(tally.max_score, d.score)
            if d.entity_type not in seen:
                tally.units += 1
                seen.add(d.entity_type)
            if len(tally.examples) < max_examples:
                example = mask(text[d.start : d.end])
                if example not in tally.examples:
                    tally.examples.append(example)


def scan_texts(
    scanner: FastScanner,
    texts: Sequence[str],
    *,
    threshold: float,
    max_chars: int,
    ignore: frozenset[str],
    workers: RunContext | None,
    context: list[str] | None = None,
    only: frozenset[str] | None = None,
) -> tuple[list[tuple[Detection, ...]], int]:
    """Detections per text at or above ``threshold``; texts longer than ``max_chars`` are
    scanned in overlapping windows (so a huge cell is still scanned, in bounded pieces).
    ``only`` (when given) keeps just those entity types. Large scans are split over the run's
    workers (``workers.map``; None = in this thread). Returns the detections and how many
    texts were windowed."""
    overlap = 100
    pieces: list[str] = []
    owner: list[tuple[int, int]] = []  # (text index, offset)
    windowed = 0
    for i, t in enumerate(texts):
        if len(t) <= max_chars:
            pieces.append(t)
            owner.append((i, 0))
            continue
        windowed += 1
        step = max_chars - overlap
        for off in range(0, len(t), step):
            pieces.append(t[off : off + max_chars])
            owner.append((i, off))
            if off + max_chars >= len(t):
                break
    found = scanner.scan(
        pieces, mapper=workers.map if workers is not None else None, context=context, min_score=threshold
    )
    from tef_harness.checks.privacy.fast import Detection

    per_text: list[set[Detection]] = [set() for _ in texts]
    for (i, off), dets in zip(owner, found, strict=True):
        for d in dets:
            if d.score >= threshold and d.entity_type not in ignore and (only is None or d.entity_type in only):
                per_text[i].add(Detection(d.entity_type, d.start + off, d.end + off, d.score))
    return [resolve_overlaps(s) for s in per_text], windowed


#: entity types whose 1.0 score comes from a checksum or a structural validation
VALIDATED_ENTITIES: frozenset[str] = frozenset({"IBAN_CODE", "CREDIT_CARD", "UK_NHS", "UK_NINO", *_NATIONAL_IDS})


def resolve_overlaps(dets: set[Detection]) -> tuple[Detection, ...]:
    """One entity per span, validated entities first.

    - a detection overlapping a checksum-validated one of another type is not a second
      entity (unless it is a longer span around it): the phone number read inside a grouped
      IBAN, a Swedish personal number inside a card number;
    - presidio reports the domain of every e-mail address again as a URL: one is enough.
    """
    # every reported detection of these types passed its checksum: at 1.0, or lifted by context
    anchors = [d for d in dets if d.entity_type in VALIDATED_ENTITIES]
    emails = [d for d in dets if d.entity_type == "EMAIL_ADDRESS"]

    def shadowed(d: Detection) -> bool:
        for a in anchors:
            if a is d or a.entity_type == d.entity_type or a.end <= d.start or d.end <= a.start:
                continue
            if d.start <= a.start and a.end <= d.end and (d.end - d.start) > (a.end - a.start):
                continue  # the identifier is inside this longer span ("+39 0586140956"), not around it
            # of two overlapping validated entities, the longer span wins (ties: both stay)
            if d in anchors and (d.end - d.start) >= (a.end - a.start):
                continue
            return True
        return d.entity_type == "URL" and any(e.start <= d.start and d.end <= e.end for e in emails)

    return tuple(sorted(d for d in dets if not shadowed(d)))


def summary_outputs(
    summaries: Sequence[ScanSummary],
    *,
    code: str,
    unit: str,
    severity_of: dict[str, Severity],
    level: float = 0.95,
) -> tuple[list[Metric], list[Finding]]:
    """One rate metric (Wilson interval) and one finding per (source, location, entity)."""
    metrics: list[Metric] = []
    findings: list[Finding] = []
    for s in summaries:
        for (location, entity), tally in sorted(s.tallies.items()):
            n = s.scanned.get(location, 0)
            if n == 0:
                continue
            rate = tally.units / n
            metrics.append(
                Metric(
                    dims=Dimensions(criterion="pii_rate", data_role=s.source, feature=location, entity_type=entity),
                    unit="rate",
                    value=rate,
                    ci=wilson_ci(tally.units, n, level),
                    n=n,
                    greater_is_better=False,
                )
            )
            sev = severity_of.get(entity, Severity.HIGH)
            findings.append(
                Finding(
                    code=code,
                    severity=sev,
                    message=(
                        f"{entity} found in {s.source} {location}: {tally.units} of {n} {unit}s "
                        f"({rate:.2%}), {tally.hits} occurrence(s)"
                    ),
                    location=f"{s.source}:{location}",
                    evidence="; ".join(tally.examples) or None,
                    data={
                        "source": s.source,
                        "location": location,
                        "entity_type": entity,
                        f"{unit}s_with_entity": tally.units,
                        f"{unit}s_scanned": n,
                        "occurrences": tally.hits,
                        "rate": rate,
                        "max_score": tally.max_score,
                    },
                )
            )
        n_all = s.units_total
        if n_all:
            k = len(s.units_with_any)
            metrics.append(
                Metric(
                    dims=Dimensions(criterion="pii_rate", data_role=s.source, item="any"),
                    unit="rate",
                    value=k / n_all,
                    ci=wilson_ci(k, n_all, level),
                    n=n_all,
                    greater_is_better=False,
                    description=f"share of scanned {unit}s with at least one detection",
                )
            )
    return metrics, findings
