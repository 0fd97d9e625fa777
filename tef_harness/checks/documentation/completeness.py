"""documentation.completeness: is every item of a documentation profile filled in?

Reads the model card and, when given, the technical-documentation file (Markdown or YAML),
and gives each profile item one state: missing, placeholder, present, or not applicable
(justified). The share of complete items is a metric the config can bound
(``completeness >= 0.9``); each missing or unfilled item is a finding whose severity the
profile sets (high for a mandatory Annex IV item, medium where N/A is acceptable).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pydantic import field_validator

from tef_harness.api import Check, CheckOutput, EvidenceOutcome, Finding, Params, RunContext, Severity, TextDocument
from tef_harness.checks.documentation.assess import (
    ItemAssessment,
    assess,
    counts_as_complete,
    details_for,
    findings_for,
    item_states,
    metrics_for,
)
from tef_harness.checks.documentation.parsing import ParsedDocument, parse_document
from tef_harness.checks.documentation.profiles import load_documentation_profile
from tef_harness.checks.documentation.states import ItemState

#: the code of a document part that could not be read (a broken front matter)
UNREADABLE = "DOC006"

#: the requirement ids of the default profile (a test keeps them in step with the data file)
ANNEX_IV_EVIDENCE: tuple[str, ...] = (
    "EU-AI-Act:Art11",
    *(f"EU-AI-Act:AnnexIV-1({c})" for c in "abcdefgh"),
    *(f"EU-AI-Act:AnnexIV-2({c})" for c in "abcdefgh"),
    *(f"EU-AI-Act:AnnexIV-{n}" for n in range(3, 10)),
    "EU-AI-Act:Art13(3)(a)",
    *(f"EU-AI-Act:Art13(3)(b)({r})" for r in ("i", "ii", "iii", "iv", "v", "vi", "vii")),
    *(f"EU-AI-Act:Art13(3)({c})" for c in "cdef"),
    "EU-AI-Act:AnnexV",
)


class CompletenessParams(Params):
    #: a shipped profile name (eu-ai-act-annex-iv, model-card, hf-model-card, datasheet) or
    #: a path to a profile YAML file
    profile: str = "eu-ai-act-annex-iv"

    @field_validator("profile")
    @classmethod
    def _loadable(cls, v: str) -> str:
        load_documentation_profile(v)  # raises ConfigError naming the file and line, before anything runs
        return v


class DocumentationCompleteness(Check):
    id = "documentation.completeness"
    family = "documentation"
    title = "Documentation completeness against a profile"
    description = (
        "Scores the model card (and the technical-documentation file, if given) against a "
        "documentation profile: each item is missing, a placeholder, present, or not applicable "
        "with a justification. Metrics: completeness, completeness.required, items.<state>."
    )
    requires = frozenset({"card"})
    evidence_for = ANNEX_IV_EVIDENCE
    Params = CompletenessParams

    def bind(self, ctx: RunContext, params: CompletenessParams) -> str | None:
        load_documentation_profile(params.profile)  # ConfigError naming the profile file
        _documents(ctx)  # IntakeError naming the document that does not parse
        return None

    def run(self, ctx: RunContext, params: CompletenessParams) -> CheckOutput:
        docs = [ctx.documents[role] for role in ("card", "technical_documentation") if role in ctx.documents]
        return completeness_output(params.profile, docs)


def completeness_output(profile_name: str, documents: Sequence[TextDocument]) -> CheckOutput:
    """What documentation.completeness reports on these documents: the same whether the
    engine runs it within ``tef check`` or ``tef doc check`` runs it on a card alone."""
    profile, source = load_documentation_profile(profile_name)
    docs = [parse_document(d) for d in documents]
    assessments = unreadable_metadata(docs, assess(profile, docs))
    findings = findings_for(assessments)
    # the findings on items that read as missing because the front matter could not be read:
    # DOC006 explains them, so every report lists it first (Finding.explains)
    unread = {a.item.id for a in assessments if (a.note or "").startswith("could not be read")}
    explained = tuple(sorted({f.code for f in findings if f.data.get("item") in unread}))
    return CheckOutput(
        metrics=tuple(metrics_for(assessments)),
        findings=(*document_problems(docs, explained), *findings),
        details=details_for(profile, source, docs, assessments),
        views=(item_states(profile, assessments),),
        evidence=requirement_outcomes(assessments, DocumentationCompleteness.evidence_for),
    )


def document_problems(docs: Sequence[ParsedDocument], explains: tuple[str, ...] = ()) -> list[Finding]:
    """DOC006: what could not be read in a document (a broken front matter). The document is
    still assessed, without that part, so the report is written and says what was lost.
    ``explains``: the codes of the findings it is the cause of (missing front-matter items)."""
    return [
        Finding(
            code=UNREADABLE,
            severity=Severity.MEDIUM,
            location=doc.path,
            data={"document": doc.role, "problem": problem},
            explains=explains,
            message=f"{doc.name}: {problem}; the document was read without its metadata (license, model-index, ...)",
        )
        for doc in docs
        for problem in doc.problems
    ]


def unreadable_metadata(docs: Sequence[ParsedDocument], assessments: list[ItemAssessment]) -> list[ItemAssessment]:
    """An item read from the front matter only (license, model-index, ...) that is missing
    because the front matter could not be read says so: it is still missing (nothing vouches
    for it), but "missing" alone would send the author looking for a key they may have written."""
    broken = ", ".join(d.name for d in docs if d.problems)
    if not broken:
        return assessments
    why = f"the front matter of {broken} is broken ({UNREADABLE})"
    return [
        replace(a, note=f"could not be read: {why}", looked_for=f"{a.looked_for}, but {why}")
        if a.state is ItemState.MISSING and a.item.front_matter_only
        else a
        for a in assessments
    ]


def requirement_outcomes(assessments: Sequence[ItemAssessment], declared: Sequence[str]) -> dict[str, EvidenceOutcome]:
    """Per requirement: passed when every item behind it is documented (or justified as not
    applicable), failed when one is missing or a placeholder, not applicable when all of its
    items are justified N/A. ``EU-AI-Act:Art11`` (the documentation as a whole) fails when
    any item fails. Requirements the profile has no item for are left to the check status."""
    by_requirement: dict[str, list[ItemAssessment]] = {}
    for a in assessments:
        requirement = a.item.requirement
        if requirement is not None and requirement in declared:
            by_requirement.setdefault(requirement, []).append(a)
    outcomes: dict[str, EvidenceOutcome] = {}
    for requirement, items in sorted(by_requirement.items()):
        if not all(counts_as_complete(a) for a in items):
            outcomes[requirement] = "failed"
        elif all(a.state is ItemState.NOT_APPLICABLE for a in items):
            outcomes[requirement] = "not_applicable"
        else:
            outcomes[requirement] = "passed"
    if "EU-AI-Act:Art11" in declared and by_requirement:
        failed = any(v == "failed" for v in outcomes.values())
        outcomes["EU-AI-Act:Art11"] = "failed" if failed else "passed"
    return outcomes


def _documents(ctx: RunContext) -> list[ParsedDocument]:
    return [
        parse_document(ctx.documents[role]) for role in ("card", "technical_documentation") if role in ctx.documents
    ]
