"""A run narrowed by ``--only`` says it is partial wherever the verdict is read (found by a
new-user trial: ``--only performance.metrics`` printed "conformant" with no word that 15 of 16
checks were left out).

What was chosen, and why: pytest's ``-k`` is the model. The verdict word in machine fields
(``report.json``'s ``verdict``, the ``tef.verdict`` tag, the JUnit ``verdict`` property) and the
exit code stay the judge's, so a CI gate that runs a subset on purpose can pass; every place a
person reads the verdict qualifies it ("conformant (partial: 1 of 16 checks)"), the first verdict
reason names every check left out, report.json carries ``coverage``, JUnit lists each left-out
check as a skipped case, and the MLflow run has ``tef.coverage`` and ``tef.checks_not_selected``.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from tef_harness.config.policy import load_policy_profile
from tef_harness.config.schema import LoadedConfig, TefConfig
from tef_harness.engine.coverage import coverage_for
from tef_harness.engine.planning import make_plan
from tef_harness.engine.registry import discover
from tef_harness.reports.schema import Coverage
from tests.cli.test_check_command import tef, write_config
from tests.conftest import Artifacts
from tests.tracking.conftest import tef as tef_tracking


def builtin_check_ids() -> list[str]:
    """The shipped checks, from the package's entry points (not from the harness's registry)."""
    eps = entry_points(group="tef_harness.checks")
    return sorted(ep.name for ep in eps if ep.dist is not None and ep.dist.name == "tef-harness")


class _Banner(HTMLParser):
    """The page title, the banner's classes and the text of the h1's parts."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.banner_classes: list[str] = []
        self.h1: dict[str, str] = {}
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "header" and a.get("id") == "verdict":
            self.banner_classes = (a.get("class") or "").split()
        self._stack.append(f"{tag}.{a.get('class') or ''}")

    def handle_endtag(self, tag: str) -> None:
        if self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1].startswith("title."):
            self.title += data
        if len(self._stack) >= 2 and self._stack[-2].startswith("h1."):
            self.h1[self._stack[-1]] = self.h1.get(self._stack[-1], "") + data.strip()


@pytest.fixture(scope="module")
def partial_run(artifacts: Artifacts, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, int]:
    folder = tmp_path_factory.mktemp("partial")
    write_config(folder, artifacts.config())
    # tracking on, to the embedded sqlite store beside the config, as a user's first run is
    proc = tef_tracking("check", "--no-third-party", "--only", "performance.metrics", cwd=folder)
    return folder, proc.stderr, proc.returncode


def test_exit_code_and_verdict_word_stay_the_judges(partial_run: tuple[Path, str, int]) -> None:
    folder, stderr, code = partial_run
    assert code == 0, stderr  # a gate that runs a subset on purpose still passes
    report = json.loads((folder / "out" / "report.json").read_text())
    assert report["verdict"] == "conformant"
    (result,) = report["results"]
    assert result["check_id"] == "performance.metrics" and result["status"] == "passed"


def test_report_json_says_partial_and_names_the_checks_left_out(partial_run: tuple[Path, str, int]) -> None:
    folder, _, _ = partial_run
    report = json.loads((folder / "out" / "report.json").read_text())
    shipped = builtin_check_ids()
    left_out = [c for c in shipped if c != "performance.metrics"]
    assert len(shipped) == 16  # the count a user saw; a new shipped check changes it here first
    assert report["coverage"] == {
        "partial": True,
        "checks_selected": 1,
        "checks_in_profile": len(shipped),
        "not_selected": left_out,
    }
    first = report["verdict_reasons"][0]
    assert first.startswith(f"partial audit: {len(left_out)} of {len(shipped)} checks left out by --only")
    assert all(c in first for c in left_out)
    schema = json.loads(tef("report", "schema", cwd=folder).stdout)
    assert "coverage" in schema["properties"]


def test_console_markdown_and_html_qualify_the_verdict(partial_run: tuple[Path, str, int]) -> None:
    folder, stderr, _ = partial_run
    label = "partial: 1 of 16 checks"
    # the verdict line says "partial" once, with every check left out (it wraps to the width)
    verdict_line = " ".join(stderr[stderr.index("verdict:") :].split("\nreport: ")[0].split())
    assert verdict_line.startswith(f"verdict: conformant ({label}; left out by --only: bias.counterfactual_flip, ")
    assert verdict_line.count("partial") == 1, verdict_line
    assert all(c in verdict_line for c in builtin_check_ids() if c != "performance.metrics")
    md = (folder / "out" / "report.md").read_text()
    assert md.splitlines()[0] == f"## ✅ Conformity report: **conformant** ({label})"
    assert "- partial audit: 15 of 16 checks left out" in md
    page = _Banner()
    page.feed((folder / "out" / "report.html").read_text())
    assert f"conformant ({label})" in page.title
    assert "partial" in page.banner_classes and "conformant" in page.banner_classes
    assert page.h1["span.verdict"] == "conformant"
    assert page.h1["span.partial"] == f"({label})"


def test_junit_counts_the_checks_left_out_as_skipped(partial_run: tuple[Path, str, int]) -> None:
    folder, _, _ = partial_run
    suite = ET.parse(folder / "out" / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["verdict"] == "conformant" and props["coverage"] == "partial: 1 of 16 checks"
    left_out = [c for c in builtin_check_ids() if c != "performance.metrics"]
    assert props["checks_not_selected"] == ", ".join(left_out)
    skipped = {c.get("name"): c.find("skipped") for c in suite.iter("testcase") if c.find("skipped") is not None}
    assert sorted(skipped) == left_out
    assert all("not selected" in (s.get("message") or "") for s in skipped.values())
    assert (suite.get("tests"), suite.get("skipped"), suite.get("failures")) == ("16", "15", "0")


def test_mlflow_run_is_tagged_partial(partial_run: tuple[Path, str, int]) -> None:
    from mlflow.tracking import MlflowClient

    folder, _, _ = partial_run
    client = MlflowClient(tracking_uri=f"sqlite:///{folder / 'mlflow.db'}")
    (experiment,) = [e for e in client.search_experiments() if e.name.startswith("tef/")]
    (run,) = client.search_runs([experiment.experiment_id])
    tags = run.data.tags
    assert tags["tef.verdict"] == "conformant"  # a search on the word still finds it
    assert tags["tef.coverage"] == "partial: 1 of 16 checks"
    assert tags["tef.checks_not_selected"].split(", ") == [c for c in builtin_check_ids() if c != "performance.metrics"]
    assert run.info.run_name.endswith(": conformant (partial: 1 of 16 checks)")


# -- what counts: the plan's coverage, without running a check -----------------------------------
def _coverage(**config: object) -> Coverage:
    lc = LoadedConfig(config=TefConfig.model_validate(config), source=None, base_dir=Path("."))
    profile, _ = load_policy_profile("default", Path("."))
    return coverage_for(make_plan(lc, profile, discover(third_party=False)))


def test_a_full_run_is_not_partial() -> None:
    c = _coverage()
    n = len(builtin_check_ids())
    assert (c.partial, c.checks_selected, c.checks_in_profile, c.not_selected) == (False, n, n, ())


def test_only_naming_every_check_is_not_partial() -> None:
    ids = builtin_check_ids()
    assert not _coverage(plugins={"only": ids}).partial


def test_a_disabled_check_is_outside_the_audit_not_left_out() -> None:
    """``enabled = false`` takes a check out of the audit the config defines: with --only it
    is neither selected nor counted as left out."""
    off = {"checks": {"privacy.pii_in_data": {"enabled": False}}}
    c = _coverage(plugins={"only": ["performance.metrics"]}, **off)
    n = len(builtin_check_ids())
    assert (c.checks_selected, c.checks_in_profile) == (1, n - 1)
    assert "privacy.pii_in_data" not in c.not_selected and len(c.not_selected) == n - 2
    full = _coverage(**off)
    assert not full.partial and full.checks_in_profile == n - 1


def test_a_report_written_before_the_field_is_read_from_not_run(partial_run: tuple[Path, str, int]) -> None:
    """A report.json without ``coverage`` (written before it existed) is still shown partial:
    the checks ``not_run`` lists as not selected are the ones left out."""
    from tef_harness.reports.coverage import coverage_of, verdict_label
    from tef_harness.reports.schema import ConformityReport

    folder, _, _ = partial_run
    raw = json.loads((folder / "out" / "report.json").read_text())
    written = raw.pop("coverage")
    old = ConformityReport.model_validate(raw)
    assert old.coverage is None
    assert coverage_of(old).model_dump(mode="json") == written
    assert verdict_label(old, words=True) == "conformant (partial: 1 of 16 checks)"
