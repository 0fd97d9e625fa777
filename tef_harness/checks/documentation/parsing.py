"""Documents as a reader sees them: YAML front matter plus a tree of sections.

A model card is Markdown with optional YAML front matter (the Hugging Face format, including
``model-index``). The Markdown is read by a CommonMark parser (markdown-it-py), so every
construct a renderer understands is read the same way: ATX and setext headings, fenced and
indented code (never a heading inside), HTML blocks (a heading inside an HTML comment is not a
heading), lists and paragraphs. Sections come from headings and from bold labels that start a
line of a paragraph or list item (``- **Developed by:** Acme``, ``**Model developers** Meta``,
a run-in title ``**Data.** ACS microdata``, or a label alone on its line with its text in the
next paragraph), because terse cards and the Hugging Face template both hold items in labels
rather than headings; and from plain labels, as a reader reads a fact given in one line under a
neighbouring heading: ``Provider: Acme Bank`` at the start of a line, a list item or after a
sentence's end, and a two-cell table row ``| Provider | Acme Bank |``. A label with nothing after
its colon ("- Intended Use:") holds what is under it up to the next label no deeper or heading
(its sub-list, its indented lines), or nothing: then its item is named as an unfilled place.

Front matter is read only when it is a real YAML block: opened by ``---`` on line 1 and closed
by a ``---`` (or ``...``) line at the left margin, so an indented ``---`` inside a block scalar
does not end it. A card that merely starts with a horizontal rule has no front matter. A front
matter that is present but unreadable (invalid YAML, a list, never closed) is not a reason to
stop the run: the document records it as a problem (a finding of the check) and is read
without metadata.

A structured technical-documentation file or datasheet in YAML becomes the same tree: each key
is a heading, nested mappings are subsections.

Errors name the file and the line: the person reading them is auditing somebody else's file.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import yaml
from markdown_it import MarkdownIt

from tef_harness.api import IntakeError, TextDocument

_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STRUCTURED_SUFFIXES = {".yaml", ".yml", ".json"}

# Block structure only: inline parsing of every paragraph is the costly part of markdown-it and
# sections need none of it (a label is recognised on its line, below). Tables stay paragraphs:
# their raw lines are what the classifier and the claim extractor read, and a table rule would
# triple the token count of a large card.
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).disable(["inline", "reference"])

# "- **Developed by:** Acme", "**Model developers** Meta", "* __License__: MIT", "1. **Owner**",
# and a key-value table row "| **Author** | Jane Doe |" (generated cards put their facts in such tables)
_LABEL = re.compile(
    r"^\s*(?P<row>\|\s*)?(?:(?:[-*+]|\d{1,3}[.)])\s+)?(\*\*|__)(?P<label>[^*_\n|]{2,80}?)\s*(?P<c1>:?)\s*\2"
    r"(?P<c2>\s*:)?(?P<rest>.*)$"
)
# a label is a short noun phrase; a bold sentence ("**Any** deployed use is out of scope") is emphasis
_LABEL_MAX_WORDS = 9
# a plain "Label: value" at the start of a line or list item, or after a sentence's end
# ("Provider: individual project.", "- Data: ACS microdata"): a capitalised noun phrase of at
# most _PLAIN_LABEL_MAX_WORDS words, no sentence punctuation, then a colon and a value on the
# same line. Not a URL ("https:"), not a time ("10:30"), not a lower-case clause
_PLAIN_LABEL = re.compile(
    r"(?:^\s*(?:(?:[-*+]|\d{1,3}[.)])\s+)?|(?<=[.!?])[ \t]+)"
    r"(?P<label>[^\W\d_][^:;.!?,()\[\]|*_`\n]{0,58}?)[ \t]?:[ \t]+(?P<rest>[^\s/][^\n]*)$"
)
_PLAIN_LABEL_MAX_WORDS = 5
# a plain label with nothing after its colon, alone on its line or list item ("- Intended Use:",
# "Metrics:"): it names its item, and holds what is under it (its sub-list, the lines up to the
# next label or heading), or nothing: an unfilled place, like an empty section under a heading
_EMPTY_PLAIN_LABEL = re.compile(
    r"^\s*(?:(?:[-*+]|\d{1,3}[.)])\s+)?(?P<label>[^\W\d_][^:;.!?,()\[\]|*_`\n]{0,58}?)[ \t]?:[ \t]*$"
)
# a key-value table row without bold: "| Provider | Acme Bank |", or a checklist row "| 2(h)
# Cybersecurity | Pending | |" (not a header row): its first cell names, the others are its value
# (the label may open with its numbering, "| 1(a) Intended purpose | ... |", if a word follows)
_ROW_LABEL = re.compile(
    r"^\s*\|\s*(?P<label>(?:[\d.()a-z]{1,8}\s+)?[^\W\d_][^|*_`\n]{0,58}?)\s*:?\s*\|(?P<rest>[^\n]*)$"
)
# "##\u00a0Title": a non-breaking space after the hashes is a typing accident a reader does not see
_NBSP_HEADING = re.compile(r"^( {0,3}#{1,6})[\u00a0\u2007\u202f]+", re.M)
# "1. Caveats" underlined with "----": a numbered title, not a one-item list followed by a rule
_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_NUMBERED_TITLE = re.compile(r"^( {0,3}\d{1,3})[.)][ \t]+\S")
#: an ATX heading that is a title and a sentence ("Factors. Factors could include ...") and
#: stops mid-sentence (ends in a word, not in punctuation); "## Section B" over "body b" is not one
_WRAPPED_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+[^\n]*\w\.[ \t]+\S[^\n]*\w[ \t]*$")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_TAGS = re.compile(r"<[^>]{0,200}>")
_FRONT_KEY = re.compile(r"^[\"']?[A-Za-z_][\w .\-]*[\"']?\s*:(\s|$)")


@dataclass(frozen=True)
class Section:
    """One heading (or bold label, or YAML key) and the text it holds.

    ``text`` is the whole span, subsections included: a careful reader counts the
    subsections of "Model Details" as part of Model Details.
    """

    heading: str
    level: int
    line: int
    text: str
    kind: str = "heading"  # heading | label | key
    #: indices (into ParsedDocument.sections) of the enclosing sections, outermost first
    parents: tuple[int, ...] = ()
    #: the text before the first subsection (equal to ``text`` when there is none)
    own_text: str | None = None

    @property
    def own(self) -> str:
        return self.text if self.own_text is None else self.own_text


@dataclass(frozen=True)
class ParsedDocument:
    role: str
    path: str
    front_matter: dict[str, Any] = field(default_factory=dict)
    sections: tuple[Section, ...] = ()
    #: the body without front matter, for free-text searches
    body: str = ""
    #: 1-based line of the first body line in the file
    body_line: int = 1
    #: what could not be read (e.g. a broken front matter), one sentence each; the check reports them
    problems: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return PurePath(self.path).name if not self.path.startswith("<") else self.path


def load_yaml(text: str) -> Any:
    """Safe YAML, fast (libyaml) when it parses; on an error the pure-Python loader re-reads
    the text, because its error marks point at the offending line rather than the end."""
    try:
        return yaml.load(text, Loader=_FAST_LOADER)  # a safe loader
    except yaml.YAMLError:
        return yaml.safe_load(text)


def parse_document(doc: TextDocument) -> ParsedDocument:
    """Markdown unless the file is YAML/JSON: by suffix, or, for a file without a Markdown
    suffix, when its text parses as a YAML mapping (a Markdown card never does: its prose
    is a scalar and its '**labels**' are invalid YAML)."""
    suffix = PurePath(doc.path).suffix.lower()
    if suffix in _STRUCTURED_SUFFIXES:
        return parse_structured(doc.text, role=doc.role, path=doc.path)
    if suffix not in {".md", ".markdown", ".txt"} and _looks_structured(doc.text):
        return parse_structured(doc.text, role=doc.role, path=doc.path)
    return parse_markdown(doc.text, role=doc.role, path=doc.path)


def _looks_structured(text: str) -> bool:
    if text.lstrip().startswith("---"):
        return False  # Markdown front matter
    try:
        return isinstance(yaml.load(text, Loader=_FAST_LOADER), dict)  # a safe loader
    except yaml.YAMLError:
        return False


# -- front matter ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any]
    body: str
    #: 1-based line of the body's first line in the file
    body_line: int
    #: why the block could not be read, None when it was read (or there is none)
    problem: str | None = None


def read_front_matter(text: str) -> FrontMatter:
    """The YAML front matter of a Markdown card, never raising.

    Front matter is a ``---`` line 1 and a closing ``---``/``...`` line at the left margin.
    When line 1 is ``---`` but what follows does not look like YAML (a heading, prose), line 1
    is a horizontal rule and there is no front matter. When it looks like YAML but cannot be
    read, or is not a mapping, or is never closed, ``problem`` says so and the text after the
    block (or, unclosed, the whole text) is the body.
    """
    lines = text.splitlines()
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter({}, text, 1)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    first = next((ln.strip() for ln in lines[1 : len(lines) if end is None else end] if ln.strip()), "")
    # what a YAML block starts with; a heading or prose after the rule means Markdown
    keyish = bool(_FRONT_KEY.match(first)) or first.startswith("- ")
    if end is None:
        if not keyish:
            return FrontMatter({}, text, 1)  # a horizontal rule, not front matter
        return FrontMatter(
            {}, text, 1, "YAML front matter opened with '---' on line 1 is never closed (add a '---' line after it)"
        )
    raw = "\n".join(lines[1:end])
    body, body_line = "\n".join(lines[end + 1 :]), end + 2
    try:
        data = load_yaml(raw) if raw.strip() else None
    except yaml.YAMLError as exc:
        if not keyish:
            return FrontMatter({}, text, 1)
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"line {mark.line + 2}" if mark is not None else f"lines 2-{end}"
        problem = getattr(exc, "problem", None) or type(exc).__name__
        return FrontMatter({}, body, body_line, f"invalid YAML front matter at {where}: {problem}")
    if data is None:
        return FrontMatter({}, body, body_line)  # empty, or only YAML comments
    if not isinstance(data, dict):
        if not keyish:
            return FrontMatter({}, text, 1)  # prose between two horizontal rules
        return FrontMatter(
            {},
            body,
            body_line,
            f"YAML front matter (lines 2-{end}) must be a mapping of keys, got {type(data).__name__}",
        )
    return FrontMatter({str(k): v for k, v in data.items()}, body, body_line)


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str, int]:
    """(front matter, body, 1-based line of the body's first line); raises IntakeError naming
    the file and line when the front matter cannot be read. For callers that must refuse such
    a file; the documentation checks use :func:`read_front_matter` and report it instead."""
    fm = read_front_matter(text)
    if fm.problem is not None:
        raise IntakeError(fm.problem, file=path, field="front matter")
    return fm.data, fm.body, fm.body_line


# -- Markdown -------------------------------------------------------------------------------------
@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a card is tokenised.

    markdown-it builds one object per token (200,000 for a 30,000-section card) and none of them
    form reference cycles; with the collector on, each few hundred allocations trigger a
    collection that walks every token made so far, which was more than half the parse time.
    Reference counting still frees everything. Only re-enabled if this call disabled it, so a
    caller that runs with the collector off keeps it off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def parse_markdown(text: str, *, role: str, path: str) -> ParsedDocument:
    with _collector_paused():
        return _parse_markdown(text, role=role, path=path)


def _parse_markdown(text: str, *, role: str, path: str) -> ParsedDocument:
    fm = read_front_matter(text)
    # sections hold the mended text, so a wrapped title's second line is not read as its body
    body = _reader_fixes(fm.body)
    lines = body.splitlines()
    tokens = _MARKDOWN.parse(body)
    heads: list[tuple[int, int, str]] = []  # (first line, level, title)
    body_starts: list[int] = []  # first line after each heading (a setext heading takes two)
    blocks: list[tuple[int, int]] = []  # paragraph line spans that may hold labels
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.map is not None:
            title = tokens[i + 1].content if i + 1 < len(tokens) else ""
            heads.append((tok.map[0], int(tok.tag[1]), clean_heading(title)))
            body_starts.append(tok.map[1])
        elif tok.type == "paragraph_open" and tok.map is not None:
            blocks.append((tok.map[0], tok.map[1]))
    sections: list[Section] = []
    ends = _span_ends(heads, len(lines))
    stack: list[tuple[int, int]] = []  # (level, section index)
    # labels before the first heading belong to no section
    first_head = heads[0][0] if heads else len(lines)
    label_blocks: list[list[tuple[int, int]]] = [[] for _ in range(len(heads) + 1)]
    k = 0
    for start, stop in blocks:
        while k < len(heads) and heads[k][0] < start:
            k += 1
        label_blocks[k].append((start, stop))  # k: index of the next heading; k-1 owns the block
    sections.extend(_labels(lines, label_blocks[0], 0, first_head, 0, (), fm.body_line))
    for k, (line, level, title) in enumerate(heads):
        while stack and stack[-1][0] >= level:
            stack.pop()
        parents = tuple(s for _, s in stack)
        own_end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        start = body_starts[k]
        sections.append(
            Section(
                title,
                level,
                fm.body_line + line,
                "\n".join(lines[start : ends[k]]),
                "heading",
                parents,
                "\n".join(lines[start:own_end]),
            )
        )
        head_index = len(sections) - 1
        stack.append((level, head_index))
        sections.extend(
            _labels(lines, label_blocks[k + 1], start, own_end, level, (*parents, head_index), fm.body_line)
        )
    problems = (fm.problem,) if fm.problem else ()
    return ParsedDocument(role, path, fm.data, tuple(sections), body, fm.body_line, problems)


def _reader_fixes(body: str) -> str:
    """Typing accidents a reader does not see, mended before parsing, line numbers kept:
    a non-breaking space after '##', a numbered title underlined like a setext heading
    ("1. Caveats" over "-----"), which CommonMark would read as a list item and a rule, and a
    heading broken mid-sentence whose next line, in lower case, ends it."""
    if "\u00a0" in body or "\u2007" in body or "\u202f" in body:
        body = _NBSP_HEADING.sub(r"\1 ", body)
    if "\n" not in body:
        return body
    lines = body.split("\n")
    changed = False
    for i in range(1, len(lines)):
        line = lines[i]
        if line[:1] not in ("-", "=", " "):
            if line[:1].islower() and lines[i - 1][:1] == "#" and _WRAPPED_HEADING.match(lines[i - 1]):
                # "## Evaluation Data. Details on the dataset(s) used for the" over "quantitative
                # analyses in the card.": a title pasted from a PDF, broken mid-sentence
                lines[i - 1] = lines[i - 1].rstrip() + " " + line.strip()
                lines[i] = ""
                changed = True
            continue
        if not _UNDERLINE.match(line):
            continue
        m = _NUMBERED_TITLE.match(lines[i - 1])
        if m:
            lines[i - 1] = m.group(1) + "\\" + lines[i - 1][m.end(1) :]
            changed = True
    return "\n".join(lines) if changed else body


def _span_ends(heads: list[tuple[int, int, str]], n_lines: int) -> list[int]:
    """For each heading, the line where its span ends: the next heading of the same or a higher
    level. One pass with a stack, so a card of tens of thousands of headings stays linear."""
    ends = [n_lines] * len(heads)
    open_: list[int] = []
    for k, (line, level, _) in enumerate(heads):
        while open_ and heads[open_[-1]][1] >= level:
            ends[open_.pop()] = line
        open_.append(k)
    return ends


def _labels(
    lines: list[str],
    blocks: list[tuple[int, int]],
    start: int,
    end: int,
    level: int,
    parents: tuple[int, ...],
    offset: int,
) -> list[Section]:
    """Bold labels that start a line of a paragraph. A label's text runs to the next label or
    the end of its paragraph; a label alone on its line takes the paragraphs that follow, up to
    the next label or the end of the section."""
    found: list[tuple[int, str, str]] = []  # (line, label, rest of its line)
    stops: list[int] = []  # where each label's paragraph ends
    for b_start, b_stop in blocks:
        if b_start < start or b_start >= end:
            continue
        for i in range(b_start, min(b_stop, end)):
            line = lines[i]
            if "**" not in line and "__" not in line:
                plain = _plain_label(lines, i, b_start)
                if plain is not None:
                    found.append((i, *plain))
                    stops.append(i + 1 if line.lstrip().startswith("|") else b_stop)
                continue
            m = _LABEL.match(line)
            if not m:
                continue
            label = clean_heading(m.group("label"))
            rest = m.group("rest")
            if m.group("row") is not None:
                if not rest.lstrip().startswith("|"):
                    continue  # bold text inside a cell, not a row's key
                # a key-value row: the label's text is the rest of its row, never the rows below
                cells = [c.strip() for c in rest.strip().strip("|").split("|")]
                found.append((i, label, " | ".join(cells)))
                stops.append(i + 1)
                continue
            colon = bool(m.group("c1") or m.group("c2"))
            if label.endswith(".") and not label.endswith("..") and (not rest.strip() or rest[:1].isspace()):
                # a run-in title: "**Data.** American Community Survey ...", a title ended by a
                # full stop, its text on the same line or in the paragraphs that follow
                label, colon = label[:-1].rstrip(), True
            if not label or len(label.split()) > _LABEL_MAX_WORDS or label.endswith((".", "!", "?")):
                continue
            if not colon and rest.strip()[:1].islower() and len(label.split()) == 1:
                continue  # "**Any** deployed use ..." is emphasis inside a sentence
            found.append((i, label, rest))
            stops.append(b_stop)
    out: list[Section] = []
    for j, (i, label, rest) in enumerate(found):
        nxt = found[j + 1][0] if j + 1 < len(found) else end
        if not rest.strip():
            # a label over a sub-list holds its items, labelled ones too ("- Metrics:" over
            # "  - Accuracy: 0.91"): the next label is the next one indented no deeper
            depth = _indent(lines[i])
            nxt = next((k for k, _, _ in found[j + 1 :] if _indent(lines[k]) <= depth), end)
        # a label alone on its line takes the text that follows it, past its paragraph; a table
        # row's label only its row
        row = stops[j] == i + 1 and lines[i].lstrip().startswith("|")
        stop = min(nxt, stops[j], end) if rest.strip() or row else min(nxt, end)
        body = "\n".join([rest, *lines[i + 1 : stop]])
        out.append(Section(label, level + 1, offset + i, body, "label", parents))
    return out


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _plain_label(lines: list[str], i: int, b_start: int) -> tuple[str, str] | None:
    """(label, rest of its line) when line ``i`` of a paragraph (which starts at ``b_start``)
    names a fact without bold: "Provider: individual project.", "- Data: ACS microdata",
    "| Provider | Acme Bank |". The label ends where the colon is; a label after a sentence's end
    on the line counts too ("... no decisions. Provider: individual project.")."""
    line = lines[i]
    if line.lstrip().startswith("|"):
        if i + 1 < len(lines) and lines[i + 1].lstrip().startswith("|") and "-" in lines[i + 1] and (
            lines[i + 1].replace("|", "").replace("-", "").replace(":", "").strip() == ""
        ):
            return None  # a header row names columns
        r = _ROW_LABEL.match(line)
        if r is None or len(r.group("label").split()) > _PLAIN_LABEL_MAX_WORDS:
            return None
        cells = [c.strip() for c in r.group("rest").strip().removesuffix("|").split("|")]
        if not any(cells):
            return None
        # kept as a table row, so an empty or stand-in cell reads as unfilled
        return clean_heading(r.group("label")), "| " + " | ".join(cells) + " |"
    if ":" not in line:
        return None
    m = _PLAIN_LABEL.search(line) or _EMPTY_PLAIN_LABEL.match(line)
    if m is None:
        return None
    label = m.group("label").strip()
    if len(label.split()) > _PLAIN_LABEL_MAX_WORDS or not label[:1].isupper():
        return None
    return clean_heading(label), m.groupdict().get("rest") or ""


def clean_heading(title: str) -> str:
    """A heading as displayed: inline markup and HTML tags removed, spaces collapsed."""
    title = _ESCAPE.sub(r"\1", _TAGS.sub("", title))
    title = re.sub(r"[*_`]+", "", title).replace("\u00a0", " ")
    title = re.sub(r"\s+", " ", title).strip().rstrip(":").strip()
    return title.rstrip("#").strip() if title.endswith(" #") else title


# -- YAML ---------------------------------------------------------------------------------------
def parse_structured(text: str, *, role: str, path: str) -> ParsedDocument:
    """A YAML (or JSON) document: each mapping key is a heading, nested mappings subsections."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise IntakeError(f"invalid YAML{where}: {problem}", file=path, field=role) from None
    if not isinstance(root, yaml.MappingNode):
        raise IntakeError("a structured document must be a YAML mapping of sections", file=path, field=role)
    sections: list[Section] = []
    _walk(root, 1, (), sections)
    return ParsedDocument(role, path, {}, tuple(sections), _flatten(root), 1)


def _walk(node: yaml.MappingNode, level: int, parents: tuple[int, ...], out: list[Section]) -> None:
    for key, value in node.value:
        heading = str(key.value).replace("_", " ").replace("-", " ").strip()
        own = "" if isinstance(value, yaml.MappingNode) else None
        out.append(Section(heading, level, key.start_mark.line + 1, _flatten(value), "key", parents, own))
        if isinstance(value, yaml.MappingNode):
            _walk(value, level + 1, (*parents, len(out) - 1), out)


def _flatten(node: yaml.Node, indent: str = "") -> str:
    """Text of a YAML subtree as 'key: value' lines (a key with an empty value stays a bare
    label, which the classifier reads as unfilled)."""
    if isinstance(node, yaml.ScalarNode):
        return indent + str(node.value) if node.tag != "tag:yaml.org,2002:null" else ""
    lines: list[str] = []
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            text = _flatten(item, indent)
            if text.strip():
                lines.append(text)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            text = _flatten(value, indent + "  ")
            if isinstance(value, yaml.ScalarNode) and "\n" not in text:
                lines.append(f"{indent}{key.value}: {text.strip()}")
            else:
                lines.append(f"{indent}{key.value}:")
                if text.strip():
                    lines.append(text)
    return "\n".join(lines)
