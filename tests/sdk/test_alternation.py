"""A pattern built from a set of phrases is the same in every process, whatever the hash seed
(before: equal-length phrases came in the set's order, so the evidence text a card's check
reported could change between two runs on the same card)."""

from __future__ import annotations

import os
import subprocess
import sys

from tef_harness.sdk.alternation import longest_first

PROBE = """
from tef_harness.checks.documentation.lexicon import phrase_pattern
from tef_harness.checks.documentation.outline import _Words
words = {"architektur", "architecture", "arquitectura", "architettura", "model", "modèle", "modell", "modelo"}
print(phrase_pattern(words))
print(_Words(tuple(words)).phrases)
"""


def pattern_under(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True).stdout


def test_same_pattern_under_every_hash_seed() -> None:
    outputs = {pattern_under(str(seed)) for seed in range(6)}
    assert len(outputs) == 1


def test_longest_first_then_code_point_order() -> None:
    assert sorted({"ab", "b", "abc", "aa", "a"}, key=longest_first) == ["abc", "aa", "ab", "a", "b"]
