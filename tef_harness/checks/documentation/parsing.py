"""Documents as a reader sees them: YAML front matter plus a tree of sections.

A model card is Markdown with optional YAML front matter (the Hugging Face format, including
``model-index``). Sections come from ATX headings (``## Intended Use``), setext headings and
bold labels at the start of a line (``- **Developed by:** Acme``), because terse cards and
the Hugging Face template both hold items in labels rather than headings. A structured
technical-documentation file or datasheet in YAML becomes the same tree: each key is a
heading, nested mappings are subsections.

Errors name the file and the line: the person reading them is auditing somebody else's file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import yaml

from tef_harness.api import IntakeError, TextDocument

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# "- **Developed by:** Acme", "**Intended use**: scoring", "* __License:__ MIT"
_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+)?(\*\*|__)(?P<label>[^*_\n]{2,80}?)\s*(?P<c1>:?)\s*\1\s*(?P<c2>:?)\s*(?P<rest>.*)$"
)
_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STRUCTURED_SUFFIXES = {".yaml", ".yml", ".json"}


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


# -- Markdown -------------------------------------------------------------------------------
def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str, int]:
    """(front matter, body, 1-based line of the body's first line)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text, 1
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        raise IntakeError(
            "YAML front matter opened with '---' on line 1 is never closed (add a '---' line after it)",
            file=path,
            field="front matter",
        )
    raw = "\n".join(lines[1:end])
    try:
        data = load_yaml(raw) if raw.strip() else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"line {mark.line + 2}" if mark is not None else "lines 2-" + str(end)
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise IntakeError(f"invalid YAML front matter at {where}: {problem}", file=path, field="front matter") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise IntakeError(
            f"YAML front matter (lines 2-{end}) must be a mapping of keys, got {type(data).__name__}",
            file=path,
            field="front matter",
        )
    return {str(k): v for k, v in data.items()}, "\n".join(lines[end + 1 :]), end + 2


def parse_markdown(text: str, *, role: str, path: str) -> ParsedDocument:
    front, body, body_line = split_front_matter(text, path)
    lines = body.splitlines()
    heads = _headings(lines)  # (line index, level, title, first body index)
    sections: list[Section] = []
    stack: list[tuple[int, int]] = []  # (level, section index)
    for k, (idx, level, title, start) in enumerate(heads):
        end = next((h[0] for h in heads[k + 1 :] if h[1] <= level), len(lines))
        while stack and stack[-1][0] >= level:
            stack.pop()
        parents = tuple(s for _, s in stack)
        own_end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        sections.append(
            Section(
                title,
                level,
                body_line + idx,
                "\n".join(lines[start:end]),
                "heading",
                parents,
                "\n".join(lines[start:own_end]),
            )
        )
        head_index = len(sections) - 1
        stack.append((level, head_index))
        sections.extend(_labels(lines, start, own_end, level, (*parents, head_index), body_line))
    preamble_end = heads[0][0] if heads else len(lines)
    sections.extend(_labels(lines, 0, preamble_end, 0, (), body_line))
    return ParsedDocument(role, path, front, tuple(sections), body, body_line)


def _headings(lines: list[str]) -> list[tuple[int, int, str, int]]:
    heads: list[tuple[int, int, str, int]] = []
    fence: str | None = None
    for i, line in enumerate(lines):
        fm = _FENCE.match(line)
        if fm:
            marker = fm.group(1)[0]
            fence = None if fence == marker else (fence or marker)
            continue
        if fence:
            continue
        m = _ATX.match(line)
        if m:
            heads.append((i, len(m.group(1)), _clean_heading(m.group(2) or ""), i + 1))
            continue
        s = _SETEXT.match(line)
        prev = lines[i - 1].strip() if i else ""
        if (
            s
            and prev
            and not _ATX.match(lines[i - 1])
            and not prev.startswith(("-", "*", "|", ">"))
            and not (heads and heads[-1][0] == i - 1)
            and (i < 2 or not lines[i - 2].strip())
        ):
            heads.append((i - 1, 1 if s.group(1)[0] == "=" else 2, _clean_heading(prev), i + 1))
    return heads


def _labels(lines: list[str], start: int, end: int, level: int, parents: tuple[int, ...], offset: int) -> list[Section]:
    out: list[Section] = []
    i = start
    while i < end:
        m = _LABEL.match(lines[i])
        if not (m and (m.group("c1") or m.group("c2"))):
            i += 1
            continue
        body = [m.group("rest")]
        j = i + 1
        while j < end and lines[j].strip() and not _LABEL.match(lines[j]) and not re.match(r"^\s*[-*+]\s", lines[j]):
            body.append(lines[j])
            j += 1
        out.append(Section(_clean_heading(m.group("label")), level + 1, offset + i, "\n".join(body), "label", parents))
        i = j
    return out


def _clean_heading(title: str) -> str:
    return re.sub(r"[*_`]+", "", title).strip().rstrip(":").strip()


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
