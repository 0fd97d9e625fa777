"""A metric's dimensions, and the one-to-one name derived from them.

A metric is a criterion measured on a slice of the audit (a sensitive set and one of its
groups, a perturbation family at a severity, a data role, a column, an entity type). The
slice is data: renderers, sinks and other checks look a metric up by these fields, never by
taking its name apart. The name exists for people and for MLflow, whose metric keys must
match ``[\\w.\\-/ ]`` and be at most 250 characters.

The name encoding (``encode_segment``), and why it is one-to-one
------------------------------------------------------------------
Segments are joined with ``/`` in the fixed order of :data:`NAME_ORDER`; a segment never holds
``/`` itself. Inside a segment:

* a character MLflow accepts other than ``_`` (a Unicode word character, ``.``, ``-``, space)
  is kept: ``18-25`` stays ``18-25``;
* any other character (``+``, ``|``, ``/``, ``*``, ``€``) becomes ``_x`` and two upper-case hex
  digits per UTF-8 byte: ``61+`` is ``61_x2B``, ``61-`` stays ``61-``, ``61_`` stays ``61_``;
* the parts of a tuple (an intersection ``("sex", "age_group")``, its group ``("female",
  "61+")``) are joined with ``_x_``: ``sex_x_age_group``, ``female_x_61_x2B``;
* a literal ``_`` is written ``_x5F`` only where it would otherwise read as the start of an
  escape or of a ``_x_`` join, i.e. when ``x`` and then a hex digit or ``_`` follow it;
  ``age_group`` and ``EMAIL_ADDRESS`` keep their underscore;
* a swap of groups (``bias.counterfactual_flip``) is ``<source> to <target>``, each side
  with its spaces escaped (``_x20``), so `` to `` is unambiguous.

Decoding reads left to right: ``_x`` + two hex digits is a byte, ``_x_`` a join, any other
``_`` itself. Encoding is done right to left, so every literal ``_`` it keeps is followed by
text that is final; hence ``decode(encode(v)) == v`` for every value, and two different
dimension sets never derive the same name (tested on the groups ``61+``/``61-``/``61_``).

A name longer than 250 characters keeps its first 231 and ends with ``/h`` and 16 hex digits
of the full name's sha256: collision-resistant rather than one-to-one, and a collision is
still caught where the check output is built (duplicate names raise).

Values pass the masking door (``redact``) before anything else: a group value that looks like
an e-mail or an identifier never reaches a name, a report or MLflow. Masking is not
one-to-one (two masked e-mails can look alike); the duplicate check reports that too.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from tef_harness.sdk.alternation import longest_first
from tef_harness.sdk.masking import redact

MAX_NAME = 250
#: the dimension fields in the order their segments appear in a derived name
NAME_ORDER = (
    "criterion",
    "data_role",
    "sensitive_set",
    "group",
    "swap",
    "family",
    "severity",
    "feature",
    "entity_type",
    "item",
)
_KEPT = re.compile(r"[\w.\- ]")
_JOIN = "_x_"
_CRITERION = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*$")
_HEX = frozenset("0123456789ABCDEF")


def _escape(ch: str) -> str:
    return "".join(f"_x{b:02X}" for b in ch.encode("utf-8"))


def _needs_escape_underscore(suffix: str) -> bool:
    """A literal '_' followed by ``suffix`` would read as an escape or a join."""
    return len(suffix) >= 2 and suffix[0] == "x" and (suffix[1] in _HEX or suffix[1] == "_")


def _encode_tokens(tokens: list[tuple[str, bool]]) -> str:
    """``tokens``: (text, literal). Literal text is escaped character by character, right to
    left; structural text (joins, already-escaped bytes) is copied."""
    out = ""
    for text, literal in reversed(tokens):
        if not literal:
            out = text + out
            continue
        for ch in reversed(text):
            if ch == "_":
                out = ("_x5F" if _needs_escape_underscore(out) else "_") + out
            elif ch in "/" or not _KEPT.fullmatch(ch):
                out = _escape(ch) + out
            else:
                out = ch + out
    return out


def encode_segment(value: str | tuple[str, ...], *, escape_spaces: bool = False) -> str:
    """One name segment for ``value`` (a string, or a tuple joined with ``_x_``); see the
    module docstring for the grammar. An empty part is written ``_xFF``, a byte UTF-8 never
    holds, so it cannot meet a real value and a segment is never empty."""
    parts = (value,) if isinstance(value, str) else value
    tokens: list[tuple[str, bool]] = []
    for i, part in enumerate(parts):
        if i:
            tokens.append((_JOIN, False))
        if part == "":
            tokens.append(("_xFF", False))
            continue
        if escape_spaces:
            for j, chunk in enumerate(part.split(" ")):
                if j:
                    tokens.append(("_x20", False))
                tokens.append((chunk, True))
        else:
            tokens.append((part, True))
    return _encode_tokens(tokens)


def decode_segment(segment: str) -> tuple[str, ...]:
    """The parts ``encode_segment`` encoded (spaces escaped or not, the result is the same)."""
    parts: list[str] = []
    buf = bytearray()
    i = 0
    while i < len(segment):
        ch = segment[i]
        if ch == "_" and segment[i + 1 : i + 3] == "x_":
            parts.append(buf.decode("utf-8"))
            buf = bytearray()
            i += 3
        elif (
            ch == "_"
            and segment[i + 1 : i + 2] == "x"
            and len(segment) >= i + 4
            and set(segment[i + 2 : i + 4]) <= _HEX
        ):
            byte = int(segment[i + 2 : i + 4], 16)
            if byte != 0xFF:
                buf.append(byte)
            i += 4
        else:
            buf.extend(ch.encode("utf-8"))
            i += 1
    parts.append(buf.decode("utf-8"))
    return tuple(parts)


def decode_name(name: str) -> tuple[tuple[str, ...], ...]:
    """The parts of each ``/``-separated segment of a derived metric name (``decode_segment``
    per segment): ``share_ratio/age_group/61_x2B`` is ``(("share_ratio",), ("age_group",),
    ("61+",))``. Raises UnicodeDecodeError for a name cut inside a character's escapes (the
    ``/h<digest>`` form of a long name)."""
    return tuple(decode_segment(segment) for segment in name.split("/"))


def display_name(name: str) -> str:
    """A metric name as a person reads it: each segment decoded, the parts of an intersection
    joined with ``|`` as the report's group labels are (``dp_ratio/sex_x_age_group/female_x_61_x2B``
    reads ``dp_ratio/sex|age_group/female|61+``). For reading only: it is not one-to-one (a value
    holding ``/`` or ``|`` reads like two), so thresholds, waivers, JSON and MLflow keep the
    encoded name. A name that does not decode (cut inside a character) is returned unchanged."""
    try:
        return "/".join("|".join(parts) for parts in decode_name(name))
    except UnicodeDecodeError:
        return name


def display_text(text: str, names: Iterable[str]) -> str:
    """``text`` (a judge's reason, a headline) with each of ``names`` it quotes replaced by its
    ``display_name``; only the names given are touched, so free text that merely looks like an
    escape (a column called ``feat_x1A``) stays as written. A name counts only as a whole word
    (not inside a longer name); the longest name is tried first."""
    readable = {n: d for n in set(names) if (d := display_name(n)) != n}
    if not readable or not text:
        return text
    pattern = "|".join(re.escape(n) for n in sorted(readable, key=longest_first))
    return re.sub(rf"(?<![\w/])(?:{pattern})(?![\w/])", lambda m: readable[m.group(0)], text)


class Dimensions(BaseModel):
    """What a metric measures and on which slice; every field but ``criterion`` optional.

    ``criterion``: what is measured (``dp_difference``, ``flip_rate``, ``accuracy``);
    ``data_role``: which data (``eval``, ``train``, ``card``, ``clean``);
    ``sensitive_set``: the sensitive feature, or the columns of an intersection;
    ``group``: one group of that set (one value per column);
    ``swap``: (source group, target group) of a counterfactual swap;
    ``family`` and ``severity``: a perturbation family and its level (1 = mildest);
    ``feature``: a (non-sensitive) column or a document part; ``entity_type``: a PII entity
    type (presidio's names); ``item``: anything else a check enumerates (an outcome, a canary,
    a documentation section, ``any`` for the aggregate).

    Every string is masked on construction (``tef_harness.sdk.masking.redact``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    criterion: str
    data_role: str | None = None
    sensitive_set: tuple[str, ...] = ()
    group: tuple[str, ...] = ()
    swap: tuple[str, str] | None = None
    family: str | None = None
    severity: int | None = None
    feature: str | None = None
    entity_type: str | None = None
    item: str | None = None

    @field_validator("criterion")
    @classmethod
    def _identifier(cls, v: str) -> str:
        # a criterion is chosen by the check's author, not read from data: it must be a plain
        # identifier so the check id can qualify it exactly once and no '/' can hide in it
        if not _CRITERION.fullmatch(v):
            raise ValueError(f"criterion {v!r} must match [A-Za-z][A-Za-z0-9_.-]* (no '/')")
        return v

    @field_validator("data_role", "family", "feature", "entity_type", "item")
    @classmethod
    def _masked(cls, v: str | None) -> str | None:
        return None if v is None else redact(v)

    @field_validator("sensitive_set", "group", "swap")
    @classmethod
    def _masked_parts(cls, v: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if v is None else tuple(redact(str(p)) for p in v)

    def segments(self) -> tuple[str, ...]:
        """The encoded name segments, in :data:`NAME_ORDER`, of the fields that are set."""
        out: list[str] = []
        for field in NAME_ORDER:
            value: Any = getattr(self, field)
            if value is None or value == ():
                continue
            if field == "swap":
                src, dst = value
                out.append(f"{encode_segment(src, escape_spaces=True)} to {encode_segment(dst, escape_spaces=True)}")
            elif field == "severity":
                out.append(str(value))
            else:
                out.append(encode_segment(value))
        return tuple(out)

    def name(self) -> str:
        """The derived metric name (without the check id); see the module docstring."""
        return _fit("/".join(self.segments()))

    def matches(self, **wanted: object) -> bool:
        """True when every given field equals this one's (tuples compared as tuples; a plain
        string for ``sensitive_set`` or ``group`` stands for a one-part tuple)."""
        for key, want in wanted.items():
            have = getattr(self, key)
            if isinstance(want, str) and isinstance(have, tuple):
                want = (want,)
            if have != want:
                return False
        return True


def is_criterion(name: str) -> bool:
    """True when ``name`` is a plain identifier a :class:`Dimensions` accepts as a criterion."""
    return bool(_CRITERION.fullmatch(name))


def metric_name(*parts: object) -> str:
    """Join parts with '/' after encoding each as one segment (see the module docstring), for
    a plugin that names its metrics itself; built-in checks give :class:`Dimensions` instead."""
    return _fit("/".join(encode_segment(redact(str(p))) for p in parts))


def _fit(name: str) -> str:
    if len(name) <= MAX_NAME:
        return name
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]
    return f"{name[: MAX_NAME - 18]}/h{digest}"


__all__ = [
    "MAX_NAME",
    "NAME_ORDER",
    "Dimensions",
    "decode_name",
    "decode_segment",
    "display_name",
    "display_text",
    "encode_segment",
    "is_criterion",
    "metric_name",
]
