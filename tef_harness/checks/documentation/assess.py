"""Score documents against a profile: one state per item, then findings and metrics.

An item is looked for under every heading, bold label or YAML key that names it (see
:mod:`headings`: normalised, fuzzy, one heading able to name several items, or the item's id,
e.g. "Hardware (AIV-1e)"), and in its front-matter keys. When several places match, the best
state wins: a reader who finds the item filled in anywhere counts it as present. When no place
is named for it, its key phrases ("developed by", "entwickelt von") are looked for in the text
of the other sections, as a reader finds an item written as prose under another heading; the
location then says so. An item found nowhere says what was looked for.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pydantic import JsonValue

from tef_harness.api import Dimensions, Finding, ItemStates, Metric, Severity
from tef_harness.api import ItemState as ItemStateView
from tef_harness.checks.documentation.folding import fold_text, fold_word
from tef_harness.checks.documentation.headings import HeadingMatcher
from tef_harness.checks.documentation.lexicon import phrase_pattern
from tef_harness.checks.documentation.outline import OutlineReader, outline_topics
from tef_harness.checks.documentation.parsing import ParsedDocument, Section
from tef_harness.checks.documentation.profiles import DocumentationProfile, ProfileItem
from tef_harness.checks.documentation.states import (
    AUTHOR_NOTE,
    Classification,
    ItemState,
    classify_section,
    classify_text,
    classify_value,
    is_template_placeholder,
    placeholder_regex,
    prompt_lines,
    without_value,
)
from tef_harness.checks.documentation.uses import about_document, negated_use, states_no_use


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


#: alias rank of a heading carrying the item's id (0) or its title (1): the section made for it
_TITLE_RANK = 1


@lru_cache(maxsize=32)
def _matcher_for(items: tuple[ProfileItem, ...]) -> HeadingMatcher:
    return HeadingMatcher((i.id, i.aliases) for i in items)


@lru_cache(maxsize=256)
def _phrase_regex(phrases: tuple[str, ...], ascii_text: bool = False) -> re.Pattern[str] | None:
    return re.compile(phrase_pattern(phrases, ascii_text), re.I) if phrases else None


#: a table row ending in an empty or stand-in cell: "| Accuracy | None |", "| Owner | |"
_UNFILLED_CELL = re.compile(r"\|\s*(?:none|null|nan|\.{2,}|…|\?+)?\s*\|\s*$", re.I)
#: comments, styles and scripts (a skops model plot embeds both) are not documentation
_NOT_PROSE = re.compile(r"<!--.*?(?:-->|\Z)|<style\b.*?(?:</style>|\Z)|<script\b.*?(?:</script>|\Z)", re.S | re.I)
#: an ATX heading line
_HEADING_TEXT = re.compile(r"^\s{0,3}#{1,6}\s")
#: a line of raw HTML (a skops model plot) is markup too
_HTML_LINE = re.compile(r"^[ \t]*<(?!https?:)[A-Za-z/][^\n]*$", re.M)


def _blank_keeping_lines(m: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", m.group(0))


#: a fenced block: its opening fence, info string, body and closing fence (or the end of the text)
_FENCED = re.compile(
    r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)\n(?P<body>.*?)"
    r"(?:^ {0,3}(?P=fence)[`~]*[ \t]*$|\Z)",
    re.M | re.S,
)
_CODE_SPAN = re.compile(r"<code\b[^>]*>.*?</code>", re.S | re.I)
#: info strings of fences that hold prose a reader reads: a declaration written in a text block
_PROSE_FENCES = frozenset({"", "text", "txt", "plain", "plaintext", "markdown", "md", "none", "quote", "note"})
#: info strings of fences that hold a citation entry, and the field of it a reader reads: who wrote
#: the work ("author = {Ada Lovelace and ...}") says who made the model the card cites itself for
_CITATION_FENCES = frozenset({"bibtex", "bib", "biblatex", "tex", "latex"})
_CITATION_AUTHOR = re.compile(r"^\s*author\s*=.*$", re.I | re.M)
#: an untagged or mistagged block that opens a citation entry: "@article{key,", "@misc{"
_CITATION_ENTRY = re.compile(r"^\s*@[A-Za-z]+\s*\{")
#: a line that reads as code: an import, an assignment, a call, a shell prompt, a comment marker,
#: a brace or bracket line, a statement ending in ';'
_CODE_LINE = re.compile(
    r"^\s*(?:(?:from\s+\S+\s+)?import\s|\$\s|>>>|#!|//|def\s|class\s|return\b|print\(|pip\s|python\s|"
    r"[\w.\[\]'\"]+\s*=[^=]|[\w.]+\(.*\)\s*$|[{}\[\]()]+,?\s*$)|;\s*$"
)


def _blank_code(text: str) -> str:
    """Example code is not a statement about the model: a Python string "limitations" in a usage
    snippet is no evidence. Blank (keeping line numbers) fenced blocks whose info string names a
    language other than text, ``<code>`` spans, and untagged blocks that look like code (half of their lines or
    more read as code); a declaration written in a ```text block, or an untagged block of prose,
    stays readable."""
    if "<code" in text or "<CODE" in text:
        # <code> spans are literal values (a generated card's table of training samples)
        text = _CODE_SPAN.sub(_blank_keeping_lines, text)
    if "```" not in text and "~~~" not in text:
        return text

    def repl(m: re.Match[str]) -> str:
        info = m.group("info").strip().split()
        lang = info[0].lower() if info else ""
        if lang in _PROSE_FENCES:
            lines = [ln for ln in m.group("body").splitlines() if ln.strip()]
            if lang or not lines or sum(bool(_CODE_LINE.match(ln)) for ln in lines) * 2 < len(lines):
                return m.group(0)
        blank = _blank_keeping_lines(m)
        if lang in _CITATION_FENCES or _CITATION_ENTRY.match(m.group("body")):
            # an entry's author lines stay readable, at their place; the rest of it is code
            for a in _CITATION_AUTHOR.finditer(m.group(0)):
                blank = blank[: a.start()] + a.group(0) + blank[a.end() :]
        return blank

    return _FENCED.sub(repl, text)


def _describe(doc: ParsedDocument, section: Section) -> str:
    what = {"heading": "heading", "label": "label", "key": "key"}[section.kind]
    return f"{doc.name}: {what} '{section.heading}' (line {section.line})"


class _Phrases:
    """Finds an item's key phrases in a document's text and says where they are."""

    def __init__(self, doc: ParsedDocument, placeholders: re.Pattern[str], *, in_code: bool = False) -> None:
        self.doc = doc
        self.placeholders = placeholders
        # comments are instructions to the author, not documentation: blank them, keeping
        # offsets (and so line numbers) unchanged
        blank = _blank_keeping_lines
        prose = _HTML_LINE.sub(blank, _NOT_PROSE.sub(blank, doc.body))
        # example code is evidence only for items about code (how to get started)
        self.text = prose if in_code else _blank_code(prose)
        #: an ASCII text is scanned with simpler patterns (no classes of accented letters)
        self.ascii = self.text.isascii()
        self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        heads = [(s.line, i) for i, s in enumerate(doc.sections) if s.kind != "label"]
        self._head_lines = [line for line, _ in heads]
        self._head_index = [i for _, i in heads]
        #: section line -> whether its own text is a note to the author (see _is_note)
        self._notes: dict[int, bool] = {}
        #: which sections only say what to write (issue 17, seventh round)
        self.outlines = OutlineReader(doc)

    def line_of(self, pos: int) -> int:
        return bisect.bisect_right(self._newlines, pos - 1) + self.doc.body_line

    def section_at(self, line: int) -> Section | None:
        k = bisect.bisect_right(self._head_lines, line) - 1
        return self.doc.sections[self._head_index[k]] if k >= 0 else None

    def outline_at(self, line: int) -> str | None:
        """Why the heading holding ``line`` is an outline, or None."""
        k = bisect.bisect_right(self._head_lines, line) - 1
        return self.outlines.why(self._head_index[k]) if k >= 0 else None

    def outline_topics(self) -> list[tuple[int, str, str]]:
        """(section index, topic, why) for each topic an outline section names ("Data sources"
        and "origin of the data" of "- Data sources: origin of the data"), computed once."""
        if not hasattr(self, "_topics"):
            self._topics: list[tuple[int, str, str]] = []
            by_text: dict[str, list[str]] = {}  # a template repeats its outline sections' text
            for i, section in enumerate(self.doc.sections):
                why = self.outlines.why(i) if section.kind == "heading" else None
                if why is not None:
                    topics = by_text.get(section.own)
                    if topics is None:
                        topics = by_text.setdefault(section.own, outline_topics(section.own))
                    self._topics += [(i, t, why) for t in topics]
        return self._topics

    def topics_naming(self, matcher: HeadingMatcher) -> dict[str, list[tuple[int, str, str]]]:
        """:meth:`outline_topics` by the items each names (in document order), each topic
        matched once, not once per item looking for it. ``matcher``: the one of the assessment
        that made this finder (one profile per assessment)."""
        if not hasattr(self, "_topics_by_item"):
            self._topics_by_item: dict[str, list[tuple[int, str, str]]] = {}
            named: dict[str, dict[str, int]] = {}
            for topic in self.outline_topics():
                items = named.get(topic[1])
                if items is None:
                    items = named.setdefault(topic[1], matcher.match(topic[1]))
                for item_id in items:
                    self._topics_by_item.setdefault(item_id, []).append(topic)
        return self._topics_by_item

    def prompts(self) -> list[tuple[int, str]]:
        """(line, prompt) for each line holding only a template's prompt, computed once."""
        if not hasattr(self, "_prompts"):
            self._prompts = [(i + self.doc.body_line, p) for i, p in prompt_lines(self.text)]
        return self._prompts

    def prompts_naming(self, matcher: HeadingMatcher) -> dict[str, tuple[int, str]]:
        """The first template prompt (line, prompt) naming each item, each prompt matched once
        (``matcher`` as for :meth:`topics_naming`)."""
        if not hasattr(self, "_prompts_by_item"):
            self._prompts_by_item: dict[str, tuple[int, str]] = {}
            for hit in self.prompts():
                for item_id in matcher.match(hit[1]):
                    self._prompts_by_item.setdefault(item_id, hit)
        return self._prompts_by_item

    def _heads_filled(self, line: int) -> bool:
        """The heading on ``line`` has text of its own below it."""
        section = self.section_at(line)
        return (
            section is not None
            and section.line == line
            and classify_text(section.own, self.placeholders).state is ItemState.PRESENT
        )

    def _is_note(self, section: Section) -> bool:
        """The section's own text is a generator's note to the author ("MANUAL INPUT REQUIRED")."""
        key = section.line
        if key not in self._notes:
            self._notes[key] = classify_text(section.own, self.placeholders).note == AUTHOR_NOTE
        return self._notes[key]

    def present(self, phrases: Sequence[str]) -> tuple[str, ...]:
        """The phrases that can occur in this document: a literal phrase whose first word is
        nowhere in the text is dropped before any regular expression scans a large card."""
        if not hasattr(self, "_lower"):
            # folded like the phrases' words, so "Métriques" is looked for in a card that
            # writes "Metriques" (the scan itself matches either spelling)
            self._lower = fold_text(self.text)
        return tuple(p for p in phrases if p.startswith("re:") or fold_word(p.rstrip("*").split()[0]) in self._lower)

    def find(
        self, pattern: re.Pattern[str], within: Sequence[Section] | None
    ) -> tuple[ItemState, str, str | None] | None:
        """State, location and (when it says more than the state) the reason of the first
        phrase match on a line that is not itself unfilled (present); failing that, of the first
        match on an unfilled line ("Threshold | None": placeholder) or in an outline section.
        Only in the text of ``within`` sections when given."""
        unfilled: str | None = None
        outline: str | None = None
        texts: list[tuple[str, int]]
        if within is None:
            texts = [(self.text, 0)]
        else:
            texts = []
            for s in within:
                offset = self.doc.body.find(s.text) if s.text else -1
                texts.append((self.text[offset : offset + len(s.text)] if offset >= 0 else s.text, offset))
        for text, offset in texts:
            for m in pattern.finditer(text):
                if negated_use(text, m.start()):
                    continue  # "not intended for": what the model is not for
                start = text.rfind("\n", 0, m.start()) + 1
                stop = text.find("\n", m.end())
                line_text = text[start : stop if stop >= 0 else len(text)]
                section: Section | None = None
                if offset < 0:
                    where = f"{self.doc.name}: text '{m.group(0)}'"
                else:
                    line = self.line_of(offset + m.start())
                    section = self.section_at(line)
                    under = f" under '{section.heading}'" if section is not None else ""
                    where = f"{self.doc.name}: text '{m.group(0)}'{under} (line {line})"
                marked = bool(self.placeholders.search(line_text) or _UNFILLED_CELL.search(line_text))
                if not marked and section is not None and line_text.lstrip().startswith(">") and self._is_note(section):
                    # an example in a note to the author, quoted as a generator writes one ("> The
                    # declaration must state: ... sole responsibility") names what is asked for, it
                    # does not state it (a table after a note still names its rows)
                    marked = True
                if not marked:
                    cls = classify_text(line_text, self.placeholders)
                    filled = cls.state is ItemState.PRESENT or (
                        # a title says it ("# Detector pre-trained on Parcels-2"), over text
                        offset >= 0 and _HEADING_TEXT.match(line_text) is not None and self._heads_filled(line)
                    )
                    why = self.outline_at(line) if filled and offset >= 0 else None
                    if filled and why is None:
                        return ItemState.PRESENT, where, None
                    if why is not None:
                        # the topic named in an outline ("- Data sources: origin of the data")
                        outline, unfilled = outline or why, unfilled or where
                        continue
                    # "* Decision thresholds" alone: a template's prompt, named but unanswered
                    marked = cls.markers > 0
                if marked:  # "Threshold | None": named, but its value is a stand-in
                    unfilled = unfilled or where
        return (ItemState.PLACEHOLDER, unfilled, outline) if unfilled else None


def _finder(
    finders: dict[tuple[int, bool], _Phrases], d: int, doc: ParsedDocument, placeholders: re.Pattern[str]
) -> _Phrases:
    """The document's text finder (outside code), made once."""
    return finders.get((d, False)) or finders.setdefault((d, False), _Phrases(doc, placeholders))


def _outline_demoted(cls: Classification, finder: _Phrases, section: int) -> Classification:
    """A section that only says what to write there (see :mod:`outline`) holds no content:
    its filled-looking text is a placeholder, and the note says why."""
    why = finder.outlines.why(section)
    return cls if why is None else Classification(ItemState.PLACEHOLDER, cls.markers, why)


def _model_index_state(value: object) -> Classification:
    """A ``model-index`` documents results only when some result holds a metric with a value;
    a training framework writes ``results: []`` when it had none."""
    models = value if isinstance(value, list) else []
    for model in models:
        results = model.get("results") if isinstance(model, dict) else None
        for result in results if isinstance(results, list) else []:
            metrics = result.get("metrics") if isinstance(result, dict) else None
            for metric in metrics if isinstance(metrics, list) else []:
                if isinstance(metric, dict) and classify_value(metric.get("value")).state is ItemState.PRESENT:
                    return Classification(ItemState.PRESENT, 0)
    return Classification(ItemState.PLACEHOLDER, 0, "model-index holds no metric values")


def _model_index_datasets(value: object) -> Classification:
    """The datasets a hub card's ``model-index`` evaluated on (``results[].dataset`` with a name
    or type): the hub shows them as the evaluation data of the results widget."""
    models = value if isinstance(value, list) else []
    for model in models:
        results = model.get("results") if isinstance(model, dict) else None
        for result in results if isinstance(results, list) else []:
            dataset = result.get("dataset") if isinstance(result, dict) else None
            if isinstance(dataset, dict) and any(
                classify_value(dataset.get(k)).state is ItemState.PRESENT for k in ("name", "type")
            ):
                return Classification(ItemState.PRESENT, 0)
    return Classification(ItemState.PLACEHOLDER, 0, "model-index names no evaluation dataset")


def _children(doc: ParsedDocument) -> dict[int, list[int]]:
    """Section index -> indices of the sections below it, in one pass."""
    out: dict[int, list[int]] = {}
    for c, section in enumerate(doc.sections):
        for p in section.parents:
            out.setdefault(p, []).append(c)
    return out


def _filled_below(
    doc: ParsedDocument,
    s: int,
    named: list[dict[str, int]],
    placeholders: re.Pattern[str],
    below: dict[int, list[int]],
) -> Classification | None:
    """A heading left as "[More Information Needed]" whose subsections no other item owns (a
    skops "Training Procedure" above its "Hyperparameters" table) is filled by them, as a
    reader sees it; subsections that name items of their own do not count for it."""
    children = below.get(s, [])
    if not children or any(named[c] for c in children):
        return None  # some subsection is another item's: the heading's own placeholder stands
    own_children = [c for c in children if doc.sections[c].kind == "heading"]
    if not own_children:
        return None
    text = "\n".join(doc.sections[c].own for c in own_children)
    cls = classify_text(text, placeholders)
    if cls.state is not ItemState.PRESENT:
        return None
    return Classification(ItemState.PRESENT, cls.markers + 1, "filled in its subsections")


def _introduction(doc: ParsedDocument, placeholders: re.Pattern[str]) -> str | None:
    """Where a card's introduction says something, or None: the text before its first
    heading (key-value labels there included: a generated card's facts table), and the text
    under a level-1 title before the first section below it. A card without headings is all
    introduction."""
    first = next((s for s in doc.sections if s.kind == "heading"), None)
    lines = doc.body.splitlines()
    preamble = "\n".join(lines[: max(first.line - doc.body_line, 0)] if first is not None else lines)
    parts = [(preamble, f"{doc.name}: text before the first heading (line {doc.body_line})")]
    if first is not None and first.level == 1:
        parts.append((first.own, f"{doc.name}: introduction under '{first.heading}' (line {first.line})"))
    for text, where in parts:
        prose = _HTML_LINE.sub(_blank_keeping_lines, _NOT_PROSE.sub(_blank_keeping_lines, text))
        if prose.strip() and classify_text(prose, placeholders).state is ItemState.PRESENT:
            return where
    return None


def assess(profile: DocumentationProfile, docs: Sequence[ParsedDocument]) -> list[ItemAssessment]:
    results: dict[str, ItemAssessment] = {}
    #: for each item, the (document index, section index) pairs it matched
    matched: dict[str, list[tuple[int, int]]] = {}
    names = ", ".join(d.name for d in docs)
    placeholders = placeholder_regex(tuple(profile.placeholders))
    matcher = _matcher_for(tuple(profile.items))
    # which items each section names, computed once per section
    names_by_doc: list[list[dict[str, int]]] = [[matcher.match(s.heading) for s in d.sections] for d in docs]
    # item id -> [(document, section, rank)], so each item visits only the sections naming it
    naming: dict[str, list[tuple[int, int, int]]] = {}
    for d, named_list in enumerate(names_by_doc):
        for s_index, named in enumerate(named_list):
            for item_id, rank in named.items():
                naming.setdefault(item_id, []).append((d, s_index, rank))
    # a section named by several items is classified once
    classified: dict[tuple[int, int], Classification] = {}
    phrase_finders: dict[tuple[int, bool], _Phrases] = {}
    children_by_doc: dict[int, dict[int, list[int]]] = {}
    #: (scope note, document) -> where the note is stated, looked up once
    scope_found: dict[tuple[int, int], str | None] = {}
    #: items whose unfilled place is a checklist's row or section (asks whether it is documented)
    in_checklist: set[str] = set()
    for item in profile.items:
        #: (state, alias rank, where, (document, section) or None); the best state wins, then
        #: the earliest alias
        candidates: list[tuple[Classification, int, str, tuple[int, int] | None]] = []
        #: some candidate is a heading or key, or a filled label
        firm = False
        hits: list[tuple[int, int]] = []
        parent_hits = set(matched.get(item.within, [])) if item.within else None
        for d, doc in enumerate(docs):
            ranks: dict[int, int] = {}
            for dd, s, rank in naming.get(item.id, ()):
                if dd != d:
                    continue
                section = doc.sections[s]
                if parent_hits is not None and not any((d, p) in parent_hits for p in section.parents):
                    continue
                ranks[s] = rank
            hits += [(d, s) for s in ranks]
            # the most specific place decides: "Hardware" under a matching "Compute
            # Infrastructure" is where a reader looks, not the whole parent section
            enclosing = {p for s in ranks for p in doc.sections[s].parents}
            for s, rank in ranks.items():
                section = doc.sections[s]
                if s in enclosing:
                    # a matched heading above the most specific one: its own words count too
                    # ("## Metrics" with text above an empty "### Model performance measures")
                    own = classify_text(section.own, placeholders)
                    if own.state is ItemState.PRESENT:
                        own = _outline_demoted(own, _finder(phrase_finders, d, doc, placeholders), s)
                    if own.state is ItemState.PRESENT:
                        candidates.append((own, rank, _describe(doc, section), (d, s)))
                        firm = True
                    continue
                cls = classified.get((d, s)) or classified.setdefault(
                    (d, s), classify_section(section.own, section.text, placeholders)
                )
                if is_template_placeholder(cls):
                    if d not in children_by_doc:
                        children_by_doc[d] = _children(doc)
                    cls = _filled_below(doc, s, names_by_doc[d], placeholders, children_by_doc[d]) or cls
                if item.needs_value:
                    cls = without_value(cls, section.text)
                if item.states_use and cls.state is ItemState.PRESENT:
                    no_use = states_no_use(section.text)
                    if no_use is not None:
                        cls = Classification(ItemState.MISSING, cls.markers, f"no use stated: {no_use}")
                if cls.state is ItemState.PRESENT:
                    cls = _outline_demoted(cls, _finder(phrase_finders, d, doc, placeholders), s)
                if item.of_system and cls.state is ItemState.PRESENT and about_document(section.own) is not None:
                    # a checklist's "Purpose: This checklist ensures ..." is about the document:
                    # no place of the item's (its phrases and the checklist's rows still are)
                    continue
                candidates.append((cls, rank, _describe(doc, section), (d, s)))
                if section.kind != "label" or cls.state is ItemState.PRESENT:
                    firm = True
            for key in item.front_matter:
                top = key.split(".", 1)[0]
                if top in doc.front_matter:
                    where = f"{doc.name}: front matter '{key}'"
                    value = doc.front_matter[top]
                    if key == "model-index.dataset":
                        if ranks:
                            continue  # the card has a section for it: what that says decides
                        cls = _model_index_datasets(value)
                    elif key == "model-index":
                        cls = _model_index_state(value)
                    else:
                        cls = classify_value(value)
                    if cls.state is not ItemState.PRESENT and not item.front_matter_only:
                        # metadata only adds evidence to an item the text documents: an empty
                        # model-index does not make the card's "loss of 0.41" unfilled
                        continue
                    candidates.append((cls, len(item.aliases) + 1, where, None))
                    firm = True
        matched[item.id] = hits
        looked = "headings " + ", ".join(f"'{a}'" for a in item.aliases[:8]) if item.aliases else "nothing"
        if len(item.aliases) > 8:
            looked += f" (+{len(item.aliases) - 8} more)"
        if item.front_matter:
            looked = "" if not item.aliases else looked + " and "
            looked += "front-matter keys " + ", ".join(f"'{k}'" for k in item.front_matter)
        # (the pattern itself is compiled for a document, once its phrases are narrowed to it)
        if item.phrases:
            looked += f" and {len(item.phrases)} key phrases in the text"
        if item.within:
            looked += f" under {item.within}"
        looked += f" in {names}"
        # an unfilled label ("| Accuracy | None |" in a generated table) is a weaker place than a
        # heading: the item's phrases elsewhere ("Accuracy (91.9%) measures ...") still count
        weak = bool(candidates) and not firm and all(c[0].state is not ItemState.NOT_APPLICABLE for c in candidates)
        if (not candidates or weak) and item.phrases and not (item.within and not parent_hits):
            for d, doc in enumerate(docs):
                fkey = (d, item.in_code)
                finder = phrase_finders.get(fkey) or phrase_finders.setdefault(
                    fkey, _Phrases(doc, placeholders, in_code=item.in_code)
                )
                pattern = _phrase_regex(finder.present(item.phrases), finder.ascii)
                if pattern is None:
                    continue
                within = [doc.sections[s] for dd, s in parent_hits or () if dd == d] if item.within else None
                found = finder.find(pattern, within)
                if found is not None and (not weak or found[0] is ItemState.PRESENT):
                    state, where, reason = found
                    note: str | None = "found in the text, not under a heading of its own"
                    if state is ItemState.PLACEHOLDER:
                        note = reason or "named in the text, but its value is not filled in"
                    results[item.id] = ItemAssessment(item, state, where, note, 0, looked)
                    break
            if item.id in results:
                continue
        if not candidates and item.aliases:
            # a template's prompt left as a plain bullet ("* Citation details") names the item
            # like a heading would, and is unanswered
            for d, doc in enumerate(docs):
                fkey = (d, item.in_code)
                finder = phrase_finders.get(fkey) or phrase_finders.setdefault(
                    fkey, _Phrases(doc, placeholders, in_code=item.in_code)
                )
                hit = finder.prompts_naming(matcher).get(item.id)
                if hit is not None:
                    where = f"{doc.name}: template prompt '{hit[1]}' (line {hit[0]})"
                    note = "only the template's prompt, not answered"
                    results[item.id] = ItemAssessment(item, ItemState.PLACEHOLDER, where, note, 1, looked)
                    break
            if item.id in results:
                continue
        if not candidates and item.aliases:
            # a topic an outline lists ("- Hardware/software requirements") names the item like a
            # heading would, and only says what to write
            for d, doc in enumerate(docs):
                finder = _finder(phrase_finders, d, doc, placeholders)
                topic = next(
                    (
                        (doc.sections[s], t, w)
                        for s, t, w in finder.topics_naming(matcher).get(item.id, ())
                        # a sub-item (a declaration's "name of the provider") only inside its parent
                        if not item.within or any((d, p) in (parent_hits or ()) for p in (s, *doc.sections[s].parents))
                    ),
                    None,
                )
                if topic is not None:
                    where = f"{doc.name}: outline topic '{topic[1]}' under '{topic[0].heading}' (line {topic[0].line})"
                    results[item.id] = ItemAssessment(item, ItemState.PLACEHOLDER, where, topic[2], 0, looked)
                    break
            if item.id in results:
                continue
        if not candidates and item.intro:
            for doc in docs:
                opening = _introduction(doc, placeholders)
                if opening is not None:
                    note = "found in the card's introduction, not under a heading of its own"
                    results[item.id] = ItemAssessment(item, ItemState.PRESENT, opening, note, 0, looked)
                    break
            if item.id in results:
                continue
        if not candidates:
            scoped = _scope_note(profile, item, docs, placeholders, phrase_finders, scope_found)
            if scoped is not None:
                where, reason = scoped
                note = f"not applicable by the document's scope note: {reason}"
                results[item.id] = ItemAssessment(item, ItemState.NOT_APPLICABLE, where, note, 0, looked)
                continue
            note = None
            if item.within and not parent_hits:
                note = f"{item.within} not found"
            results[item.id] = ItemAssessment(item, ItemState.MISSING, None, note, 0, looked)
            continue
        own_title = [c for c in candidates if c[1] <= _TITLE_RANK]
        if own_title and all(c[0].state is ItemState.NOT_APPLICABLE for c in own_title):
            # the section made for the item ("## 7. Post-market monitoring": "Not applicable:
            # nothing is on any market") answers it, over text under a broader heading that
            # shares a word with it ("3. Monitoring, functioning and control")
            candidates = own_title
        best_cls, _, best_loc, place = min(candidates, key=lambda c: (-c[0].state.rank, c[1]))  # stable on ties
        if (
            best_cls.state is ItemState.PLACEHOLDER
            and place is not None
            and _finder(phrase_finders, place[0], docs[place[0]], placeholders).outlines.checklist(place[1])
        ):
            in_checklist.add(item.id)
        results[item.id] = ItemAssessment(item, best_cls.state, best_loc, best_cls.note, best_cls.markers, looked)
    for item in profile.items:
        a = results[item.id]
        if a.state is not ItemState.MISSING or a.note is not None:
            continue
        # no place of its own, and the section that would hold it is unfilled; not a checklist's
        # open row ("12.1 EU declaration of conformity prepared [ ] Complete"): it asks whether the
        # declaration was written, it holds no place for what the declaration says (issue 17,
        # ninth round: the readers of the spent sets call such sub-items missing)
        host = next(
            (
                results[i]
                for i in item.unfilled_with
                if results[i].state is ItemState.PLACEHOLDER and i not in in_checklist
            ),
            None,
        )
        if host is not None and host.location is not None:
            note = f"its place would be in {host.item.id} ({host.item.title}), which is not filled in"
            results[item.id] = ItemAssessment(item, ItemState.PLACEHOLDER, host.location, note, 0, a.looked_for)
    return [results[i.id] for i in profile.items]


def _scope_note(
    profile: DocumentationProfile,
    item: ProfileItem,
    docs: Sequence[ParsedDocument],
    placeholders: re.Pattern[str],
    finders: dict[tuple[int, bool], _Phrases],
    found_at: dict[tuple[int, int], str | None],
) -> tuple[str, str] | None:
    """(where, reason) of a scope note of the profile that covers ``item`` and that a document
    states ("This system is not placed on the market"), or None. Only for an item no place
    names: a section of its own says more than a note about the whole document."""
    for k, scope in enumerate(profile.scope_notes):
        if item.id not in scope.covers:
            continue
        for d, doc in enumerate(docs):
            if (k, d) not in found_at:
                finder = finders.get((d, False)) or finders.setdefault((d, False), _Phrases(doc, placeholders))
                pattern = _phrase_regex(finder.present(scope.phrases), finder.ascii)
                found = finder.find(pattern, None) if pattern is not None else None
                found_at[(k, d)] = found[1] if found is not None and found[0] is ItemState.PRESENT else None
            where = found_at[(k, d)]
            if where is not None:
                return where, scope.reason
    return None


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

    def name(criterion: str, group: str | None = None) -> Dimensions:
        # ``prefix`` names the document role when one check assesses several documents
        return Dimensions(criterion=criterion, data_role=prefix or None, item=group)

    n = len(assessments)
    required = [a for a in assessments if a.item.required]
    out = [
        Metric(
            dims=name("completeness"),
            unit="share",
            value=share(assessments),
            n=n,
            greater_is_better=True,
            description="share of profile items present or justifiably not applicable",
        ),
        Metric(
            dims=name("completeness.required"),
            unit="share",
            value=share(required),
            n=len(required),
            greater_is_better=True,
            description="the same share over the profile's required items",
        ),
        Metric(dims=name("items.total"), value=n, unit="count", description="items in the profile"),
    ]
    for state in ItemState:
        count = sum(a.state is state for a in assessments)
        out.append(
            Metric(
                dims=name(f"items.{state.value}"),
                value=count,
                unit="count",
                description=f"items in state {state.value}",
            )
        )
    groups = sorted({a.item.group for a in assessments if a.item.group})
    for group in groups:
        rows = [a for a in assessments if a.item.group == group]
        out.append(
            Metric(
                dims=name("completeness", group), value=share(rows), unit="share", n=len(rows), greater_is_better=True
            )
        )
    return out


def item_states(profile: DocumentationProfile, assessments: Sequence[ItemAssessment]) -> ItemStates:
    """The per-item states as a typed view (the same rows as ``details_for``'s ``items``)."""
    return ItemStates(
        title=f"Items of {profile.name}",
        profile=profile.name,
        items=tuple(
            ItemStateView(
                id=a.item.id,
                title=a.item.title,
                group=a.item.group or "",
                state=a.state.value,
                complete=counts_as_complete(a),
                required=a.item.required,
                location=a.location,
                note=a.note,
            )
            for a in assessments
        ),
    )


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
            # where a reader would have looked, so "missing" says it was looked for
            "looked_for": a.looked_for if a.state is ItemState.MISSING else None,
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
