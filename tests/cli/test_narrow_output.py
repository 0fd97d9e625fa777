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
