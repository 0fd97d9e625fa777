"""A threshold on a name a check could not declare up front (``bias.group_fairness``: its
names hold column and group values) and that nothing measured: after a real `tef check`, the
check is insufficient evidence and says which metrics were measured, instead of failing with
'dp_diference/sex = none'."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_check_command import tef, write_config
from tests.conftest import Artifacts


def test_a_misspelt_name_nothing_measured_is_insufficient_evidence(artifacts: Artifacts, tmp_path: Path) -> None:
    extra = (
        '[checks."bias.group_fairness"]\n'
        "params = { max_intersection = 1 }\n"  # no intersection too small to judge
        'thresholds = [{ metric = "dp_diference/sex", max = 0.1 }, { metric = "dp_difference/*", max = 1 }]\n'
    )
    # the minimal profile bounds no fairness metric: only these two thresholds judge the check
    write_config(tmp_path, artifacts.config(extra).replace('profile = "default"', 'profile = "minimal"'))
    proc = tef("check", "--no-third-party", "--no-tracking", "--only", "bias.group_fairness", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    results = json.loads((tmp_path / "out" / "report.json").read_text())["results"]
    (r,) = [r for r in results if r["check_id"] == "bias.group_fairness"]
    assert r["status"] == "insufficient_evidence", r["reason"]
    typo = next(t for t in r["thresholds"] if t["metric"] == "dp_diference/sex")
    measured = [m["name"] for m in r["metrics"]]
    assert "dp_difference/sex" in measured
    assert typo["note"].startswith("no metric named 'dp_diference/sex' was measured (measured: ")
    assert f"(measured: {', '.join(measured[:3])}" in typo["note"]
    assert "no metric named 'dp_diference/sex' was measured" in r["reason"]
    # the correctly named bound beside it was judged and met
    assert all(t["passed"] for t in r["thresholds"] if t["metric"].startswith("dp_difference/"))
