"""junit.xml's messages and report.md's baseline table name a group as a person reads it
(``61+``), as the other renderers do, not by its encoded key (``61_x2B``).

Real ``tef check`` runs on the shared demo slice: ``bias.data_representation`` with a declared
share of the 61+ group the data fall short of, then the same audit against a baseline whose
61+ share ratio was higher (the report.json of the first run, that one number raised).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.cli.test_check_command import tef, write_config
from tests.conftest import Artifacts

ENCODED, DECODED = "share_ratio/age_group/61_x2B", "share_ratio/age_group/61+"
CONFIG = """[checks."bias.data_representation".params]
reference = { age_group = { "18-25" = 0.12, "26-40" = 0.30, "41-60" = 0.35, "61+" = 0.23 } }
[baseline]
thresholds = [
  { metric = "bias.data_representation/share_ratio/*", min_absolute_change = -0.01, greater_is_better = true },
]
"""


@pytest.fixture(scope="module")
def runs(artifacts: Artifacts, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("decoded")
    write_config(folder, artifacts.config(CONFIG))
    only = ("--only", "bias.data_representation", "--no-tracking", "--no-third-party")
    first = tef("check", *only, "--out", "v1", "--format", "json,junit", cwd=folder)
    assert first.returncode == 1, first.stderr  # 61+ falls short of its declared share
    report = json.loads((folder / "v1" / "report.json").read_text(encoding="utf-8"))
    metric = next(m for m in report["results"][0]["metrics"] if m["name"] == ENCODED)
    metric["value"] += 0.25
    (folder / "higher.json").write_text(json.dumps(report), encoding="utf-8")
    second = tef("check", *only, "--baseline", "higher.json", "--format", "json,md", cwd=folder)
    assert second.returncode == 1, second.stderr
    return folder


def test_junit_message_names_the_group_decoded(runs: Path) -> None:
    root = ET.parse(runs / "v1" / "junit.xml").getroot()
    failure = root.find("testsuite/testcase[@name='bias.data_representation']/failure")
    assert failure is not None
    message = failure.get("message", "")
    assert DECODED in message and "_x2B" not in message


def test_baseline_table_names_the_metric_decoded(runs: Path) -> None:
    md = (runs / "out" / "report.md").read_text(encoding="utf-8")
    table = md.split("### Changes against the baseline", 1)[1].split("### ", 1)[0]
    assert f"`bias.data_representation/{DECODED}`" in table
    assert "_x2B" not in table
    # the value beside it is the one the candidate measured, 0.25 under the edited baseline
    now = json.loads((runs / "out" / "report.json").read_text(encoding="utf-8"))
    value = next(m["value"] for m in now["results"][0]["metrics"] if m["name"] == ENCODED)
    assert f"| {value + 0.25:.4g} | {value:.4g} | -0.25 |" in table
