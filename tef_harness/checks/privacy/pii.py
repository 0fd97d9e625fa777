"""privacy.pii_in_data and privacy.pii_in_documentation: presidio scans, offline.

The scan is presidio's recognizers (plus the project's EU identifiers and the fixes for
presidio's measured misses) run through the fast path in ``fast.py``. Findings carry
counts, rates, locations and masked examples only.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, field_validator

from tef_harness.api import Check, CheckOutput, Finding, Params, RunContext, Severity
from tef_harness.checks.privacy.regions import DEFAULT_REGIONS
from tef_harness.checks.privacy.scan import (
    ENTITY_SEVERITY,
    ScanSummary,
    context_words,
    get_scanner,
    scan_texts,
    scanner_coverage,
    summary_outputs,
    text_columns,
    to_text,
)

_DOC_ROLES = ("card", "technical_documentation", "datasheet")


class PiiScanParams(Params):
    #: presidio score at or above which a detection counts
    score_threshold: Annotated[float, Field(ge=0.0, le=1.0)] = 0.5
    #: entity types to leave out of findings and metrics (e.g. "DATE_TIME")
    ignore_entities: tuple[str, ...] = ()
    #: entity types to scan for (e.g. ["EMAIL_ADDRESS", "PHONE_NUMBER"]); None = every type covered
    entities: tuple[str, ...] | None = None
    #: countries (ISO 3166-1 alpha-2) whose identifier recognizers run and whose national phone
    #: formats are read without a context word; default the EU and EEA, the UK and the US
    regions: tuple[str, ...] = DEFAULT_REGIONS
    #: an installed spaCy package with NER (e.g. "en_core_web_lg"); never downloaded
    spacy_model: str | None = None
    #: longer texts are scanned in overlapping windows of this many characters
    max_chars: Annotated[int, Field(ge=200, le=1_000_000)] = 20_000
    #: masked examples per finding
    max_examples: Annotated[int, Field(ge=0, le=20)] = 3
    #: deprecated alias of the run's ``jobs`` (the engine's workers scan large inputs)
    n_jobs: Annotated[int, Field(ge=1, le=64)] | None = None


    @field_validator("regions")
    @classmethod
    def _iso_codes(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [c for c in v if len(c) != 2 or not c.isalpha()]
        if bad:
            raise ValueError(f"regions are ISO 3166-1 alpha-2 codes (DE, FR, ...), not {', '.join(bad[:5])}")
        return tuple(sorted({c.upper() for c in v}))

    def scanned(self, covered: tuple[str, ...]) -> frozenset[str]:
        """The entity types a scan reports: covered, narrowed by ``entities``, minus ``ignore_entities``."""
        chosen = set(covered) if self.entities is None else set(covered) & set(self.entities)
        return frozenset(chosen - set(self.ignore_entities))


class PiiInDataParams(PiiScanParams):
    #: columns to scan; default every text/string column
    columns: tuple[str, ...] | None = None
    #: also scan the training sample when one is given
    include_train: bool = True
    #: give each column's name to presidio as context words (a "phone" column lifts phone scores)
    column_names_as_context: bool = True
    #: rows per data set to scan; larger sets are sampled (seeded)
    max_rows: Annotated[int, Field(ge=1)] | None = 200_000


class PiiInDocsParams(PiiScanParams):
    ignore_entities: tuple[str, ...] = ("URL", "DATE_TIME")


def _base_details(params: PiiScanParams, scanner: Any) -> dict[str, Any]:
    cov = scanner_coverage(scanner)
    return {
        **cov.as_details(),
        "entities_scanned": sorted(params.scanned(cov.covered)),
        "entities_requested_not_covered": sorted(set(params.entities or ()) - set(cov.covered)),
        "regions": list(params.regions),
        "score_threshold": params.score_threshold,
        "ignored_entities": list(params.ignore_entities),
        "nlp": params.spacy_model or "spaCy blank English tokenizer with lower-case lemmas (no NER)",
        "recognizers": sorted({type(r).__name__ for r in scanner.recognizers}),
    }


class PiiInData(Check):
    id = "privacy.pii_in_data"
    family = "privacy"
    title = "Personal data in the evaluation and training data"
    description = (
        "Scans the text and string columns of the evaluation data and the training sample with "
        "presidio's pattern and checksum recognizers (offline) plus EU national identifiers; reports "
        "per column and entity type the share of rows with PII, with masked examples only."
    )
    requires = frozenset()
    evidence_for = ("GDPR:Art5(1)(c)", "EU-AI-Act:Art10(2)(b)")
    Params = PiiInDataParams
    run_setting_aliases = (("n_jobs", "jobs"),)

    def bind(self, ctx: RunContext, params: PiiInDataParams) -> str | None:
        from tef_harness.checks.privacy.analyzer import require_spacy_model  # presidio loads on demand

        require_spacy_model(params.spacy_model)
        return None

    def run(self, ctx: RunContext, params: PiiInDataParams) -> CheckOutput:
        sources = [("eval", ctx.eval.frame)]
        if params.include_train and ctx.train is not None:
            sources.append(("train", ctx.train.frame))
        plan = [(name, frame, text_columns(frame, params.columns)) for name, frame in sources]
        if not any(cols for _, _, cols in plan):
            which = "the named columns" if params.columns else "no text or string columns"
            return CheckOutput(
                status="not_applicable",
                reason=f"nothing to scan: {which} in " + " or ".join(n for n, _, _ in plan),
                details={"columns_requested": list(params.columns or [])},
            )
        scanner = get_scanner(params.spacy_model, params.regions)
        rng = ctx.rng(self.id)
        summaries: list[ScanSummary] = []
        sampled: dict[str, int] = {}
        for name, frame, cols in plan:
            if not cols:
                continue
            if params.max_rows is not None and len(frame) > params.max_rows:
                rows = sorted(rng.choice(len(frame), size=params.max_rows, replace=False).tolist())
                frame = frame.iloc[rows]
                sampled[name] = params.max_rows
            summary = ScanSummary(source=name, units_total=len(frame))
            for col in cols:
                values = [to_text(v) for v in frame[col].tolist()]
                rows = [i for i, v in enumerate(values) if v is not None]
                texts = [values[i] for i in rows if values[i] is not None]
                summary.scanned[col] = len(texts)
                found, windowed = scan_texts(
                    scanner,
                    texts,
                    threshold=params.score_threshold,
                    max_chars=params.max_chars,
                    ignore=frozenset(params.ignore_entities),
                    only=params.scanned(scanner_coverage(scanner).covered),
                    workers=ctx,
                    context=context_words(col) if params.column_names_as_context else None,
                )
                summary.windowed += windowed
                for row, text, dets in zip(rows, texts, found, strict=True):
                    summary.add(col, row, text, dets, max_examples=params.max_examples)
            summaries.append(summary)
        metrics, findings = summary_outputs(summaries, code="PRIV001", unit="row", severity_of=ENTITY_SEVERITY)
        for s in summaries:
            if s.windowed:
                findings.append(
                    Finding(
                        code="PRIV002",
                        severity=Severity.INFO,
                        message=(
                            f"{s.windowed} value(s) in {s.source} were longer than {params.max_chars} "
                            "characters and were scanned in overlapping windows"
                        ),
                        location=s.source,
                        data={"values": s.windowed, "max_chars": params.max_chars},
                    )
                )
        details = _base_details(params, scanner)
        details["scanned_columns"] = {n: cols for n, _, cols in plan}
        details["rows_scanned"] = {s.source: max(s.scanned.values(), default=0) for s in summaries}
        details["sampled_rows"] = sampled
        return CheckOutput(metrics=tuple(metrics), findings=tuple(findings), details=details)


class PiiInDocumentation(Check):
    id = "privacy.pii_in_documentation"
    family = "privacy"
    title = "Personal data in the model card and documentation"
    description = (
        "Scans the model card, technical documentation and datasheet line by line with the same "
        "offline presidio scanner; reports per document and entity type the lines with PII, masked."
    )
    requires = frozenset()
    evidence_for = ("GDPR:Art5(1)(c)",)
    Params = PiiInDocsParams
    run_setting_aliases = (("n_jobs", "jobs"),)

    def bind(self, ctx: RunContext, params: PiiInDocsParams) -> str | None:
        from tef_harness.checks.privacy.analyzer import require_spacy_model  # presidio loads on demand

        require_spacy_model(params.spacy_model)
        return None

    def run(self, ctx: RunContext, params: PiiInDocsParams) -> CheckOutput:
        docs = [(role, ctx.documents[role]) for role in _DOC_ROLES if role in ctx.documents]
        if not docs:
            return CheckOutput(
                status="not_applicable",
                reason="no model card, technical documentation or datasheet was given",
            )
        scanner = get_scanner(params.spacy_model, params.regions)
        summaries: list[ScanSummary] = []
        for role, doc in docs:
            lines = [(i + 1, to_text(line)) for i, line in enumerate(doc.text.splitlines())]
            kept = [(i, t) for i, t in lines if t is not None]
            found, windowed = scan_texts(
                scanner,
                [t for _, t in kept],
                threshold=params.score_threshold,
                max_chars=params.max_chars,
                ignore=frozenset(params.ignore_entities),
                only=params.scanned(scanner_coverage(scanner).covered),
                workers=ctx,
            )
            summary = ScanSummary(source=role, windowed=windowed, units_total=len(kept))
            summary.scanned["text"] = len(kept)
            line_numbers: dict[str, list[int]] = {}
            for (lineno, text), dets in zip(kept, found, strict=True):
                summary.add("text", lineno, text, dets, max_examples=params.max_examples)
                for d in dets:
                    nums = line_numbers.setdefault(d.entity_type, [])
                    if lineno not in nums and len(nums) < 20:
                        nums.append(lineno)
            summaries.append(summary)
            for (_, entity), tally in summary.tallies.items():
                tally.examples = [f"line {n}: {e}" for n, e in zip(line_numbers[entity], tally.examples, strict=False)]
        metrics, findings = summary_outputs(summaries, code="PRIV011", unit="line", severity_of=ENTITY_SEVERITY)
        details = _base_details(params, scanner)
        details["documents"] = {role: doc.path for role, doc in docs}
        return CheckOutput(metrics=tuple(metrics), findings=tuple(findings), details=details)
