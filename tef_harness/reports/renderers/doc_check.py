"""``tef doc check``: documentation.completeness on a card alone, without a model or data,
and its text rendering. (Here, not under checks/: a check reads no files.)

The same function the engine's check calls (:func:`completeness_output`) scores the card, so
what this prints is what a full ``tef check`` reports for the card. The output is a table with
one line per profile item: its state, and where its evidence is, or what was looked for.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from tef_harness.api import CheckOutput
from tef_harness.checks.documentation.completeness import completeness_output
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


def render_text(out: CheckOutput) -> str:
    """Counts, then one line per item, then the findings that are not about a single item."""
    details = out.details
    rows = details.get("items")
    assert isinstance(rows, tuple)  # frozen details: arrays are tuples
    counts = details.get("counts")
    share = next((m.value for m in out.metrics if m.name == "completeness"), 0.0)
    lines = [
        f"profile {details.get('profile')} (version {details.get('profile_version')}): "
        f"{share:.0%} complete; {json.dumps(thaw(counts))}",
    ]
    for row in rows:
        assert isinstance(row, Mapping)
        state = str(row.get("state"))
        where: object = row.get("location") or (
            f"looked for {row.get('looked_for')}" if row.get("looked_for") else row.get("note")
        )
        note = f" ({row.get('note')})" if row.get("note") and row.get("location") else ""
        lines.append(f"  {_MARK.get(state, state):<9} {row.get('id')!s:<12} {row.get('title')}: {where}{note}")
    other = [f for f in out.findings if not isinstance(f.data.get("item"), str)]
    for f in other:
        lines.append(f"  {f.code} [{f.severity.value}] {f.message}")
    return "\n".join(lines) + "\n"


def render_json(out: CheckOutput) -> str:
    return out.model_dump_json(indent=2) + "\n"
