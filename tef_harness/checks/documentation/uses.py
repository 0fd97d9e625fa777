"""Does a use section state a use? Not when it only says what the model is *not* for.

"This model is not ready to be used in production." (the default sentence of a scikit-learn card
generator) under "Intended uses & limitations" is an out-of-scope statement: a careful reader does
not take it as the model's direct use (issue 17, fifth round; the readers of the spent splits
agree on it for the Hugging Face template's "Direct Use"). A negation beside a use ("Teaching
example only; it must not inform any diagnosis") is a use statement.

Applied to the items a profile marks ``states_use``. Not to the Mitchell et al. "Intended Use",
whose hint asks for out-of-scope uses too, so such a sentence answers part of it.

Not done: a section that only names the task ("This model can be used for Text Classification").
The two readers of the fourth blind set label that differently, so no rule is tuned for it.

The wording is the lexicon's ``use_negations`` (data a user extends).
"""

from __future__ import annotations

import re

from tef_harness.checks.documentation.lexicon import DOCUMENT_SELF_REFERENCES, USE_NEGATIONS, phrase_pattern

_NEGATION = re.compile(phrase_pattern(USE_NEGATIONS), re.I) if USE_NEGATIONS else None
#: a sentence opening with the document as its subject: "This checklist ensures ..."
_ABOUT_DOCUMENT = (
    re.compile(r"^\W*(?:" + phrase_pattern(DOCUMENT_SELF_REFERENCES) + r")", re.I) if DOCUMENT_SELF_REFERENCES else None
)
#: a fenced code block, up to its closing fence or the end of the text (shared with outline.py)
FENCED_BLOCK = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)", re.S | re.M)
_MARKUP = re.compile(r"<!--.*?(?:-->|\Z)|^\s{0,3}#{1,6}\s[^\n]*$|[*_`>]+", re.S | re.M)
_SENTENCE_END = re.compile(r"(?<=[.!;])\s+|\n\s*\n|\n\s*(?:[-+*]|\d+[.)])\s+")
_WORD = re.compile(r"[^\W_]+")
_LIST_MARK = re.compile(r"^(?:[-+*]|\d+[.)])\s+")


def sentences(text: str) -> list[str]:
    """The sentences of a section's prose: code blocks, comments, headings and emphasis removed,
    split at a full stop, an exclamation mark, a semicolon, a blank line or a list item."""
    prose = _MARKUP.sub(" ", FENCED_BLOCK.sub(" ", text))
    return [_LIST_MARK.sub("", " ".join(s.split())) for s in _SENTENCE_END.split(prose) if _WORD.search(s)]


#: how far before a key phrase a negation of it may start ("n'est pas destiné" before "destiné à")
_NEGATION_REACH = 40


def negated_use(text: str, start: int) -> bool:
    """The key phrase at ``text[start:]`` is the tail of a use negation that starts before it:
    "intended for" in "not intended for", "bestimmt für" in "nicht bestimmt für". Such a phrase
    says what the model is not for, so it is no evidence of a use. A phrase that itself starts
    with the negation ("not intended for use in production", a limitations phrase) is not
    negated by it."""
    if _NEGATION is None:
        return False
    lo = max(0, start - _NEGATION_REACH)
    return any(m.start() < start < m.end() for m in _NEGATION.finditer(text, lo, start + _NEGATION_REACH))


def states_no_use(text: str) -> str | None:
    """Why a use section's text states no use, or None when it may state one.

    ``text`` is the section's Markdown. Returns a short reason for the report when every
    sentence of it says what the model is not for."""
    said = sentences(text)
    if said and _NEGATION is not None and all(_NEGATION.search(s) for s in said):
        return "it only says what the model is not for"
    return None


def about_document(text: str) -> str | None:
    """Why a section's text says what the *document* is for rather than the system, or None.

    ``text`` is the section's Markdown. A section whose first sentence has the document itself
    as its subject ("This checklist ensures that the technical documentation meets Annex IV")
    describes the document (a checklist's or template's "Purpose"): it is no evidence of the
    model's intended use (issue 17, ninth round). The openings are the lexicon's
    ``document_self_references``."""
    if _ABOUT_DOCUMENT is None:
        return None
    said = sentences(text)
    if said and _ABOUT_DOCUMENT.match(said[0]):
        return f"it says what the document is for ('{' '.join(said[0].split()[:4])} ...')"
    return None
