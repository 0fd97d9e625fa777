"""A card whose YAML front matter cannot be read: ``tef doc check`` says so first (DOC006), and
the items that live only in the front matter (hf-model-card's license, library_name, datasets,
model-index) say they could not be read because of it, not merely "missing". Items found in the
text are assessed as usual. A real ``tef doc check`` in a subprocess on a real file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CARD = """---
license: mit
library_name: [sklearn
datasets: [credit]
---
# Credit scoring model

## Intended use
Scores consumer credit applications for the risk of default within 12 months.
"""
FRONT_MATTER_ONLY = {"HF-license", "HF-library-name", "HF-datasets", "HF-model-index"}
TEF = str(Path(sys.executable).with_name("tef"))


def _doc_check(tmp_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    card = tmp_path / "card.md"
    card.write_text(CARD, encoding="utf-8")
    return subprocess.run(
        [TEF, "doc", "check", str(card), "--doc-profile", "hf-model-card", *flags],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "COLUMNS": "240"},  # one line per item, so a line holds its whole text
    )


def test_the_front_matter_finding_comes_first_and_explains_the_items(tmp_path: Path) -> None:
    proc = _doc_check(tmp_path)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    first_item = next(i for i, line in enumerate(lines) if line.startswith(("  MISSING ", "  ok ")))
    doc006 = next(i for i, line in enumerate(lines) if line.startswith("  DOC006 [medium] "))
    assert doc006 < first_item  # it comes first: it explains the items below it
    assert lines[doc006].startswith("  DOC006 [medium] card.md: invalid YAML front matter at line 4")
    rows = {line.split()[1]: line for line in lines if line.startswith("  MISSING ") or line.startswith("  ok ")}
    for item in FRONT_MATTER_ONLY:
        assert "could not be read: the front matter of card.md is broken (DOC006)" in rows[item], rows[item]
    # an item of the text is unaffected: found under its heading, or looked for as before
    assert rows["HF-direct-use"].startswith("  ok ") and "heading 'Intended use' (line 8)" in rows["HF-direct-use"]
    assert "could not be read" not in rows["HF-citation"] and "looked for headings" in rows["HF-citation"]
    assert proc.stdout.count("DOC006 [medium]") == 1


def test_the_json_and_the_findings_say_it_too(tmp_path: Path) -> None:
    out = json.loads(_doc_check(tmp_path, "--json").stdout)
    assert out["findings"][0]["code"] == "DOC006"
    items = {r["id"]: r for r in out["details"]["items"]}
    for item in FRONT_MATTER_ONLY:
        assert items[item]["state"] == "missing"  # still not documented: nothing vouches for it
        assert items[item]["note"] == "could not be read: the front matter of card.md is broken (DOC006)"
    missing = {f["data"]["item"]: f["message"] for f in out["findings"] if f["code"] == "DOC001"}
    assert missing["HF-license"].endswith("but the front matter of card.md is broken (DOC006)")
    assert "broken" not in missing["HF-citation"]
