"""Score documents against a profile: one state per item, then findings and metrics.

An item is looked for under every heading, bold label or YAML key that matches one of its
aliases (or carries its id, e.g. "Hardware (AIV-1e)"), and in its front-matter keys. When
several places match, the best state wins: a reader who finds the item filled in anywhere
counts it as present.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import JsonValue

from tef_harness.api import Finding, Metric, Severity, metric_name
from tef_harness.checks.documentation.parsing import ParsedDocument, Section
from tef_harness.checks.documentation.profiles import DocumentationProfile, ProfileItem
from tef_harness.checks.documentation.states import Classification, ItemState, classify_section, classify_value

_STOPWORDS = frozenset({"the", "a", "an", "of", "and", "for", "to", "with", "on", "in", "or", "by", "its"})
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.):]?|[ivx]+[.)]|\(?[a-h]\)|[a-h][.)])\s+", re.I)


@dataclass(frozen=True)
class ItemAssessment:
    item: ProfileItem
    state: ItemState
    #: where the deciding evidence is, e.g. "card.md: heading 'Intended Use' (line 12)"
    location: str | None
    note: str | None
    markers: int
    #: what was searched, for findings on missing items
    looked_for: str


def tokens(text: str) -> tuple[str, ...]:
    text = re.sub(r"\[[^\]]*\]", " ", text.lower().replace("&", " and "))  # "Citation [optional]"
    text = _NUMBERING.sub("", text)
    words = re.findall(r"[a-z0-9]+", text)
    return tuple(
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words if w not in _STOPWORDS
    )


def heading_matches(heading: str, item: ProfileItem) -> int | None:
    """Position of the first alias the heading matches (0 for the item's id), else None."""
    if re.search(rf"(?<![\w-]){re.escape(item.id)}(?![\w])", heading, re.I):
        return 0
    head = tokens(heading)
    for rank, alias in enumerate(item.aliases):
        want = tokens(alias)
        if not want:
            continue
        if want == head:
            return rank
        if len(want) >= 2 and any(head[i : i + len(want)] == want for i in range(len(head) - len(want) + 1)):
            return rank
    return None


def _describe(doc: ParsedDocument, section: Section) -> str:
    what = {"heading": "heading", "label": "label", "key": "key"}[section.kind]
    return f"{doc.name}: {what} '{section.heading}' (line {section.line})"


def assess(profile: DocumentationProfile, docs: Sequence[ParsedDocument]) -> list[ItemAssessment]:
    results: dict[str, ItemAssessment] = {}
    #: for each item, the (document index, section index) pairs it matched
    matched: dict[str, list[tuple[int, int]]] = {}
    names = ", ".join(d.name for d in docs)
    for item in profile.items:
        #: (state, alias rank, where); the best state wins, then the earliest alias
        candidates: list[tuple[Classification, int, str]] = []
        hits: list[tuple[int, int]] = []
        parent_hits = set(matched.get(item.within, [])) if item.within else None
        for d, doc in enumerate(docs):
            ranks: dict[int, int] = {}
            for s, section in enumerate(doc.sections):
                if parent_hits is not None and not any((d, p) in parent_hits for p in section.parents):
                    continue
                rank = heading_matches(section.heading, item)
                if rank is not None:
                    ranks[s] = rank
            hits += [(d, s) for s in ranks]
            # the most specific place decides: "Hardware" under a matching "Compute
            # Infrastructure" is where a reader looks, not the whole parent section
            enclosing = {p for s in ranks for p in doc.sections[s].parents}
            for s, rank in ranks.items():
                if s not in enclosing:
                    section = doc.sections[s]
                    cls = classify_section(section.own, section.text)
                    candidates.append((cls, rank, _describe(doc, section)))
            for key in item.front_matter:
                if key in doc.front_matter:
                    where = f"{doc.name}: front matter '{key}'"
                    candidates.append((classify_value(doc.front_matter[key]), len(item.aliases), where))
        matched[item.id] = hits
        looked = "headings " + ", ".join(f"'{a}'" for a in item.aliases[:8])
        if len(item.aliases) > 8:
            looked += f" (+{len(item.aliases) - 8} more)"
        if item.front_matter:
            looked += " and front-matter keys " + ", ".join(f"'{k}'" for k in item.front_matter)
        if item.within:
            looked += f" under {item.within}"
        looked += f" in {names}"
        if not candidates:
            note = None
            if item.within and not parent_hits:
                note = f"{item.within} not found"
            results[item.id] = ItemAssessment(item, ItemState.MISSING, None, note, 0, looked)
            continue
        best_cls, _, best_loc = min(candidates, key=lambda c: (-c[0].state.rank, c[1]))  # stable on ties
        results[item.id] = ItemAssessment(item, best_cls.state, best_loc, best_cls.note, best_cls.markers, looked)
    return [results[i.id] for i in profile.items]


# -- findings and metrics ---------------------------------------------------------------------
def counts_as_complete(a: ItemAssessment) -> bool:
    return a.state is ItemState.PRESENT or (a.state is ItemState.NOT_APPLICABLE and a.item.na_allowed)


def findings_for(assessments: Sequence[ItemAssessment]) -> list[Finding]:
    out: list[Finding] = []
    missing_parents = {a.item.id for a in assessments if a.state is ItemState.MISSING}
    children: dict[str, list[str]] = {}
    unfilled_children: set[str] = set()
    for a in assessments:
        if a.item.within:
            children.setdefault(a.item.within, []).append(a.item.id)
            if a.state is ItemState.PLACEHOLDER:
                unfilled_children.add(a.item.within)
    for a in assessments:
        item = a.item
        if item.within in missing_parents:
            continue  # reported once, on the parent
        data: dict[str, JsonValue] = {"item": item.id, "state": a.state.value, "requirement": item.requirement}
        label = f"{item.id} ({item.title})"
        expected = f"expected: {item.hint.rstrip('.')}"
        severity, location = item.gate_severity, a.location
        if a.state is ItemState.MISSING:
            subs = children.get(item.id, [])
            tail = f"; its sub-items {', '.join(subs)} are therefore missing too" if subs else ""
            code, location = "DOC001", None
            message = f"{label} is missing; {expected}; looked for {a.looked_for}{tail}"
        elif a.state is ItemState.PLACEHOLDER and a.note == "marked N/A without a justification":
            code = "DOC003"
            message = (
                f"{label} is marked N/A without saying why at {a.location}; give "
                f"the reason it does not apply, or fill it in ({expected})"
            )
        elif a.state is ItemState.PLACEHOLDER:
            code = "DOC002"
            message = f"{label} is a placeholder ({a.note}) at {a.location}; {expected}"
        elif a.state is ItemState.NOT_APPLICABLE and not item.na_allowed:
            code = "DOC004"
            message = (
                f"{label} is declared not applicable at {a.location}, but this profile "
                f"does not accept N/A for it; {expected}"
            )
        elif a.state is ItemState.PRESENT and a.markers and item.id not in unfilled_children:
            code, severity = "DOC005", Severity.LOW
            message = (
                f"{label} is filled in at {a.location} but still holds {a.markers} "
                "placeholder marker(s) (TODO, TBD, [More Information Needed], ...)"
            )
        else:
            continue
        out.append(Finding(code=code, severity=severity, location=location, data=data, message=message))
    return out


def metrics_for(assessments: Sequence[ItemAssessment], prefix: str = "") -> list[Metric]:
    def share(rows: Sequence[ItemAssessment]) -> float:
        return sum(counts_as_complete(a) for a in rows) / len(rows) if rows else 1.0

    def name(*parts: object) -> str:
        return metric_name(*(p for p in (prefix, *parts) if p))

    n = len(assessments)
    required = [a for a in assessments if a.item.required]
    out = [
        Metric(
            name=name("completeness"),
            value=share(assessments),
            n=n,
            higher_is_better=True,
            description="share of profile items present or justifiably not applicable",
        ),
        Metric(
            name=name("completeness.required"),
            value=share(required),
            n=len(required),
            higher_is_better=True,
            description="the same share over the profile's required items",
        ),
        Metric(name=name("items.total"), value=n, description="items in the profile"),
    ]
    for state in ItemState:
        count = sum(a.state is state for a in assessments)
        out.append(Metric(name=name(f"items.{state.value}"), value=count, description=f"items in state {state.value}"))
    groups = sorted({a.item.group for a in assessments if a.item.group})
    for group in groups:
        rows = [a for a in assessments if a.item.group == group]
        out.append(Metric(name=name("completeness", group), value=share(rows), n=len(rows), higher_is_better=True))
    return out


def details_for(
    profile: DocumentationProfile, source: str, docs: Sequence[ParsedDocument], assessments: Sequence[ItemAssessment]
) -> dict[str, JsonValue]:
    rows: list[JsonValue] = [
        {
            "id": a.item.id,
            "title": a.item.title,
            "group": a.item.group,
            "requirement": a.item.requirement,
            "required": a.item.required,
            "na_allowed": a.item.na_allowed,
            "state": a.state.value,
            "complete": counts_as_complete(a),
            "location": a.location,
            "note": a.note,
            "severity_if_failing": a.item.gate_severity.value,
        }
        for a in assessments
    ]
    counts: dict[str, JsonValue] = {s.value: sum(a.state is s for a in assessments) for s in ItemState}
    return {
        "profile": profile.name,
        "profile_version": profile.version,
        "profile_source": source,
        "documents": [d.path for d in docs],
        "counts": counts,
        "items": rows,
    }
