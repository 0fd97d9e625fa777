"""Is an item filled in? The four states a careful reader distinguishes.

*placeholder* covers what templates leave behind: an empty section, "TBD", "TODO", lorem
ipsum, the Hugging Face template's "[More Information Needed]", bare labels
("- **Developed by:**"), table rows whose values are blank, and a bare "N/A" with no reason.
*not applicable* needs a justification: "Not applicable: the system is software only".
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, NamedTuple


class ItemState(StrEnum):
    MISSING = "missing"
    PLACEHOLDER = "placeholder"
    PRESENT = "present"
    NOT_APPLICABLE = "not_applicable"

    @property
    def rank(self) -> int:
        """Higher is better; the best matching section decides an item's state."""
        return {"missing": 0, "placeholder": 1, "not_applicable": 2, "present": 3}[self.value]


class Classification(NamedTuple):
    state: ItemState
    #: placeholder markers found (also when the text is present around them)
    markers: int
    note: str | None = None


_COMMENT = re.compile(r"<!--.*?(-->|$)", re.S)
_LOREM = re.compile(r"\blorem\s+ipsum\b", re.I)
_PLACEHOLDERS = re.compile(
    r"more information needed for further recommendations\.?|"
    r"\[\s*more information needed\s*\]|\bmore information needed\b"
    r"|\b(?:tbd|tba|tbc|todo|fixme|xxx+)\b"
    r"|\bto be (?:completed|determined|defined|added|confirmed|written|provided|done)\b"
    r"|\bcoming soon\b"
    # boilerplate sentences of the Hugging Face template that stand in for content
    r"|use the code below to get started with the model\.?"
    r"|users \(both direct and downstream\) should be made aware of the risks, biases and limitations of the model\.?"
    r"|\{\{.*?\}\}|\[(?:insert|add|your|describe)[^\]]*\]|<(?:insert|add|your|describe)[^>]*>",
    re.I,
)
#: a section that opens with a to-do marker is a note to the author, not content
_TODO_FIRST = re.compile(r"^\W*(?:todo|tbd|tba|tbc|fixme|xxx+)\b", re.I)
_EMPTY = "heading with no body"
_NA = re.compile(r"^(?:n/?a|not applicable|not relevant|does not apply|non applicable)\b[\s.:;,()\-–—]*", re.I)
_HEADING_LINE = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_DECORATION = re.compile(r"[*_`>#]+|^\s*(?:[-+]|\d+[.)])\s+")
_LABEL_ONLY = re.compile(r"^[^:.!?]{1,80}:\s*$")
_WORD = re.compile(r"[^\W_]+")
#: fewer words than this after a "N/A" is not a justification
_MIN_JUSTIFICATION_WORDS = 3


def classify_text(text: str) -> Classification:
    """State of one section's text (subsections included)."""
    text = _COMMENT.sub("", text)
    if _LOREM.search(text):
        return Classification(ItemState.PLACEHOLDER, 1, "lorem ipsum filler")
    markers = len(_PLACEHOLDERS.findall(text))
    if _TODO_FIRST.match(_DECORATION.sub("", text.strip())):
        return Classification(ItemState.PLACEHOLDER, markers, "only a to-do note")
    lines = _meaningful_lines(text)
    joined = " ".join(lines).strip()
    na = _NA.match(joined)
    if na:
        reason = _WORD.findall(joined[na.end() :])
        if len(reason) >= _MIN_JUSTIFICATION_WORDS:
            return Classification(ItemState.NOT_APPLICABLE, markers)
        return Classification(ItemState.PLACEHOLDER, markers, "marked N/A without a justification")
    if not _WORD.search(joined):
        if markers:
            return Classification(ItemState.PLACEHOLDER, markers, "template placeholder not filled in")
        return Classification(ItemState.PLACEHOLDER, 0, _EMPTY)
    return Classification(ItemState.PRESENT, markers, "partly unfilled" if markers else None)


def classify_section(own: str, full: str) -> Classification:
    """A heading whose own body is an explicit placeholder ("[More Information Needed]", "TODO",
    a bare "N/A") is unfilled even when its subsections, which other items may own, hold text;
    a heading with no body of its own is judged by its subsections."""
    mine = classify_text(own)
    if mine.state is ItemState.PLACEHOLDER and mine.note != _EMPTY:
        return mine
    return classify_text(full)


def _meaningful_lines(text: str) -> list[str]:
    raw = text.splitlines()
    out: list[str] = []
    for i, line in enumerate(raw):
        if _HEADING_LINE.match(line) or _TABLE_SEP.match(line):
            continue
        if line.strip().startswith("|"):
            nxt = raw[i + 1] if i + 1 < len(raw) else ""
            if _TABLE_SEP.match(nxt):
                continue  # a table header names columns; it holds no content
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            stripped = [_PLACEHOLDERS.sub("", c).strip(" -–—?.") for c in cells]
            if not all(stripped):
                continue  # a row with an unfilled value is unfilled
            out.append(" ".join(stripped))
            continue
        clean = _DECORATION.sub("", _PLACEHOLDERS.sub("", line)).strip()
        if not clean or _LABEL_ONLY.match(clean) or not _WORD.search(clean):
            continue
        out.append(clean)
    return out


def classify_value(value: Any) -> Classification:
    """State of a front-matter value (``library_name: sklearn``, a ``model-index`` list)."""
    if value is None:
        return Classification(ItemState.PLACEHOLDER, 0, "empty value")
    if isinstance(value, str):
        return classify_text(value) if value.strip() else Classification(ItemState.PLACEHOLDER, 0, "empty value")
    if isinstance(value, dict | list | tuple):
        if not value:
            return Classification(ItemState.PLACEHOLDER, 0, "empty value")
        parts = value.values() if isinstance(value, dict) else value
        states = [classify_value(v) for v in parts]
        best = max(states, key=lambda c: c.state.rank)
        return Classification(best.state, sum(c.markers for c in states), best.note)
    return Classification(ItemState.PRESENT, 0)
