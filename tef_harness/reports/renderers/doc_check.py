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

#: an item's state as its row shows it; a state needing work is in capitals, named as in report.json
#: and in the header's counts (one word per state: "placeholder", not a synonym)
_MARK = {"present": "ok", "not_applicable": "n/a", "placeholder": "PLACEHOLDER", "missing": "MISSING"}
_MARK_WIDTH = max(len(m) for m in _MARK.values())


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


def _wrap(text: str, width: int, *, initial_indent: str = "", subsequent_indent: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken at spaces only: never inside a
    word, nor after a word's hyphen ('cross-' / 'validation' reads as two words). A word longer
    than the line stays whole and overruns it: cutting a heading or a file name is worse."""
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=initial_indent,
        subsequent_indent=subsequent_indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


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
    lines = _wrap(header, width, subsequent_indent="  ") or [header]
    # a finding that explains others (a part of a document that could not be read) comes first
    other = [f for f in out.findings if not isinstance(f.data.get("item"), str)]
    first = [f for f in other if f.explains or f.code == UNREADABLE]
    for f in first:
        text = f"  {f.code} [{f.severity.value}] {f.message}"
        lines.extend(_wrap(text, width, subsequent_indent="    "))
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
        prefix = f"  {_MARK.get(state, state):<{_MARK_WIDTH}} {row.get('id')!s:<{id_width}} "
        text = f"{row.get('title')}: {where}{note}"
        if width - len(prefix) >= 24:
            body = _wrap(text, width - len(prefix)) or [""]
            lines.append(prefix + body[0])
            lines.extend(" " * len(prefix) + b for b in body[1:])
        else:
            lines.append(prefix.rstrip())
            lines.extend(_wrap(text, width, initial_indent="    ", subsequent_indent="    "))
    for f in other:
        if f in first:
            continue
        lines.extend(_wrap(f"  {f.code} [{f.severity.value}] {f.message}", width, subsequent_indent="    "))
    return "\n".join(lines) + "\n"


def render_json(out: CheckOutput) -> str:
    return out.model_dump_json(indent=2) + "\n"
