"""Reports built through the real engine, and a factory for hand-made results.

``demo_folder`` runs the real ``tef check`` once per session on the 1,000-row evaluation slice
of the shared demo artifacts, with every family, so renderer and browser tests look at what a
user would get."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tef_harness.config.schema import GateSection
from tef_harness.engine.judge import verdict
from tef_harness.reports.schema import ConformityReport, Coverage
from tef_harness.sdk.dimensions import Dimensions
from tef_harness.sdk.results import CheckResult, Finding, Interval, Metric, Severity, Status
from tef_harness.sdk.views import GroupRow, GroupTable, Measured
from tests.cli.test_check_command import tef, write_config
from tests.conftest import Artifacts
from tests.engine.report_factory import sample_report

XSS = '<script>document.title="pwned"</script><img src=x onerror="document.title=1">'
CARD_XSS = '<script>document.title="pwned"</script>'
DATA_XSS = '<img src=x onerror="document.title=1">'


@pytest.fixture(scope="session")
def engine_report() -> ConformityReport:
    return sample_report()


def make_result(check_id: str = "demo.check", status: Status = Status.PASSED, **kw: Any) -> CheckResult:
    family = check_id.split(".")[0]
    base: dict[str, Any] = dict(
        check_id=check_id,
        family=family,
        title=f"Title of {check_id}",
        check_version="1",
        distribution="tef-harness",
        distribution_version="0",
        status=status,
        reason=None if status == Status.PASSED else f"why {check_id} is {status.value}",
        duration_s=0.25,
    )
    base.update(kw)
    return CheckResult(**base)


def report_with(
    base: ConformityReport, results: list[CheckResult], insufficient_evidence: str = "incomplete"
) -> ConformityReport:
    """``base`` with other results, judged by the engine's own verdict function: a full run of
    exactly these checks (``base`` is a partial one, of two checks)."""
    gate = GateSection(insufficient_evidence=insufficient_evidence)  # type: ignore[arg-type]
    v, reasons = verdict(tuple(results), 0, (), gate)
    config = dict(base.config)
    config["gate"] = gate.model_dump(mode="json")
    return base.model_copy(
        update={
            "results": tuple(results),
            "verdict": v,
            "verdict_reasons": tuple(reasons),
            "config": config,
            "summary": {s.value: sum(1 for r in results if r.status == s) for s in Status},
            "coverage": Coverage(partial=False, checks_selected=len(results), checks_in_profile=len(results)),
        }
    )


def hostile_result() -> CheckResult:
    """A result whose every free-text field carries markup, as a card or a data value could."""
    return make_result(
        "bias.group_fairness",
        Status.FAILED,
        title=f"Fairness {XSS}",
        reason=f"group {XSS} fails",
        metrics=(
            Metric(
                dims=Dimensions(criterion="dp_difference", sensitive_set=("sex",)),
                value=0.3,
                ci=Interval(low=0.2, high=0.4),
                n=500,
            ),
        ),
        findings=(
            Finding(code="BIAS001", severity=Severity.HIGH, message=f"group {XSS} too small", evidence=f"**{XSS}"),
        ),
        views=(
            GroupTable(
                sensitive_set=("sex",),
                level=0.95,
                rows=(
                    GroupRow(
                        group=(XSS,),
                        count=200,
                        measures=(Measured(measure="selection_rate", value=0.5, low=0.4, high=0.6),),
                    ),
                    GroupRow(
                        group=("male",),
                        count=300,
                        measures=(Measured(measure="selection_rate", value=0.2, low=0.15, high=0.25),),
                    ),
                ),
            ),
        ),
    )


@pytest.fixture(scope="session")
def demo_folder(artifacts: Artifacts, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report folder of a full `tef check` (every family) on the demo slice."""
    folder = tmp_path_factory.mktemp("demo-run")
    text = artifacts.config().replace("[documents]", f'train_sample = "{artifacts.train_csv}"\n[documents]')
    text = text.replace('profile = "default"', 'profile = "eu-ai-act-high-risk"')
    text += '[checks."robustness.adversarial".params]\nn_rows = 60\nmax_queries_per_row = 300\n'
    write_config(folder, text)
    proc = tef("check", "--no-third-party", "--format", "json,html,md,junit", cwd=folder)
    assert proc.returncode in (0, 1), proc.stderr
    return folder / "out"


def hostile_inputs(artifacts: Artifacts, folder: Path) -> None:
    """A card whose metric name and a data set whose group value carry markup."""
    card = artifacts.card.read_text(encoding="utf-8")
    assert "            name: Accuracy\n" in card
    (folder / "card.md").write_text(card.replace("name: Accuracy\n", f"name: Accuracy {CARD_XSS}\n", 1))
    df = pd.read_csv(artifacts.eval_csv)
    df["sex"] = df["sex"].replace({"female": DATA_XSS})
    df.to_csv(folder / "eval.csv", index=False)
    text = artifacts.config().replace(str(artifacts.card), str(folder / "card.md"))
    write_config(folder, text.replace(str(artifacts.eval_csv), str(folder / "eval.csv")))


@pytest.fixture(scope="session")
def hostile_folder(artifacts: Artifacts, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    hostile_inputs(artifacts, folder)
    proc = tef("check", "--only", "performance.metrics,documentation.consistency,bias.group_fairness", cwd=folder)
    assert proc.returncode in (0, 1), proc.stderr
    return folder / "out"
