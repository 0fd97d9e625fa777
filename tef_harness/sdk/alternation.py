"""Ordering the alternatives of a regular expression built from a set of phrases."""

from __future__ import annotations


def longest_first(phrase: str) -> tuple[int, str]:
    """Sort key for the alternatives of a regex alternation: longer phrases first, because
    Python's ``re`` takes the first alternative that matches, not the longest ("model card"
    must be tried before "model"); equal lengths in code-point order, so that the pattern,
    and the evidence a check reports from it, are the same in every process (a ``set``'s
    iteration order changes with ``PYTHONHASHSEED``)."""
    return -len(phrase), phrase
