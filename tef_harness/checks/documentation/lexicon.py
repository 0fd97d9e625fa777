"""The documentation checks' multilingual word lists, read once from ``lexicon.yaml``.

``STOPWORDS`` are ignored when a heading is compared with an alias; ``PLACEHOLDERS`` are the
phrases templates in the supported languages leave where content belongs; ``PROMPTS`` are the
questions a template lists for the author, which a line holding nothing else leaves unanswered. Profiles extend the
placeholders with their own ``placeholders:`` list.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources

import yaml

from tef_harness.checks.documentation.folding import letters_pattern
from tef_harness.sdk.alternation import longest_first


def _load() -> dict[str, dict[str, list[str]]]:
    text = resources.files(__package__).joinpath("lexicon.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return {str(k): {str(lang): [str(w) for w in ws] for lang, ws in v.items()} for k, v in data.items()}


_DATA = _load()
STOPWORDS: frozenset[str] = frozenset(w.lower() for ws in _DATA["stopwords"].values() for w in ws)
#: stand-in phrases: a template's placeholders, a generator's requests to the author ("please
#: complete ..."), and the sample values it fills in ("Demo Organization")
PLACEHOLDERS: tuple[str, ...] = tuple(
    p for key in ("placeholders", "requests", "demo_values") for ps in _DATA.get(key, {}).values() for p in ps
)
#: values that say nothing when they are a label's, a cell's or a line's whole value, lower-cased
EMPTY_VALUES: frozenset[str] = frozenset(
    " ".join(v.lower().split()) for vs in _DATA.get("empty_values", {}).values() for v in vs
)
#: word forms a heading may use for an alias's word ("usage -> use" in the lexicon), singular
#: forms; they join words of aliases of two words or more only (a heading "Usage" is not "Uses")
WORD_FORMS: dict[str, str] = {
    form.split("->")[0].strip().lower(): form.split("->")[1].strip().lower()
    for forms in _DATA.get("word_forms", {}).values()
    for form in forms
    if "->" in form
}
#: openings of a section that is a note to the author, lower-cased
AUTHOR_NOTES: tuple[str, ...] = tuple(p.lower() for ps in _DATA.get("author_notes", {}).values() for p in ps)
#: phrases of a sentence naming only a use the model is not for, lower-cased
USE_NEGATIONS: tuple[str, ...] = tuple(p.lower() for ps in _DATA.get("use_negations", {}).values() for p in ps)
#: openings of a sentence whose subject is the document itself ("this checklist"), lower-cased
DOCUMENT_SELF_REFERENCES: tuple[str, ...] = tuple(
    p.lower() for ps in _DATA.get("document_self_references", {}).values() for p in ps
)
#: words that add nothing to a heading's topic ("Citation Information"), lower-cased, as the
#: heading matcher folds them (a plural "s" dropped)
FILLER_WORDS: frozenset[str] = frozenset(w.lower() for ws in _DATA.get("filler_words", {}).values() for w in ws)
#: prompts of common templates, lower-cased: a line holding only one of them is unanswered
PROMPTS: frozenset[str] = frozenset(" ".join(p.lower().split()) for ps in _DATA.get("prompts", {}).values() for p in ps)
#: the word lists of outline.py, by list name ("outline_modals"), each over all languages
OUTLINE_WORDS: dict[str, tuple[str, ...]] = {
    key: tuple(w for ws in words.values() for w in ws) for key, words in _DATA.items() if key.startswith("outline_")
}


def phrase_pattern(phrases: Iterable[str], ascii_text: bool = False) -> str:
    """A regex alternation matching each phrase as a whole phrase, spaces flexible; a phrase
    ending in ``*`` matches any word that starts with it ("limitation*": "limitations"); a
    phrase starting with ``re:`` is a regular expression (an e-mail address, a metric with a
    value). Literal phrases match with or without diacritics (see :func:`folding.letters_pattern`;
    ``ascii_text``: the pattern is only for ASCII text, and simpler)."""
    parts = []
    for raw in sorted({p.strip() for p in phrases if p.strip()}, key=longest_first):
        if raw.startswith("re:"):
            parts.append(f"(?:{raw[3:]})")
            continue
        prefix = raw.endswith("*")
        p = raw.rstrip("*")
        if not p:
            continue
        # each letter with or without its diacritic ("Métriques" finds "Metriques"; German
        # umlauts also as ae/oe/ue), matched in the raw text so positions stay the card's
        body = r"\s+".join(letters_pattern(w, ascii_text) for w in p.split())
        left = r"(?<!\w)" if p[0].isalnum() else ""
        right = r"(?!\w)" if p[-1].isalnum() and not prefix else ""
        parts.append(left + body + right)
    return "|".join(parts)
