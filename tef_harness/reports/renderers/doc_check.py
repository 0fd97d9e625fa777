"""``tef doc check``: documentation.completeness on a card alone, without a model or data,
and its text rendering. (Here, not under checks/: a check reads no files.)

The same function the engine's check calls (:func:`completeness_output`) scores the card, so
what this prints is what a full ``tef check`` reports for the card. The output is a table with
one line per profile item: its state, and where its evidence is, or what was looked for.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

from tef_harness.api import CheckOutput
from tef_harness.checks.documentation.completeness import UNREADABLE, completeness_output
from tef_harness.intake.documents import read_document
from tef_harness.sdk.frozen import thaw

_MARK = {"present": "ok", "not_applicable": "n/a", "placeholder": "UNFILLED", "missing": "MISSING"}


def check_card(card: Path, profile: str, technical_documentation: Path | None = None) -> CheckOutput:
    """Read the card (and the technical documentation, if given) and score them.

    Raises IntakeError (a bad file: not UTF-8, empty, too large) or ConfigError (an unknown
    or invalid profile), each naming the file and field.
    """
    docs = [read_document(card, role="card", field="card")]
    if technical_documentation is not None:
        docs.append(
            read_document(technical_documentation, role="technical_documentation", field="technical_documentation")
        )
    return completeness_output(profile, docs)


#: the order and words the header counts are printed in; a state not listed follows, as named
_COUNT_WORDS = {"missing": "missing", "placeholder": "placeholder", "present": "present", "not_applicable": "n/a"}


def counts_text(counts: Mapping[str, object]) -> str:
    """``{"missing": 1, "placeholder": 4}`` as ``1 missing, 4 placeholder``: the header's
    counts in words, the states in a fixed order (missing first: what needs doing)."""
    order = [*(k for k in _COUNT_WORDS if k in counts), *sorted(k for k in counts if k not in _COUNT_WORDS)]
    return ", ".join(f"{counts[k]} {_COUNT_WORDS.get(k, k.replace('_', ' '))}" for k in order)


def render_text(out: CheckOutput, width: int = 160) -> str:
    """Counts, then one line per item, then the findings that are not about a single item.

    ``width`` (characters, e.g. the terminal's): an item's text wraps under itself, after its
    state and id, whose column is as wide as the longest id (ids are never cut); when that
    leaves under 24 characters, the text goes on the lines below, indented by four."""
    details = out.details
    rows = details.get("items")
    assert isinstance(rows, tuple)  # frozen details: arrays are tuples
    counts = thaw(details.get("counts"))
    share = next((m.value for m in out.metrics if m.name == "completeness"), 0.0)
    header = (
        f"profile {details.get('profile')} (version {details.get('profile_version')}): "
        f"{share:.0%} complete; {counts_text(counts) if isinstance(counts, Mapping) else counts}"
    )
    lines = textwrap.wrap(header, width=width, subsequent_indent="  ", break_on_hyphens=False) or [header]
    # a finding that explains others (a part of a document that could not be read) comes first
    other = [f for f in out.findings if not isinstance(f.data.get("item"), str)]
    first = [f for f in other if f.explains or f.code == UNREADABLE]
    for f in first:
        text = f"  {f.code} [{f.severity.value}] {f.message}"
        lines.extend(textwrap.wrap(text, width=width, subsequent_indent="    "))
    items = [r for r in rows if isinstance(r, Mapping)]
    id_width = max((len(str(r.get("id"))) for r in items), default=0)
    for row in items:
        state = str(row.get("state"))
        where: object = row.get("location") or (
            f"looked for {row.get('looked_for')}" if row.get("looked_for") else row.get("note")
        )
        if state == "missing" and str(row.get("note") or "").startswith("could not be read"):
            where = row.get("note")  # unreadable_metadata's: why it is missing, not where it was looked for
        note = f" ({row.get('note')})" if row.get("note") and row.get("location") else ""
        prefix = f"  {_MARK.get(state, state):<9} {row.get('id')!s:<{id_width}} "
        text = f"{row.get('title')}: {where}{note}"
        if width - len(prefix) >= 24:
            body = textwrap.wrap(text, width=width - len(prefix), break_on_hyphens=False) or [""]
            lines.append(prefix + body[0])
            lines.extend(" " * len(prefix) + b for b in body[1:])
        else:
            lines.append(prefix.rstrip())
            lines.extend(textwrap.wrap(text, width=width, initial_indent="    ", subsequent_indent="    "))
    for f in other:
        if f in first:
            continue
        lines.extend(
            textwrap.wrap(f"  {f.code} [{f.severity.value}] {f.message}", width=width, subsequent_indent="    ")
        )
    return "\n".join(lines) + "\n"


def render_json(out: CheckOutput) -> str:
    return out.model_dump_json(indent=2) + "\n"
