"""Is an item filled in? The four states a careful reader distinguishes.

*placeholder* covers what templates leave behind: an empty section, "TBD", "TODO", lorem
ipsum, the Hugging Face template's "[More Information Needed]", bare labels
("- **Developed by:**"), table rows whose values are blank, and a bare "N/A" with no reason.
*not applicable* needs a justification: "Not applicable: the system is software only".
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache
from typing import Any, NamedTuple

from tef_harness.checks.documentation.folding import fold_long_words, fold_text, fold_word
from tef_harness.checks.documentation.lexicon import AUTHOR_NOTES, EMPTY_VALUES, PLACEHOLDERS, PROMPTS, phrase_pattern
from tef_harness.sdk.alternation import longest_first


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
_BUILTIN_PLACEHOLDERS = (
    r"more information needed for further recomm?endations\.?"  # older templates spell it "recomendations"
    r"|<summary>\s*click to expand\s*</summary>"
    r"|\[\s*more information needed\s*\]|\bmore info(?:rmation)? needed\b\.?"
    r"|\b(?:tbd|tba|tbc|todo|fixme|xxx+)\b"
    r"|\bto be (?:completed|determined|defined|added|confirmed|written|provided|done)\b"
    r"|\[\s*required\b[^\]]*\]"  # "[REQUIRED: Specify expected accuracy level]"
    # boilerplate sentences of the Hugging Face template that stand in for content
    r"|use the code below to get started with the model\.?"
    r"|users \(both direct and downstream\) should be made aware of the risks, biases and limitations of the model\.?"
    # the sentence-transformers card generator's default evaluation sentence (its link carries
    # the unfilled {MODEL_NAME})
    r"|for an automated evaluation of this model,? see the \W*sentence embeddings benchmark\W*:?"
    # skops' template sentences that introduce an unfilled field
    r"|below you can find information related to citation\.?"
    r"|you can contact the model card authors through following channels:?"
    r"|this model card is written by following authors:?"
    r"|carbon emissions can be estimated using the machine learning impact calculator presented in"
    r"\s+lacoste et al\.?\s*\(2019\)\.?"
    r"|\{\{.*?\}\}|\[(?:insert|add|your|describe)[^\]]*\]|<(?:insert|add|your|describe)[^>]*>"
    # a bracketed prompt that is a line's or a cell's whole value: "- **Version:** [Version of the
    # model]", "| Owner | [name] |"; not a link, a reference, a footnote, a checkbox or "[12]"
    r"|(?<![\w\]!\\])\[(?![xX ]?\])(?!\^)(?=[^\]\n]*[a-z])[^\[\]\n]{2,200}\](?![(\[:])(?=[ \t*_]*(?:\||\n|$))"
    # a generator's "nothing yet" sentence: "No risks have been identified for this system yet."
    # (the whole sentence: "No paper has been published yet, but the model is ..." goes on)
    r"|\bno\s+(?:[\w-]+\s+){1,4}(?:has|have)\s+been\s+(?:[\w-]+\s+){1,6}?yet(?=[ \t]*(?:[.!;*_]|$))"
    # the instruction line of the Mitchell et al. template ("Review section 4.1 of the model cards paper")
    r"|\breview section \d(?:\.\d+)? of the model cards paper\.?"
)


#: needles of the built-in placeholders: a text holding none of them (lower-cased) cannot match
_BUILTIN_NEEDLES = (
    "[",
    "{",
    "<",
    "review section",
    "tbd",
    "tba",
    "tbc",
    "todo",
    "fixme",
    "xxx",
    "more info",
    "to be ",
    "coming soon",
    "use the code",
    "users (both",
    "carbon emissions",
    "below you can",
    "you can contact",
    "this model card is",
    " yet",
    "automated evaluation",
)
#: for each placeholder pattern: the needle each phrase needs (its longest word), as (needle,
#: phrases) for needles that are plain words and (phrase, needle) for the others; absent for a
#: pattern holding a user's regular expression (no needle: always scan it whole)
#: Keyed by the pattern's id (the pattern kept beside its needles, so the id is not reused):
#: hashing a compiled pattern hashes its whole compiled code, on every lookup.
_PHRASE_NEEDLES: dict[int, tuple[re.Pattern[str], dict[str, tuple[str, ...]], tuple[tuple[str, str], ...]]] = {}
_WORD_NEEDLE = re.compile(r"\w+")


@lru_cache(maxsize=64)
def placeholder_regex(extra: tuple[str, ...] = ()) -> re.Pattern[str]:
    """The built-in placeholders, the multilingual ones of the lexicon, and ``extra`` phrases
    (a profile's own), as one case-insensitive pattern."""
    pattern = re.compile(_BUILTIN_PLACEHOLDERS + "|" + phrase_pattern((*PLACEHOLDERS, *extra)), re.I)
    if not any(p.startswith("re:") for p in extra):
        # each phrase's longest word: "to be completed" cannot match a text without "completed"
        phrases = [p for p in (*PLACEHOLDERS, *extra) if p.split()]
        words: dict[str, list[str]] = {}
        others: list[tuple[str, str]] = []
        for p in phrases:
            # folded like the text's words, so "À compléter" is looked for in "A completer"
            needle = fold_word(max(p.lower().rstrip("*").split(), key=len))
            if _WORD_NEEDLE.fullmatch(needle) and not p.endswith("*"):
                # a whole word of the phrase, bounded in the pattern: it is a word of any text the
                # phrase matches, so a set lookup replaces a substring scan
                words.setdefault(needle, []).append(p)
            else:
                others.append((p, needle))
        _PHRASE_NEEDLES[id(pattern)] = (pattern, {n: tuple(ps) for n, ps in words.items()}, tuple(others))
    return pattern


_PLACEHOLDERS = placeholder_regex()


@lru_cache(maxsize=256)
def _subset_regex(builtin: bool, phrases: tuple[str, ...], ascii_text: bool = False) -> re.Pattern[str] | None:
    parts = ([_BUILTIN_PLACEHOLDERS] if builtin else []) + ([phrase_pattern(phrases, ascii_text)] if phrases else [])
    return re.compile("|".join(parts), re.I) if parts else None


def narrowed(text: str, placeholders: re.Pattern[str]) -> re.Pattern[str] | None:
    """The part of the placeholder pattern that can match ``text``, or None when nothing can.

    Python's regular expressions try every alternative at every position, so a pattern of a
    hundred phrases scanned over every section is the costly part of assessing a large card; a
    substring test per phrase (its longest word, the built-ins' needles) is far cheaper, and a
    section usually holds one kind of placeholder or none. The same matches as the whole
    pattern: a phrase whose needle is absent cannot match."""
    needles = _PHRASE_NEEDLES.get(id(placeholders))
    if needles is None or needles[0] is not placeholders:
        return placeholders
    _, by_word, others = needles
    lower = text.lower()
    builtin = any(n in lower for n in _BUILTIN_NEEDLES)
    # the needles are folded (no diacritics, ae/oe/ue as the vowel): fold the text's words too
    found = [p for w in {fold_word(w) for w in set(_WORD_NEEDLE.findall(lower))} for p in by_word.get(w, ())]
    if others:
        folded = fold_text(lower)
        found += [p for p, n in others if n in folded]
    # an ASCII section is scanned without the classes of accented letters
    return _subset_regex(builtin, tuple(sorted(found)), text.isascii())


_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>\n]{0,200}>|&nbsp;|&#160;")
#: a table cell or label value that says nothing: None, null, NaN, a dash, "...", "?"
#: ... or, in the supported languages, says it is not given ("Not specified", "k. A." is a
#: placeholder already): the lexicon's ``empty_values``, each only as a whole value
#: a "*" word of an empty value stands for one or two words: "not yet *" is "Not yet issued",
#: "no * provided" is "No description provided"
_ANY_WORDS = r"[\w-]+(?:\s+[\w-]+)?"
_EMPTY_WORDS = "|".join(
    r"\s+".join(_ANY_WORDS if w == "*" else re.escape(w) for w in v.split())
    for v in sorted(EMPTY_VALUES | {"none", "null", "nan"}, key=longest_first)
)
_EMPTY_VALUE = re.compile(rf"^(?:{_EMPTY_WORDS}|-+|—|–|\.{{2,}}|…|\?+)[.!]?$", re.I)
#: "Dice score: ..." / "Owner: ?" / "Hours used: None" / "Output type: Not specified": a label
#: whose value is a stand-in
_LABEL_STANDIN = re.compile(rf":\s*(?:\.{{2,}}|…|\?+|(?:{_EMPTY_WORDS})[.!]?)\s*$", re.I)
#: a BibTeX entry; its fields are read to tell a real citation from a template's dummy one
_BIBTEX = re.compile(r"@\w+\s*\{[^,\n]*,(?P<body>.*?)\n\s*\}", re.S)
_BIB_FIELD = re.compile(r"\b(\w+)\s*=\s*[{\"]([^}\"]*)[}\"]")
_BIB_DUMMY = re.compile(
    r"^\s*(?:|\.{2,}|…|x+|\?+|author s?|authors?|title|year|20xx|yyyy|journal|name|your [\w ]+|first last|"
    r"lastname,? firstname|surname|tbd|todo|\[[^\]]*\]|<[^>]*>)\s*$",
    re.I,
)


#: a section that opens with a to-do marker is a note to the author, not content
_TODO_FIRST = re.compile(r"^\W*(?:todo|tbd|tba|tbc|fixme|xxx+)\b", re.I)
#: a line opening a generator's note to the author ("> ⚠️ **MANUAL INPUT REQUIRED**", the
#: lexicon's ``author_notes``): what follows it is instructions and examples
_AUTHOR_NOTE = re.compile(rf"^[^\w\n]*(?:{phrase_pattern(AUTHOR_NOTES)})", re.I | re.M) if AUTHOR_NOTES else None
#: at most this many words before such a note (a generator's "Article Reference: Annex IV,
#: Section 7" line) leave the section a note to the author; more is content the note adds to
_BEFORE_NOTE_WORDS = 12
#: ... so the note is looked for in this many characters of the section's opening
_NOTE_WITHIN_CHARS = 600
#: each note's longest word: an opening holding none of them holds no note (a substring test is
#: far cheaper than the pattern on every section of a large card)
_AUTHOR_NOTE_NEEDLES = tuple({fold_word(max(p.split(), key=len)) for p in AUTHOR_NOTES if p.split()})
#: the note of a section that is only a note to the author
AUTHOR_NOTE = "only a note to the author"
_EMPTY = "heading with no body"
_TEMPLATE = "template placeholder not filled in"
_NA = re.compile(r"^(?:n/?a|not applicable|not relevant|does not apply|non applicable)\b[\s.:;,()\-–—]*", re.I)
_FENCE_LINE = re.compile(r"^\s{0,3}(?:`{3,}|~{3,})[^`]*$")
_HEADING_LINE = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_DECORATION = re.compile(r"[*_`>#]+|^\s*(?:[-+]|\d+[.)])\s+")
_LABEL_ONLY = re.compile(r"^[^:.!?]{1,80}:\s*$")
_WORD = re.compile(r"[^\W_]+")
#: "No paper accompanies this example", "Es gibt keine Veröffentlichung": nothing to cite, in the
#: supported languages
_NO_PUBLICATION = re.compile(
    r"^(?:there (?:is|are) )?no (?:paper|publication|article|preprint|citation)s?\b"
    r"|^(?:es gibt )?keine? (?:paper|veröffentlichung|publikation|zitation)\b"
    r"|^(?:il n'y a )?(?:aucun article|aucune publication|pas de publication|pas d'article)\b"
    r"|^(?:non c'è )?(?:nessun articolo|nessuna pubblicazione)\b"
    r"|^(?:no hay )?(?:ningún artículo|ninguna publicación|ningun articulo|ninguna publicacion)\b"
    r"|^(?:er is )?geen (?:paper|publicatie|artikel)\b"
    r"|^brak (?:publikacji|artykułu)\b",
    re.I,
)
#: a section this short that opens with such a statement says only that
_SHORT_STATEMENT_WORDS = 25
#: fewer words than this after a "N/A" is not a justification
_MIN_JUSTIFICATION_WORDS = 3


def _dummy_bibtex(text: str) -> str:
    """Text with every BibTeX entry whose fields are all template stand-ins replaced by a
    placeholder marker, so a template's example citation does not read as a citation."""

    def repl(m: re.Match[str]) -> str:
        fields = _BIB_FIELD.findall(m.group("body"))
        if fields and all(_BIB_DUMMY.match(v) or _PLACEHOLDERS.search(v) for _, v in fields):
            return " TODO "
        return m.group(0)

    return _BIBTEX.sub(repl, text) if "@" in text else text


def classify_text(text: str, placeholders: re.Pattern[str] = _PLACEHOLDERS) -> Classification:
    """State of one section's text (subsections included). ``placeholders``: the pattern of
    stand-in phrases (see :func:`placeholder_regex`)."""
    text = _COMMENT.sub("", text)
    text = _HTML_TAG.sub(" ", _LINK.sub(r"\1", text))
    text = _dummy_bibtex(text)
    if _LOREM.search(text):
        return Classification(ItemState.PLACEHOLDER, 1, "lorem ipsum filler")
    # where each placeholder starts (one scan serves the count and the deferral test below)
    scan = narrowed(text, placeholders)
    spans = [m.start() for m in scan.finditer(text)] if scan is not None else []
    markers = len(spans)
    if _TODO_FIRST.match(_DECORATION.sub("", text.strip())):
        return Classification(ItemState.PLACEHOLDER, markers, "only a to-do note")
    # a note to the author comes within the section's first few words: only its opening is read
    head = text[:_NOTE_WITHIN_CHARS]
    lower = head.lower()
    folded = fold_text(lower)
    opening = _DECORATION.sub("", head) if any(n in folded for n in _AUTHOR_NOTE_NEEDLES) else ""
    note = _AUTHOR_NOTE.search(opening) if _AUTHOR_NOTE is not None and opening else None
    if note is not None and len(_WORD.findall(opening[: note.start()])) <= _BEFORE_NOTE_WORDS:
        return Classification(ItemState.PLACEHOLDER, markers + 1, AUTHOR_NOTE)
    lines, prompts = _meaningful_lines(text, scan if markers else None)
    markers += prompts
    joined = " ".join(lines).strip()
    na = _NA.match(joined)
    if na:
        reason = _WORD.findall(joined[na.end() :])
        if len(reason) >= _MIN_JUSTIFICATION_WORDS:
            return Classification(ItemState.NOT_APPLICABLE, markers)
        return Classification(ItemState.PLACEHOLDER, markers, "marked N/A without a justification")
    if _NO_PUBLICATION.match(joined) and len(_WORD.findall(joined)) <= _SHORT_STATEMENT_WORDS:
        # "No paper accompanies this example.": the statement that there is nothing to cite is
        # itself the reason
        return Classification(ItemState.NOT_APPLICABLE, markers)
    if not _WORD.search(joined):
        if markers:
            return Classification(ItemState.PLACEHOLDER, markers, _TEMPLATE)
        return Classification(ItemState.PLACEHOLDER, 0, _EMPTY)
    if spans:
        rest = _without_deferred(text, spans)
        if rest is not None and not _WORD.search(" ".join(_meaningful_lines(rest, None)[0])):
            return Classification(ItemState.PLACEHOLDER, markers, _DEFERRED)
    return Classification(ItemState.PRESENT, markers, "partly unfilled" if markers else None)


_DEFERRED = "only says it will be documented elsewhere or later"
#: where a sentence or clause ends: ". ", "; ", a dash between clauses
#: (a new sentence starts with a capital, so "e.g. model selection" is one clause)
_CLAUSE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ])|\s+[—–]\s+|;\s*")
#: a clause that only points elsewhere ("Reference: QMS manual", "refer to the logging policy"),
#: or hedges ("High-level description only"), in the supported languages
_POINTER = re.compile(
    r"^\W*(?:references?\b|refer(?:s|ring)? to\b|see\b|siehe\b|verweis|voir\b|référence|vedi\b|riferimento|"
    r"véase\b|ver\b|referencia|zie\b|verwijzing|zob\.|patrz\b|odniesienie)"
    r"|\brefer(?:s)? to\b|\breference to\b"
    r"|\b(?:description|summary|overview|outline) only\b",
    re.I,
)


def _without_deferred(text: str, starts: list[int]) -> str | None:
    """The text without its clauses that hold a placeholder ("sources to be documented in full")
    and, when there were such clauses, without those that only point to another document; None
    when no clause held a placeholder. Table rows are kept whole (their cells are judged apart).
    What is left is what the section actually says: an Annex IV section that defers its subject
    and cites a manual says nothing yet. ``starts``: the offsets where placeholders start in
    ``text``, ascending."""
    kept: list[str] = []
    dropped = False
    k = 0
    pos = 0
    for line in text.split("\n"):
        line_end = pos + len(line)
        if line.lstrip().startswith("|"):
            kept.append(line)
        else:
            c_start = 0
            for m in (*_CLAUSE.finditer(line), None):
                c_end = m.start() if m is not None else len(line)
                while k < len(starts) and starts[k] < pos + c_start:
                    k += 1
                if k < len(starts) and starts[k] < pos + max(c_end, c_start + 1):
                    dropped = True
                else:
                    kept.append(line[c_start:c_end])
                if m is not None:
                    c_start = m.end()
        pos = line_end + 1
    if not dropped:
        return None
    return "\n".join(c for c in kept if not _POINTER.search(c))


def classify_section(own: str, full: str, placeholders: re.Pattern[str] = _PLACEHOLDERS) -> Classification:
    """A heading whose own body is an explicit placeholder ("[More Information Needed]", "TODO",
    a bare "N/A") is unfilled even when its subsections, which other items may own, hold text;
    a heading with no body of its own is judged by its subsections."""
    mine = classify_text(own, placeholders)
    if (mine.state is ItemState.PLACEHOLDER and mine.note != _EMPTY) or full == own:
        return mine  # (a section without subsections is its own text: classified once)
    return classify_text(full, placeholders)


def is_template_placeholder(c: Classification) -> bool:
    """A template's stand-in ("[More Information Needed]"), as opposed to an empty heading
    or a bare N/A."""
    return c.state is ItemState.PLACEHOLDER and c.note == _TEMPLATE


#: the prompts with the diacritics of their longer words dropped (folding.fold_long_words)
_FOLDED_PROMPTS = frozenset(fold_long_words(p) for p in PROMPTS)
#: PDF line-break hyphenation inside a word ("fair- ness"), undone before comparing with a prompt
_SOFT_HYPHEN = re.compile(r"(?<=[a-zà-ÿ])- (?=[a-zà-ÿ])")
_PROMPT_TRIM = re.compile(r"[\s.:;,?!]+$")


def _is_prompt(clean: str) -> bool:
    """A line that is only a template's question or heading prompt ("Primary intended uses",
    "Person or organization developing model"): a bullet an author has not answered yet."""
    if not PROMPTS or len(clean) > 200:
        return False
    key = _PROMPT_TRIM.sub("", _SOFT_HYPHEN.sub("", " ".join(clean.lower().split())))
    # typed with or without accents ("Wo konnen Sie ..."), as outline.py reads a unit folded
    return key in PROMPTS or fold_long_words(key) in _FOLDED_PROMPTS


#: a line that may hold only a prompt: it starts (after list or quote marks) with a prompt's first word
_PROMPT_START = re.compile(
    r"^[ \t>*+#_-]*(?:\d{1,3}[.)][ \t]+)?[*_]*(?:"
    + "|".join(sorted({re.escape(p.split()[0]) for p in PROMPTS if p.split()}, key=longest_first))
    + r")(?!\w)[^\n]{0,240}$",
    re.M | re.I,
)


def prompt_lines(text: str) -> list[tuple[int, str]]:
    """(0-based line, prompt) for each line of ``text`` holding only a template's prompt; one
    scan of the text for lines starting with a prompt's first word, each then compared whole."""
    if not PROMPTS:
        return []
    out: list[tuple[int, str]] = []
    line, pos = 0, 0
    for m in _PROMPT_START.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        p = prompt_line(m.group(0))
        if p is not None:
            out.append((line, p))
    return out


def prompt_line(line: str) -> str | None:
    """The prompt a line holds when it holds only a template's prompt ("* Citation details"),
    else None."""
    if not PROMPTS:
        return None
    clean = _DECORATION.sub("", line).strip()
    return clean if clean and _is_prompt(clean) else None


def _meaningful_lines(text: str, placeholders: re.Pattern[str] | None = _PLACEHOLDERS) -> tuple[list[str], int]:
    """The lines that carry content, and how many lines were only a template's prompt;
    ``placeholders`` None when the text holds none (the common case, which then skips a
    substitution per line)."""
    raw = text.splitlines()
    out: list[str] = []
    prompts = 0
    for i, line in enumerate(raw):
        if _HEADING_LINE.match(line) or _TABLE_SEP.match(line) or _FENCE_LINE.match(line):
            continue  # a fence's "```bibtex" names a language, it is not content
        if line.strip().startswith("|"):
            nxt = raw[i + 1] if i + 1 < len(raw) else ""
            if _TABLE_SEP.match(nxt):
                continue  # a table header names columns; it holds no content
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            stripped = [(placeholders.sub("", c) if placeholders else c).strip(" -–—?.") for c in cells]
            if not all(stripped) or any(_EMPTY_VALUE.match(c) for c in cells):
                continue  # a row with an unfilled value is unfilled
            out.append(" ".join(stripped))
            continue
        clean = _DECORATION.sub("", placeholders.sub("", line) if placeholders else line).strip()
        standin = _LABEL_STANDIN.search(clean)
        if standin is not None:
            clean = clean[: standin.start()] + ":"
        if _EMPTY_VALUE.match(clean) or (standin is not None and _WORD.search(standin.group(0))):
            prompts += 1  # "Not specified" stands where the value belongs: a marker, as TBD is
            continue
        if not clean or _LABEL_ONLY.match(clean) or not _WORD.search(clean):
            continue
        if _is_prompt(clean):
            prompts += 1
            continue
        out.append(clean)
    return out, prompts


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


_NUMBER = re.compile(r"\d")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\(|<img\b", re.I)
#: a reference to where the results are: "see", "in the paper", "in the model card", in the
#: supported languages (the pointers of deferred sections) or a link
_RESULTS_ELSEWHERE = re.compile(
    r"\b(?:paper|article|report|model card|appendix|annex|section)\b|\bin\s+(?:the|our)\s+\w+|\]\(https?:", re.I
)
RESULT_WITHOUT_VALUE = "names results without a value"


def without_value(cls: Classification, text: str) -> Classification:
    """A present section of a result item that holds no number, no image and points nowhere
    else ("Fairness metrics: accuracy, precision, recall") only names what would be measured:
    unfilled. Else ``cls`` unchanged."""
    if cls.state is not ItemState.PRESENT:
        return cls
    body = "\n".join(line for line in _COMMENT.sub("", text).splitlines() if not _HEADING_LINE.match(line))
    if _NUMBER.search(body) or _IMAGE.search(body) or _POINTER.search(body) or _RESULTS_ELSEWHERE.search(body):
        return cls
    return Classification(ItemState.PLACEHOLDER, cls.markers, RESULT_WITHOUT_VALUE)
