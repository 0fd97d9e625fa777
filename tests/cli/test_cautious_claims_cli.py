"""``tef check`` on a card whose claims sit on the cautious side of what was measured passes
documentation.consistency with DOC102 notes; the same claims on the favourable side fail it
(the unit cases, edges included: tests/checks/documentation/test_documentation_cautious_claims.py).

ROC AUC (greater is better) and log loss (a loss) are claimed far outside any interval a
real model gives on the test data, on one side and then the other; the directions are the ones
performance.metrics measured with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_check_command import tef, write_config
from tests.conftest import Artifacts


def card(roc_auc: str, log_loss: str) -> str:
    return (
        "---\nmodel-index:\n  - name: m\n    results:\n      - task: {type: tabular-classification}\n"
        "        dataset: {name: hold-out, split: test}\n        metrics:\n"
        f"          - {{type: roc_auc, value: {roc_auc}}}\n          - {{type: log_loss, value: {log_loss}}}\n"
        "---\n# Card\n\nEvaluated by sex and age_group.\n"
    )


def run(artifacts: Artifacts, folder: Path, text: str) -> tuple[int, dict]:
    (folder / "card.md").write_text(text, encoding="utf-8")
    write_config(folder, artifacts.config().replace(f'card = "{artifacts.card}"', 'card = "card.md"'))
    proc = tef("check", "--no-third-party", "--only", "performance.metrics,documentation.consistency", cwd=folder)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads((folder / "out" / "report.json").read_text())


def by_id(report: dict, check_id: str) -> dict:
    return next(r for r in report["results"] if r["check_id"] == check_id)


@pytest.mark.parametrize(
    ("roc_auc", "log_loss", "code", "status", "exit_code"),
    [("0.01", "9.0", "DOC102", "passed", 0), ("0.999", "0.001", "DOC101", "failed", 1)],
    ids=["cautious", "overstated"],
)
def test_claim_side_decides_through_the_cli(
    artifacts: Artifacts, tmp_path: Path, roc_auc: str, log_loss: str, code: str, status: str, exit_code: int
) -> None:
    rc, report = run(artifacts, tmp_path, card(roc_auc, log_loss))
    measured = {m["name"]: m for m in by_id(report, "performance.metrics")["metrics"]}
    # the claims are where the test means them to be, by the measured intervals
    low_auc, high_auc = measured["roc_auc"]["ci"]["low"], measured["roc_auc"]["ci"]["high"]
    low_ll, high_ll = measured["log_loss"]["ci"]["low"], measured["log_loss"]["ci"]["high"]
    if code == "DOC102":
        assert float(roc_auc) < low_auc and float(log_loss) > high_ll
    else:
        assert float(roc_auc) > high_auc and float(log_loss) < low_ll
    consistency = by_id(report, "documentation.consistency")
    assert consistency["status"] == status and rc == exit_code
    found = [f for f in consistency["findings"] if f["code"] in ("DOC101", "DOC102")]
    assert [(f["code"], f["data"]["metric"]) for f in found] == [(code, "roc_auc"), (code, "log_loss")]
    counts = {m["name"]: m["value"] for m in consistency["metrics"]}
    side = "understated" if code == "DOC102" else "overstated"
    assert counts[f"claims.{side}"] == 2 and counts["claims.outside_interval"] == 2
    (bound,) = consistency["thresholds"]
    assert bound["metric"] == "claims.overstated" and bound["passed"] is (status == "passed")
