"""Output read in a narrow or a wide window (COLUMNS off a terminal, as in CI logs and pipes):
``tef list-checks`` never cuts a check id (users copy it into ``--only``), and ``tef doc check``
prints its counts as words, keeps its columns aligned whatever an item id's length, and fits
the width it is given."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

TEF = str(Path(sys.executable).with_name("tef"))


def run(*args: str, columns: int, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": str(columns)}
    return subprocess.run([TEF, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("columns", [60, 160])
def test_list_checks_never_cuts_an_id(tmp_path: Path, columns: int) -> None:
    as_json = run("list-checks", "--format", "json", "--no-third-party", columns=columns, cwd=tmp_path)
    listing = json.loads(as_json.stdout)
    ids = [c["id"] for c in listing["checks"]]
    assert any(len(i) > 20 for i in ids)  # long enough to have been cut at 80 columns before
    proc = run("list-checks", "--no-third-party", columns=columns, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    # each id whole on one line, as a word of its own (not run into the cell beside it)
    for check_id in ids:
        whole = re.compile(rf"(?:^|[\s│]){re.escape(check_id)}(?:$|[\s│])")
        assert any(whole.search(ln) for ln in lines), (check_id, proc.stdout)
    assert max(len(ln) for ln in lines) <= columns
    # the descriptions wrap instead: a title longer than what is left beside the id spans lines
    assert len(lines) > len(ids) + 4


CARD = """# Model card

## Overview

A gradient-boosted classifier developed by the credit team to score loan applications.

## Intended use

Scoring applications for consumer loans in the EU. Not for employment decisions.
"""


@pytest.mark.parametrize("columns", [60, 160])
def test_doc_check_counts_in_words_aligned_columns_and_width(tmp_path: Path, columns: int) -> None:
    card = tmp_path / "card.md"
    card.write_text(CARD, encoding="utf-8")
    as_json = run("doc", "check", str(card), "--doc-profile", "hf-model-card", "--json", columns=columns, cwd=tmp_path)
    details = json.loads(as_json.stdout)["details"]
    counts, ids = details["counts"], [r["id"] for r in details["items"]]
    assert max(len(i) for i in ids) > 12  # e.g. HF-library-name: wider than the old fixed column
    proc = run("doc", "check", str(card), "--doc-profile", "hf-model-card", columns=columns, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    text = proc.stdout
    assert "{" not in text.splitlines()[0]
    words = {"missing": "missing", "placeholder": "placeholder", "present": "present", "not_applicable": "n/a"}
    flat = " ".join(text.split())  # the header may wrap at 60 columns
    for state, n in counts.items():
        assert f"{n} {words[state]}" in flat, (state, n, text)
    lines = text.splitlines()
    assert max(len(ln) for ln in lines) <= columns, text
    # every item line: its state, then its id whole, and the text starting in one column for all
    marks = ("ok", "n/a", "PLACEHOLDER", "MISSING")
    item_lines = [ln for ln in lines if ln[2:].split(" ", 1)[0] in marks and ln.startswith("  ") and ln[2] != " "]
    at = 2 + max(len(m) for m in marks) + 1  # where the id starts: after the widest state
    assert [ln[at:].split(" ", 1)[0] for ln in item_lines] == ids
    width = max(len(i) for i in ids)
    starts = {len(ln) - len(ln[at + width :].lstrip()) for ln in item_lines if ln[at + width :].strip()}
    if columns >= at + width + 1 + 24:
        assert starts == {at + width + 1}, text
