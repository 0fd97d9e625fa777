"""Is a section an OUTLINE: does it only say what should be written there?

Some Annex IV documents and hub templates are outlines: every section holds the topics its
author is to write about ("Name and version of the AI system", "Describe the data sources",
"[Provide the accuracy]", "Include: ...", questions), with no value and no statement about a
concrete system. Careful readers label the items of such sections ``placeholder`` (issue 17,
seventh round; the reading rules in the headers of the spent label files); read by headings and
key phrases they look filled.

The reading is structural and light on language. A section's text is cut into units (list
items, table rows, sentences of its paragraphs); each unit is

- a **value** when it holds something concrete: a number with a unit or a percentage, a decimal
  or a metric value, a date or a year, a version, a URL, an e-mail address, a code span, a
  thousands-grouped count. Examples the text gives ("(e.g. 0.9)", "such as ISO 27001",
  "(CPU, GPU, etc.)") and references to parts of a text ("Article 15", "Section 4.3") are not;
- a **prompt** when it asks for content: it opens with an instruction verb ("Describe",
  "Provide", "Beschreiben Sie"), uses a modal ("should", "must", "muss"), ends with a question
  mark, gives examples ("e.g.", "such as"), or is a bracketed instruction ("[Provide ...]");
- a **statement** when it is a sentence about something: a finite auxiliary or copula ("is",
  "was", "has", "wird", "est", "è", "es", "is", "jest") among the first five words of its clause
  (later, it qualifies a noun: "the settings it is deployed in"), or a full stop after five words
  or more; and no modal;
- a **topic** otherwise: a bare noun phrase ("Data splitting methodology").

A section is outline-like when it has units, none of them a value or a statement. It is
*judged* an outline when its prompts are at least a third of its units, or when the document as
a whole is outline-like (most of its sections are, and none states a value). So a filled
document whose short bullets are noun phrases ("Framework: scikit-learn", "Owner: risk team")
is not flipped for them: it has values or statements elsewhere.

The words (instruction verbs, modals, auxiliaries, example markers, reference words) are the
lexicon's ``outline_*`` lists: data a user extends for another language. They match with or
without their accents ("Décrivez"/"Decrivez", "erläutern"/"erlautern"): the lists and a section's
text are folded alike (:func:`folding.fold_long_words`), the lists once, a section's text once
when it is read; words shorter than five letters are matched as typed, since their accent tells
two words apart ("è" is a verb, "e" a conjunction).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from tef_harness.checks.documentation.folding import fold_long_words
from tef_harness.checks.documentation.lexicon import OUTLINE_WORDS
from tef_harness.checks.documentation.parsing import ParsedDocument, Section
from tef_harness.checks.documentation.states import prompt_line
from tef_harness.checks.documentation.uses import FENCED_BLOCK
from tef_harness.sdk.alternation import longest_first

#: share of a section's units that must ask for content for it to be an outline on its own
PROMPT_SHARE = 1 / 3
#: share of a document's judged sections that must be outline-like for the whole to be an outline
DOCUMENT_SHARE = 0.6
#: a unit of this many words or more ending in a full stop is a sentence, whatever its verb
SENTENCE_WORDS = 5
#: a finite verb says something when it is among the first words of a clause (after its subject)
FINITE_WITHIN = 5
#: a document needs this many judged sections before it can be called an outline as a whole
DOCUMENT_MIN_SECTIONS = 3


class _Words:
    """A word list of the lexicon as one pattern (``template`` with ``{}`` for the alternation).
    The words are folded (:func:`folding.fold_long_words`) and matched in folded text,
    case-insensitively, whole (a word ending in "." such as "etc." or "art." needs no boundary
    after it); one boundary around the whole alternation keeps the scan fast, for a
    30,000-section card has a hundred thousand units.

    Given the words of the unit holding the text (``among``, :func:`_unit_words`), only the
    phrases whose first word is among them are scanned for, and none when no first word is: a
    phrase starts at a word boundary, so its first word is a whole word of any text it occurs
    in. The match is the same (the leftmost, and there the first phrase in the list's order),
    and a short alternation scans several times faster than the whole list."""

    def __init__(self, words: tuple[str, ...], template: str = "{}") -> None:
        self.template = template
        self.phrases = sorted({fold_long_words(p.strip()) for p in words if p.strip()}, key=longest_first)
        self.pattern = self._compile(self.phrases)
        starts = [_FIRST_WORD.match(p.lower()) for p in self.phrases]
        #: each phrase's first word, lower case; None when some phrase starts with no word
        self.firsts: tuple[str, ...] | None = tuple(m.group(0) for m in starts if m) if all(starts) else None
        self._first_words = frozenset(self.firsts or ())
        self._narrowed: dict[frozenset[str], re.Pattern[str]] = {}

    def _compile(self, phrases: list[str]) -> re.Pattern[str]:
        alternation = "|".join(r"\s+".join(re.escape(w) for w in phrase.split()) for phrase in phrases)
        # a lookahead for the phrases' first letters lets the scan skip to where one may start
        starts = "".join(sorted({re.escape(p[0].lower()) for p in phrases}))
        return re.compile(
            self.template.format(f"(?=[{starts}])" + r"(?<!\w)(?:" + alternation + r")(?:(?<=\.)|(?!\w))"), re.I
        )

    def _for(self, among: frozenset[str] | None) -> re.Pattern[str] | None:
        """The pattern to scan a text whose unit has the words ``among`` with; None when no phrase
        can occur in it."""
        if among is None or self.firsts is None:
            return self.pattern
        present = self._first_words & among
        if not present:
            return None
        pattern = self._narrowed.get(present)
        if pattern is None and (len(present) > _NARROW_WORDS or len(self._narrowed) >= _NARROWED_PATTERNS):
            return self.pattern  # (a bounded number of patterns is compiled for a card of any size)
        if pattern is None:
            kept = [p for p, first in zip(self.phrases, self.firsts, strict=True) if first in present]
            pattern = self._narrowed.setdefault(present, self._compile(kept))
        return pattern

    def search(self, text: str, among: frozenset[str] | None = None) -> re.Match[str] | None:
        pattern = self._for(among)
        return None if pattern is None else pattern.search(text)

    def sub(self, repl: str, text: str, among: frozenset[str] | None = None) -> str:
        pattern = self._for(among)
        return text if pattern is None else pattern.sub(repl, text)


_FIRST_WORD = re.compile(r"\w+")
#: a list is narrowed to the phrases of at most this many first words (most units have one) ...
_NARROW_WORDS = 2
#: ... and keeps at most this many narrowed patterns
_NARROWED_PATTERNS = 512


@lru_cache(maxsize=4096)
def _unit_words(unit: str) -> frozenset[str]:
    """The words of a unit, lower case: the texts a unit's readers scan are parts of it cut at
    non-word characters, so their words are among these. Read once per unit (its readers ask
    one after the other)."""
    return frozenset(_FIRST_WORD.findall(unit.lower()))


def _words(key: str, template: str = "{}") -> _Words | None:
    words = OUTLINE_WORDS.get(key, ())
    return _Words(words, template) if words else None


_INSTRUCTION_START = _words("outline_instructions", r"^(?:{})")
_INSTRUCTION_ANY = _words("outline_instructions")
_MODAL = _words("outline_modals")
_RELATIVE = _words("outline_relatives")
_FINITE = _words("outline_finite_verbs")
_EXAMPLE = _words("outline_examples")
_EXAMPLE_END = _words("outline_examples", r"(?:{})[\s)\]]*$")
#: a number that numbers a part of a text ("Article 15", "Section 4.3", "Art. 9"): not a value
_REFERENCE_NUMBER = _words("outline_references", r"(?:{})\s*\d+(?:[.()]\d*[a-z]?\)?)*")

#: the part of a unit that gives examples: "(e.g. CPU, GPU)", "(..., etc.)", "such as X, Y"
_PAREN = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")

#: values written with markup: a URL, an e-mail address, a code span (a file, a class, a value)
_MARKED_VALUE = re.compile(r"https?://|www\.|[\w.+-]+@[\w-]+\.[\w.]+|`[^`\n]+`", re.I)
#: values written with digits (each needs one; scanned apart from the markup, whose e-mail
#: branch would try every word of a unit that has no "@")
_VALUE = re.compile(
    # every value starts with a digit or a "v" ("v2"): the lookahead lets the scan skip to one
    r"(?=[\dv])(?:"
    r"\d(?:[\d.,]*\d)?\s?%"  # a percentage
    r"|(?<![\w.])\d+[.,]\d+(?![\w.])"  # a decimal (a metric value, a size), not "4.1.2"
    r"|(?<![\w.])v?\d+\.\d+\.\d+(?![\d])"  # a version
    r"|(?<!\w)v\d+(?:\.\d+)?(?!\w)"  # "v2", "v1.3"
    r"|(?<![\w.])(?:19|20)\d\d(?:[-/.]\d\d?(?:[-/.]\d\d?)?)?(?![\w])"  # a year or a date
    r"|(?<!\w)\d{1,3}(?:[,  ]\d{3})+(?!\d)"  # a thousands-grouped count
    r"|(?<![\w.])\d+\s?(?:[KMGTP]i?B|ms|s|h|min|hours?|days?|epochs?|steps?|samples?|records?|rows?|images?"
    r"|tokens?|parameters?|params|layers?|GPUs?|CPUs?|cores?|users?|patients?|[kKMB]\b)(?!\w)"
    r")",
    re.I,
)
_MAYBE_VALUE = re.compile(r"[\d@`]|://|www\.")
#: an instruction in brackets: "[Provide the model's accuracy]", "<describe ...>"
_BRACKETED = re.compile(r"^\s*[\[<{][^\]>}]{3,}[\]>}]\s*[.:]?\s*$")
_LIST_MARK = re.compile(r"^\s{0,8}(?:[-+*•]|\d{1,3}[.)]|[a-z][.)])\s+")
_DECORATION = re.compile(r"[*_>`#|]+|\s+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$|^\s*\|?\s*:?-{3,}")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
#: a sentence ends after a word of three letters or more (not after "e.g." or "z. B.")
_SENTENCE_END = re.compile(r"(?=\s)(?:(?<=[^\W\d_]{3}[.!?;])|(?<=[)\]\d][.!?;]))\s+(?=[A-ZÀ-Ý\d\"'(])")
_WORD = re.compile(r"[^\W\d_]{2,}")
#: an unticked checkbox ("- [ ] ...", "| [ ] Complete [ ] Partial |", "☐") and a ticked one
_UNTICKED = re.compile(r"\[\s\]|☐")
_TICKED = re.compile(r"\[[xX✓✔]\]|[☑☒✅]")
#: the number a checklist gives its requirement ("1.1.2", "12.", "4)"): a name, not a value
_ITEM_NUMBER = re.compile(r"^\s*(?:[A-Z](?:\.\d{1,3})+|\d{1,3}(?:\.\d{1,3})*)[.)]?\s+")


@dataclass(frozen=True)
class SectionReading:
    """How a section's text reads: counts of its units by kind."""

    units: int
    values: int
    statements: int
    prompts: int
    #: units that are a checklist's open requirement ("1.2 Data described [ ] Complete"), of the prompts
    todos: int = 0

    @property
    def outline_like(self) -> bool:
        """Units, and none of them a value or a statement."""
        return self.units > 0 and self.values == 0 and self.statements == 0

    @property
    def asks(self) -> bool:
        """Outline-like, and it asks for content often enough to be an outline on its own."""
        return self.outline_like and self.prompts >= PROMPT_SHARE * self.units

    @property
    def checklist(self) -> bool:
        """Outline-like, and half its units or more are a checklist's open requirements: it
        asks whether something was documented elsewhere, it is no place to write it."""
        return self.outline_like and 2 * self.todos >= self.units


def units(text: str) -> list[str]:
    """The units of a section's Markdown: list items and table rows whole, paragraphs cut into
    sentences. Headings, rules, code blocks and comments are not units."""
    return list(iter_units(text))


def iter_units(text: str) -> Iterator[str]:
    """:func:`units`, one at a time: a reader that stops at a section's first value or
    statement cuts no more of it (a 30,000-section card has as many sections to read)."""
    # (the scans only where they can match)
    if "```" in text or "~~~" in text:
        text = FENCED_BLOCK.sub(" ", text)
    if "<!--" in text:
        text = _COMMENT.sub(" ", text)
    paragraph: list[str] = []

    def sentences() -> list[str]:
        out = _SENTENCE_END.split(" ".join(paragraph)) if paragraph else []
        paragraph.clear()
        return out

    for line in text.splitlines():
        found: list[str]
        stripped = line.strip()
        if stripped[:1].isupper():
            # (a line opening with a capital letter is no heading, rule, table or list item)
            paragraph.append(stripped)
            continue
        if not stripped or _HEADING.match(line) or _RULE.match(line):
            found = sentences()
        elif line.lstrip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            found = [*sentences(), " | ".join(c for c in cells if c)]
        elif _LIST_MARK.match(line):
            found = [*sentences(), _LIST_MARK.sub("", line, count=1)]  # a list item is one unit
        else:
            paragraph.append(stripped)
            continue
        for unit in found:
            if _WORD.search(unit):
                yield " ".join(_DECORATION.sub(" ", unit).split())
    for unit in sentences():
        if _WORD.search(unit):
            yield " ".join(_DECORATION.sub(" ", unit).split())


def todo(unit: str) -> str | None:
    """The requirement of a checklist unit that is not done yet, or None when the unit is no
    such thing. A unit with an unticked box and no ticked one is a to-do: "[ ] Describe the data
    sources" (a task list) names its requirement after the box, "1.1.2 Provider name provided
    [ ] Complete [ ] Partial" (a table of requirements with status choices) before the boxes;
    the requirement's own number ("1.1.2", "A.2") is its name, not a value."""
    if _UNTICKED.search(unit) is None or _TICKED.search(unit) is not None:
        return None
    parts = _UNTICKED.split(unit, 2)
    text = parts[0] if _WORD.search(parts[0]) else parts[1]
    return _ITEM_NUMBER.sub("", text).strip()


def _without_examples(unit: str) -> str:
    """The unit without the examples it gives: a parenthesis or bracket holding an example
    marker goes, and so does everything after an example marker outside one."""
    among = _unit_words(unit)
    if _EXAMPLE is None or _EXAMPLE.search(unit, among) is None:
        return unit  # (the text holds no example marker, in brackets or out)
    unit = _PAREN.sub(lambda m: " " if _EXAMPLE.search(m.group(0)) else m.group(0), unit)
    m = _EXAMPLE.search(unit)
    return unit[: m.start()] if m else unit


def has_value(unit: str) -> bool:
    """The unit holds something concrete outside its examples and its references (``unit`` as
    typed: it is folded here)."""
    return _has_value(fold_long_words(unit))


# The unit readers below take a unit as read_section passes it: folded once (fold_long_words),
# as the word lists are.
def _has_value(unit: str) -> bool:
    if _MAYBE_VALUE.search(unit) is None:
        return False  # every kind of value holds a digit, an "@", a backtick or a web address
    text = _without_examples(unit)
    if _REFERENCE_NUMBER is not None:
        text = _REFERENCE_NUMBER.sub(" ", text, _unit_words(unit))
    if ("@" in text or "`" in text or "://" in text or "www." in text) and _MARKED_VALUE.search(text):
        return True
    return bool(_VALUE.search(text))


def asks_directly(unit: str) -> bool:
    """The unit is an instruction: a bracketed one, a question, or one opening with an
    instruction verb (itself or a label's value: "Data sources: describe ...")."""
    stripped = unit.strip()
    if _BRACKETED.match(stripped) or stripped.rstrip(" .").endswith("?"):
        return True
    body = stripped.split(":", 1)[1].strip() if ":" in stripped[:60] else ""
    starts = [stripped, body] if body else [stripped]
    among = _unit_words(unit)
    return _INSTRUCTION_START is not None and any(_INSTRUCTION_START.search(s, among) for s in starts)


def asks_indirectly(unit: str) -> bool:
    """The unit gives examples of what to write ("e.g.", "such as"), or a modal with an
    instruction verb makes it a rule for the author ("Documentation must include: ...")."""
    among = _unit_words(unit)
    if _EXAMPLE is not None and _EXAMPLE.search(unit, among):
        return True
    return bool(_MODAL and _INSTRUCTION_ANY and _MODAL.search(unit, among) and _INSTRUCTION_ANY.search(unit, among))


def answers_prompt(unit: str) -> bool:
    """The unit is a known template prompt answered after its colon ("Primary intended uses:
    screening incoming invoices"): the author wrote there, whatever the answer's form."""
    label, colon, value = unit.partition(":")
    return bool(colon and value.strip() and prompt_line(label) is not None)


def is_statement(unit: str) -> bool:
    """The unit says something: a finite verb before any relative word ("regions where the
    system will be deployed" names a topic), or five words or more ending in a full stop, or a
    template prompt answered; and no modal makes it a rule."""
    if answers_prompt(unit):
        return True
    among = _unit_words(unit)
    if _MODAL is not None and _MODAL.search(unit, among):
        return False
    words = unit.split()
    # a label's value is the clause ("Training: the model was fitted on ..."); a finite verb
    # counts near its start, where a sentence has it after its subject; later it is in a
    # clause qualifying a noun ("the settings it is deployed in", "regions where it runs")
    clause = unit.split(":", 1)[1] if ":" in unit[:60] else unit
    head = " ".join(clause.split()[:FINITE_WITHIN])
    if _RELATIVE is not None:
        m = _RELATIVE.search(head, among)
        if m is not None and m.start() > 0:
            head = head[: m.start()]
    if _FINITE is not None and len(words) >= 3 and _FINITE.search(head, among):
        return True
    # (an "etc." that ends a list of examples is no full stop)
    ends = unit.rstrip().endswith((".", "!")) and not (_EXAMPLE_END is not None and _EXAMPLE_END.search(unit, among))
    return len(words) >= SENTENCE_WORDS and ends


def read_section(text: str, *, until_filled: bool = False) -> SectionReading:
    """Counts of the units of ``text`` (a section's Markdown) by kind; a value or a statement
    wins over a prompt (a unit giving a figure is filled), a statement over examples ("it reads
    inputs such as invoices" says something). ``until_filled``: stop at the first value or
    statement (the section is then filled, and its other counts are partial). The text is
    folded once, here, to meet the folded word lists."""
    values = statements = prompts = todos = count = 0
    for unit in iter_units(fold_long_words(text)):
        count += 1
        requirement = todo(unit)
        if requirement is not None:
            # a checklist's open requirement asks for content, unless it already gives a value
            if _has_value(requirement):
                values += 1
            else:
                prompts, todos = prompts + 1, todos + 1
        elif _has_value(unit):
            values += 1
        elif asks_directly(unit):
            prompts += 1
        elif is_statement(unit):
            statements += 1
        elif asks_indirectly(unit):
            prompts += 1
        if until_filled and (values or statements):
            break
    return SectionReading(count, values, statements, prompts, todos)


def _plus(a: SectionReading, b: SectionReading) -> SectionReading:
    return SectionReading(
        a.units + b.units, a.values + b.values, a.statements + b.statements, a.prompts + b.prompts, a.todos + b.todos
    )


class OutlineReader:
    """Which sections of a document are outlines, judged once per section.

    A heading's reading is over its whole text (subsections included: a "5. Technical
    specifications" whose subsections are topic lists is one); a label or a key is read in the
    heading that holds it (a bold label's value alone is too short to judge)."""

    def __init__(self, doc: ParsedDocument) -> None:
        self.doc = doc
        #: heading -> reading of its own text (before its first subsection), read once
        self._own: dict[int, SectionReading] = {}
        #: own text -> its reading, for texts that repeat
        self._by_text: dict[str, SectionReading] = {}
        #: heading -> reading of its whole text, summed from its own and its subsections'
        self._whole: dict[int, SectionReading] = {}
        self._subsections: dict[int, list[int]] | None = None
        self._is_outline_doc: bool | None = None
        #: section -> why it is an outline (or None), judged once: every item whose place it is asks
        self._why: dict[int, str | None] = {}

    def _below(self, index: int) -> list[int]:
        """The headings directly below heading ``index``."""
        if self._subsections is None:
            below: dict[int, list[int]] = {}
            for i, s in enumerate(self.doc.sections):
                if s.kind == "heading" and s.parents:
                    below.setdefault(s.parents[-1], []).append(i)
            self._subsections = below
        return self._subsections.get(index, [])

    def own(self, index: int) -> SectionReading:
        """The reading of the heading's own text; a filled one is read only up to its first
        value or statement (a 30,000-section card is read once, and stops early where filled)."""
        if index not in self._own:
            text = self.doc.sections[index].own
            # a reading depends on the text alone: a template's repeated "[More Information
            # Needed]" or a generator's repeated boilerplate is read once
            reading = self._by_text.get(text)
            if reading is None:
                reading = self._by_text.setdefault(text, read_section(text, until_filled=True))
            self._own[index] = reading
        return self._own[index]

    def reading(self, index: int) -> SectionReading:
        """The reading of heading ``index`` with its subsections: its own text's and theirs,
        summed (the text of a heading is its own text followed by its subsections')."""
        if index not in self._whole:
            total = self.own(index)
            for child in self._below(index):
                total = _plus(total, self.reading(child))
            self._whole[index] = total
        return self._whole[index]

    def outline_document(self) -> bool:
        """Most of the document's headings without subsections are outline-like, and at most
        one in five of its headings with text of their own states a value or a statement."""
        if self._is_outline_doc is None:
            headings = [i for i, s in enumerate(self.doc.sections) if s.kind == "heading" and self.own(i).units]
            leaves = [i for i in headings if not self._below(i)]
            like = sum(self.reading(i).outline_like for i in leaves)
            filled = sum(not self.own(i).outline_like for i in headings)
            self._is_outline_doc = (
                len(leaves) >= DOCUMENT_MIN_SECTIONS
                and like >= DOCUMENT_SHARE * len(leaves)
                and filled <= max(1, len(headings) // 5)
            )
        return self._is_outline_doc

    def host(self, index: int) -> int | None:
        """The heading whose text is judged for section ``index``: itself, or for a label or
        key the nearest heading above it."""
        section = self.doc.sections[index]
        if section.kind == "heading":
            return index
        return next((p for p in reversed(section.parents) if self.doc.sections[p].kind == "heading"), None)

    def why(self, index: int | None) -> str | None:
        """Why section ``index`` (or the heading holding it) is an outline, or None when it is
        not judged one."""
        if index is None:
            return None
        if index not in self._why:
            host = self.host(index)
            reading = self.reading(host) if host is not None else None
            judged = reading is not None and reading.outline_like and (reading.asks or self.outline_document())
            self._why[index] = outline_note(self.doc.sections[host]) if judged and host is not None else None
        return self._why[index]

    def checklist(self, index: int) -> bool:
        """Section ``index`` (or the heading holding it) is an outline that is a checklist of
        open requirements ("12.1 EU declaration of conformity prepared [ ] Complete")."""
        host = self.host(index)
        return host is not None and self.why(index) is not None and self.reading(host).checklist


#: where a unit's topics divide: a label's colon, commas, semicolons, slashes between words
_TOPIC_SPLIT = re.compile(r"\s*[:;,]\s+|\s*:\s*$|(?<=\w)/(?=\w)")
#: a topic longer than this is a sentence, not a name
TOPIC_WORDS = 8


def outline_topics(text: str) -> list[str]:
    """The topics the units of an outline section name: each unit whole when short, and its
    parts between a label's colon, commas and semicolons ("Provider: name, address" gives
    "Provider", "name", "address")."""
    out: list[str] = []
    for unit in units(text):
        unit = todo(unit) or unit  # a checklist row names its requirement, not its status boxes
        parts = [unit, *_TOPIC_SPLIT.split(_PAREN.sub(" ", unit))]
        out += [p.strip() for p in parts if _WORD.search(p) and len(p.split()) <= TOPIC_WORDS]
    return list(dict.fromkeys(out))


def outline_note(section: Section) -> str:
    """The evidence text for an item whose place is an outline section."""
    return f"section '{section.heading}' only says what to write: no values or statements"
