"""One ROC AUC written both in ``model-index`` and in a results table is one claim with two
evidence locations: compared once, one finding naming both places. A different value, or the
same metric of a group, stays a claim of its own. A real ``tef check`` of the shared demo slice
with a card written here (its figures far above what a logistic regression reaches, so each
claim gives a DOC101 finding)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_check_command import tef, write_config
from tests.conftest import Artifacts

CARD = """---
model-index:
  - name: credit-lr
    results:
      - task: {type: tabular-classification}
        dataset: {name: credit hold-out, type: tabular, split: test}
        metrics:
          - {type: roc_auc, value: 0.991, name: ROC AUC}
          - {type: accuracy, value: 0.99, name: Accuracy}
---
# Credit model

## Results

| Metric   | Value |
|----------|-------|
| ROC AUC  | 0.99  |
| Accuracy | 0.98  |
"""


def _consistency(artifacts: Artifacts, folder: Path) -> dict:
    (folder / "card.md").write_text(CARD, encoding="utf-8")
    write_config(folder, artifacts.config().replace(str(artifacts.card), str(folder / "card.md")))
    only = "performance.metrics,documentation.consistency"
    proc = tef("check", "--no-third-party", "--no-tracking", "--only", only, "--format", "json", cwd=folder)
    assert proc.returncode == 1, proc.stderr
    report = json.loads((folder / "out" / "report.json").read_text(encoding="utf-8"))
    return next(r for r in report["results"] if r["check_id"] == "documentation.consistency")


def test_one_claim_in_two_places_is_one_claim(artifacts: Artifacts, tmp_path: Path) -> None:
    result = _consistency(artifacts, tmp_path)
    rows = [r for r in result["details"]["claims"] if r["kind"] == "metric"]
    auc = [r for r in rows if r["metric"] == "roc_auc"]
    assert len(auc) == 1
    # the more precisely written figure is the one tested; the table's row is its second place
    assert auc[0]["declared"] == 0.991
    assert auc[0]["source"] == "card.md: front matter model-index[0].results[0].metrics[0]"
    assert auc[0]["also_at"] == ["card.md: line 17 (table at line 15)"]
    findings = [f for f in result["findings"] if f["code"] == "DOC101" and f["data"]["metric"] == "roc_auc"]
    assert len(findings) == 1
    assert "model-index[0].results[0].metrics[0]; also card.md: line 17" in findings[0]["message"]
    # accuracy 0.99 in model-index and 0.98 in the table are two different statements
    accuracy = sorted(r["declared"] for r in rows if r["metric"] == "accuracy")
    assert accuracy == [0.98, 0.99]
    metrics = {m["name"]: m["value"] for m in result["metrics"]}
    assert metrics["claims.metrics"] == 3
