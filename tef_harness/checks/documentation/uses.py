"""Does a use section state an intended use? Two forms of text under a "Uses" heading that do not.

A careful reader of a model card does not take either of these as its intended use (issue 17,
fifth round; the readers of four blind sets agree on it):

- only what the model is *not* for: "This model is not ready to be used in production." (the
  default sentence of a scikit-learn card generator) is an out-of-scope statement;
- only the task the model performs: "This model can be used for Text Classification." says what
  the model does, not who uses it, for what decision. A task sentence with more after it (users,
  a purpose, a second sentence) is a use statement.

The wording is the lexicon's ``use_negations`` and ``task_only_uses`` (data a user extends).
"""

from __future__ import annotations

import re

from tef_harness.checks.documentation.lexicon import TASK_ONLY_USES, USE_NEGATIONS, phrase_pattern

_NEGATION = re.compile(phrase_pattern(USE_NEGATIONS), re.I) if USE_NEGATIONS else None
_TASK_ONLY = re.compile(rf"^(?:{phrase_pattern(TASK_ONLY_USES)})\s", re.I) if TASK_ONLY_USES else None
#: the task named after "can be used for" is a few words ("translation and text-to-text generation")
TASK_MAX_WORDS = 6
_FENCED = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)", re.S | re.M)
_MARKUP = re.compile(r"<!--.*?(?:-->|\Z)|^\s{0,3}#{1,6}\s[^\n]*$|[*_`>]+", re.S | re.M)
_SENTENCE_END = re.compile(r"(?<=[.!;])\s+|\n\s*\n|\n\s*(?:[-+*]|\d+[.)])\s+")
_WORD = re.compile(r"[^\W_]+")
_LIST_MARK = re.compile(r"^(?:[-+*]|\d+[.)])\s+")


def sentences(text: str) -> list[str]:
    """The sentences of a section's prose: code blocks, comments, headings and emphasis removed,
    split at a full stop, an exclamation mark, a semicolon, a blank line or a list item."""
    prose = _MARKUP.sub(" ", _FENCED.sub(" ", text))
    return [_LIST_MARK.sub("", " ".join(s.split())) for s in _SENTENCE_END.split(prose) if _WORD.search(s)]


def states_no_use(text: str) -> str | None:
    """Why a use section's text states no intended use, or None when it may state one.

    ``text`` is the section's Markdown. Returns a short reason for the report: the section
    only says what the model is not for, or only names the task it performs."""
    said = sentences(text)
    if not said:
        return None
    if _NEGATION is not None and all(_NEGATION.search(s) for s in said):
        return "it only says what the model is not for"
    if _TASK_ONLY is not None and len(said) == 1:
        m = _TASK_ONLY.match(said[0])
        if m is not None and len(_WORD.findall(said[0][m.end() :])) <= TASK_MAX_WORDS:
            return "it only names the task the model performs"
    return None
