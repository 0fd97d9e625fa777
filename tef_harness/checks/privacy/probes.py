"""A cheaper first gate in front of a recognizer's own patterns: a character class that
every match of a pattern must contain at least one character of.

The class is derived from the parsed regex: a sequence needs what any one of its mandatory
elements needs (we keep the narrowest), an alternation the union of what its branches
need, an optional element nothing. What we cannot reason about (lookarounds, inline flag
changes, back-references, syntax only the ``regex`` module knows) yields no class, and then
the gate is skipped and the pattern itself is the probe. The gate is compiled by the
``regex`` module with the recognizer's own flags, the engine presidio uses, so case folding
and Unicode classes (``\\d`` = any Nd digit) agree with the pattern's. A text without any
character of the class cannot contain a match.
"""

from __future__ import annotations

import functools
import re
import warnings
from typing import Any

import regex  # type: ignore[import-untyped]

_CATEGORY_ATOMS = {
    "CATEGORY_DIGIT": (r"\d", 10),
    "CATEGORY_SPACE": (r"\s", 6),
    "CATEGORY_WORD": (r"\w", 10_000),
    "CATEGORY_NOT_DIGIT": (r"\D", 10**7),
    "CATEGORY_NOT_SPACE": (r"\S", 10**7),
    "CATEGORY_NOT_WORD": (r"\W", 10**7),
}
#: syntax the stdlib parser reads differently from the ``regex`` module, or not at all
_REGEX_ONLY = re.compile(r"\[:|\[\[|\\[pPNXRKGLVQE]|\(\?[Vrfbe]|\(\?\||\(\?&|\(\?R|\(\?\d|\(\?P?>|\\[0-9]|\(\?\(")

Requirement = tuple[frozenset[str], int]  # (class atoms, cost ~ how often text has one)

_COMMON = frozenset(" .,-'\n\t")


def _char_cost(ch: str) -> int:
    """Rough frequency in ordinary text: a gate on a digit skips most prose; a gate on a
    space or a letter skips almost nothing."""
    if ch.isdigit():
        return 1
    if ch in _COMMON:
        return 400
    if ch.isalpha():
        return 60
    return 5


def _node(op: Any, av: Any) -> Requirement | None:
    from re import _constants as c  # type: ignore[attr-defined]

    if op is c.LITERAL:
        return frozenset({regex.escape(chr(av))}), _char_cost(chr(av))
    if op is c.IN:
        atoms: set[str] = set()
        cost = 0
        for iop, iav in av:
            if iop is c.LITERAL:
                atoms.add(regex.escape(chr(iav)))
                cost += _char_cost(chr(iav))
            elif iop is c.RANGE:
                atoms.add(f"{regex.escape(chr(iav[0]))}-{regex.escape(chr(iav[1]))}")
                cost += sum(_char_cost(chr(x)) for x in range(iav[0], min(iav[1], iav[0] + 200) + 1))
            elif iop is c.CATEGORY and str(iav) in _CATEGORY_ATOMS:
                atom, extra = _CATEGORY_ATOMS[str(iav)]
                atoms.add(atom)
                cost += extra
            else:  # NEGATE and anything unusual: no requirement
                return None
        return (frozenset(atoms), cost) if atoms else None
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _high, sub = av
        return _sequence(sub) if low >= 1 else None
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return None if (add_flags or del_flags) else _sequence(sub)
    if op is c.ATOMIC_GROUP:
        return _sequence(av)
    if op is c.BRANCH:
        branches = [_sequence(b) for b in av[1]]
        if any(b is None for b in branches):
            return None
        kept = [b for b in branches if b is not None]
        return frozenset().union(*(b[0] for b in kept)), sum(b[1] for b in kept)
    return None  # AT, ANY, NOT_LITERAL, ASSERT(_NOT), GROUPREF, bare CATEGORY, ...


def _sequence(items: Any) -> Requirement | None:
    best: Requirement | None = None
    for op, av in items:
        req = _node(op, av)
        if req is not None and (best is None or req[1] < best[1]):
            best = req
    return best


def necessary_class(pattern: str, *, stdlib: bool = False) -> str | None:
    """The body of a character class every match of ``pattern`` contains a character of,
    or None when none can be derived safely. ``stdlib``: the pattern is compiled by ``re``
    (as phonenumbers' are), whose parser this is, so syntax only ``regex`` reads
    differently does not matter."""
    if not stdlib and _REGEX_ONLY.search(pattern):
        return None
    try:
        from re import _parser  # type: ignore[attr-defined]

        with warnings.catch_warnings():
            warnings.simplefilter("error")  # e.g. "possible nested set": regex would read it differently
            parsed = _parser.parse(pattern, re.DOTALL | re.MULTILINE)
    except (re.error, FutureWarning, DeprecationWarning, RecursionError, OverflowError, ValueError):
        return None
    req = _sequence(parsed)
    if req is None or req[1] >= 2_000:  # about as common as letters: not worth a gate
        return None
    return "".join(sorted(req[0]))


def class_gate(patterns: list[str], flags: int) -> Any | None:
    """One compiled class for a recognizer's patterns (the union of theirs: a text without
    any of its characters matches none of them), or None when a pattern has none."""
    classes = []
    for p in patterns:
        cls = necessary_class(p)
        if cls is None:
            return None
        classes.append(cls)
    return regex.compile("[" + "".join(sorted(set(classes))) + "]", flags) if classes else None


#: Unicode decimal digits as the ``regex`` module reads ``\d``; one search of this per text
#: stands in for every gate that only admits digits
DIGIT = regex.compile(r"\d")


@functools.cache
def _non_digits() -> str:
    """Every code point that ``DIGIT`` does not match (surrogates excluded)."""
    chars = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    return str(DIGIT.sub("", chars))


def only_digits(gate: Any) -> bool:
    """True when the single-character gate (compiled by ``re`` or ``regex``, with its own
    flags) matches no character outside ``DIGIT``: a text without a digit then cannot pass
    it. Checked against every code point, so engine and Unicode-version differences are
    measured, not assumed."""
    return gate.search(_non_digits()) is None
