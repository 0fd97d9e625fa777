"""Documentation profiles: which items a document must hold, as data.

A profile is a YAML file listing items with a stable id, the headings (and aliases) that can
hold them, front-matter keys that count as evidence, and whether "not applicable" is an
acceptable answer when justified. Shipped profiles live next to this module; a user's own
profile is loaded from a path and validated strictly, so a typo is an error with its line.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tef_harness.api import ConfigError, Severity
from tef_harness.checks.documentation.parsing import load_yaml

_ITEM_ID = r"^[A-Za-z][A-Za-z0-9.\-_()]{0,40}$"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ProfileItem(_Strict):
    id: Annotated[str, Field(pattern=_ITEM_ID)]
    title: Annotated[str, Field(min_length=1)]
    #: one line telling the author what to write; also the template's hint
    hint: Annotated[str, Field(min_length=1)]
    #: requirement id this item gives evidence for, e.g. ``EU-AI-Act:AnnexIV-1(a)``
    requirement: str | None = None
    #: heading in the template that groups items (e.g. "Annex IV 1: general description")
    group: str = ""
    #: headings or bold labels that may hold the item (the title always counts too)
    headings: tuple[str, ...] = ()
    #: front-matter keys whose filled value counts as the item being present
    front_matter: tuple[str, ...] = ()
    #: key phrases that show the item is documented in prose under another heading
    #: ("developed by", "entwickelt von"); looked for when no heading or key holds the item
    phrases: tuple[str, ...] = ()
    #: the key phrases count inside example code too (fenced blocks of a programming language);
    #: for every other item a phrase in a usage snippet is not a statement about the model
    in_code: bool = False
    #: only the front-matter keys count (a "License" line in the text is not the metadata)
    front_matter_only: bool = False
    #: the card's introduction (its title and the text before the first section) counts as
    #: evidence when nothing else names the item: most cards open by saying what the model is
    intro: bool = False
    required: bool = True
    #: a justified "not applicable" is an acceptable answer
    na_allowed: bool = False
    #: id of an item whose sections this one must appear under (e.g. Annex V items under
    #: the declaration of conformity)
    within: str | None = None
    #: a result: a section for it that holds no number, no image and no pointer to where the
    #: results are ("Fairness metrics: accuracy, precision, recall") names them without a value
    needs_value: bool = False
    #: a use: a section for it that only says what the model is not for ("This model is not ready
    #: to be used in production") states no use (uses.py)
    states_use: bool = False
    #: the system's purpose or use: a section for it that opens with the document as its subject
    #: ("This checklist ensures that ...", a checklist's "Purpose") says what the document is
    #: for, and is no place of the item's (uses.py)
    of_system: bool = False
    #: ids of items whose section also holds this one when it has no place of its own: the
    #: metrics of a card are read from its results section, so an unfilled "Evaluation Results"
    #: leaves the metrics unfilled rather than missing
    unfilled_with: tuple[str, ...] = ()
    #: overrides the default (high when required and N/A is not allowed, else medium)
    severity: Severity | None = None

    @property
    def aliases(self) -> tuple[str, ...]:
        if self.front_matter_only:
            return ()
        return tuple(dict.fromkeys((self.title, *self.headings)))

    @property
    def gate_severity(self) -> Severity:
        if self.severity is not None:
            return self.severity
        return Severity.HIGH if self.required and not self.na_allowed else Severity.MEDIUM


class ScopeNote(_Strict):
    """A statement about the whole document that makes some items not applicable: "This system
    is not placed on the market" answers where the system is placed on the market and how it is
    monitored there, as a reader reads it, when the document has no place for those items."""

    #: what the note says, for the report ("the system is not placed on the market")
    reason: Annotated[str, Field(min_length=1)]
    #: the note's wording in the supported languages (phrases as in items' ``phrases``)
    phrases: Annotated[tuple[str, ...], Field(min_length=1)]
    #: ids of the items it makes not applicable
    covers: Annotated[tuple[str, ...], Field(min_length=1)]


class DocumentationProfile(_Strict):
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.\-_]*$")]
    version: str
    title: str
    description: str = ""
    source: str = ""
    applies_to: Literal["card", "datasheet"] = "card"
    #: group key -> title, for the template's group headings and per-group metrics
    groups: dict[str, str] = Field(default_factory=dict)
    #: phrases that stand in for content, beyond the built-in multilingual ones (lexicon.yaml)
    placeholders: tuple[str, ...] = ()
    items: Annotated[tuple[ProfileItem, ...], Field(min_length=1)]
    #: document-wide statements that make items not applicable when no place names them
    scope_notes: tuple[ScopeNote, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> DocumentationProfile:
        seen: set[str] = set()
        for item in self.items:
            if item.id in seen:
                raise ValueError(f"duplicate item id {item.id!r}")
            if self.groups and item.group not in self.groups:
                raise ValueError(f"item {item.id!r}: group {item.group!r} is not one of the profile's groups")
            if item.within is not None and item.within not in seen:
                raise ValueError(f"item {item.id!r}: within={item.within!r} must name an item listed before it")
            seen.add(item.id)
        for item in self.items:
            unknown = [i for i in item.unfilled_with if i not in seen or i == item.id]
            if unknown:
                raise ValueError(f"item {item.id!r}: unfilled_with names unknown item(s) {', '.join(unknown)}")
        for note in self.scope_notes:
            unknown = [i for i in note.covers if i not in seen]
            if unknown:
                raise ValueError(f"scope note {note.reason!r} covers unknown item(s) {', '.join(unknown)}")
        return self

    def item(self, item_id: str) -> ProfileItem:
        return next(i for i in self.items if i.id == item_id)


def shipped_documentation_profiles() -> tuple[str, ...]:
    folder = resources.files(__package__).joinpath("profiles")
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml")))


def load_documentation_profile(name_or_path: str) -> tuple[DocumentationProfile, str]:
    """The profile and where it came from (``builtin:<name>`` or the path).

    A bare name is a shipped profile; anything else (a name ending in .yaml/.yml or
    containing a path separator) is a file, resolved against the working directory.
    """
    if re.fullmatch(r"[a-z0-9][a-z0-9.\-_]*", name_or_path) and not name_or_path.endswith((".yaml", ".yml")):
        if name_or_path not in shipped_documentation_profiles():
            raise ConfigError(
                f"unknown documentation profile {name_or_path!r}; shipped: "
                f"{', '.join(shipped_documentation_profiles())} (or give a path to a .yaml file)",
                field="profile",
            )
        text = resources.files(__package__).joinpath("profiles", name_or_path + ".yaml").read_text("utf-8")
        return parse_profile(text, f"builtin:{name_or_path}"), f"builtin:{name_or_path}"
    path = Path(name_or_path)
    if not path.is_file():
        raise ConfigError("documentation profile file not found", file=path, field="profile")
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise ConfigError("profile is not valid UTF-8", file=path, field="profile") from None
    return parse_profile(text, str(path)), str(path)


def parse_profile(text: str, source: str) -> DocumentationProfile:
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise ConfigError(f"{where}invalid YAML: {getattr(exc, 'problem', exc)}", file=source) from None
    if not isinstance(data, dict):
        raise ConfigError("a documentation profile must be a YAML mapping", file=source)
    duplicate = _duplicate_key(yaml.compose(text, Loader=yaml.SafeLoader))
    if duplicate is not None:
        # YAML keeps the last of two equal keys: a second 'headings:' would silently drop the first
        key, at = duplicate
        raise ConfigError(f"line {at}: key {key!r} is given twice in the same mapping", file=source, field=key)
    try:
        return DocumentationProfile.model_validate(data)
    except ValidationError as exc:
        # a bad item also fails its parent list's length check: report the item, not the echo
        errors = exc.errors()
        locs = [tuple(e["loc"]) for e in errors]
        errors = [
            e
            for e, loc in zip(errors, locs, strict=True)
            if not any(other[: len(loc)] == loc and other != loc for other in locs)
        ]
        err = errors[0]
        loc = tuple(err["loc"])
        line = _line_of(yaml.compose(text, Loader=yaml.SafeLoader), loc)
        dotted = ".".join(str(p) for p in loc) or "profile"
        what = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        message = f"line {line}: {what}{more}" if line else f"{what}{more}"
        raise ConfigError(message, file=source, field=dotted) from None


def _duplicate_key(node: yaml.Node | None) -> tuple[str, int] | None:
    """The first key given twice in one mapping, with its 1-based line."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                return name, key.start_mark.line + 1
            seen.add(name)
            found = _duplicate_key(value)
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found = _duplicate_key(item)
            if found:
                return found
    return None


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """1-based line of the YAML node at a pydantic error location (the key for mappings)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if match is None:
                return line
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line
