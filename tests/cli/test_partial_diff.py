"""A partial audit (``--only``) compared with a full one is not "everything resolved" (found
by a new-user trial: ``tef report diff FULL PARTIAL`` printed ``non_conformant -> conformant``,
``failed -> absent`` and every finding of the left-out checks as resolved; report.md's
"Changes against the baseline" said the same).

A check one side left out by ``--only`` was not run there: its status is ``not_selected``, its
findings are "not compared" (neither new nor resolved), and the comparison says which side is
partial. The reports are two real runs of the test data: a full audit of a profile narrowed by
``enabled = false`` to two checks (performance.metrics, bias.group_fairness; a disabled check
is outside the audit, so the run is full) and the same audit with ``--only performance.metrics``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_check_command import tef, write_config
from tests.cli.test_partial_run import builtin_check_ids
from tests.conftest import Artifacts

KEPT = ("performance.metrics", "bias.group_fairness", "documentation.completeness")
LEFT_OUT = "bias.group_fairness, documentation.completeness"


def _two_checks_config(artifacts: Artifacts) -> str:
    # the shipped checks only: the runs pass --no-third-party
    off = "".join(f'[checks."{c}"]\nenabled = false\nrequired = false\n' for c in builtin_check_ids() if c not in KEPT)
    return artifacts.config(off)


@pytest.fixture(scope="module")
def runs(artifacts: Artifacts, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``full/`` and ``partial/`` report folders of the same config (tracking off)."""
    folder = tmp_path_factory.mktemp("partial-diff")
    write_config(folder, _two_checks_config(artifacts))
    full = tef("check", "--no-third-party", "--no-tracking", "--out", "full", cwd=folder)
    assert full.returncode == 1, full.stderr  # bias.group_fairness fails on this data
    part = tef(
        "check", "--no-third-party", "--no-tracking", "--only", "performance.metrics", "--out", "partial", cwd=folder
    )
    assert part.returncode == 0, part.stderr
    # what the terminal showed (the console renderer's summary), for the verdict-line test
    (folder / "partial-console.txt").write_text(part.stdout + part.stderr, encoding="utf-8")
    return folder


def _left_out_findings(report_json: Path) -> set[str]:
    """The findings of the checks --only left out, as the diff keys them, from report.json."""
    report = json.loads(report_json.read_text())
    out = {
        f"{r['check_id']} {f['code']} ({f['severity']})" + (f" at {f['location']}" if f.get("location") else "")
        for r in report["results"]
        if r["check_id"] != "performance.metrics"
        for f in r["findings"]
    }
    assert out  # documentation.completeness: the card leaves items out
    return out


def test_the_runs_are_one_full_and_one_partial(runs: Path) -> None:
    full = json.loads((runs / "full" / "report.json").read_text())
    part = json.loads((runs / "partial" / "report.json").read_text())
    assert full["coverage"]["partial"] is False and full["coverage"]["checks_in_profile"] == 3
    assert part["coverage"] == {
        "partial": True,
        "checks_selected": 1,
        "checks_in_profile": 3,
        "not_selected": ["bias.group_fairness", "documentation.completeness"],
    }
    assert (full["verdict"], part["verdict"]) == ("non_conformant", "conformant")


def test_diff_full_then_partial_resolves_nothing(runs: Path) -> None:
    proc = tef("report", "diff", "full/report.json", "partial/report.json", cwd=runs)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == (
        "coverage: the candidate is partial (1 of 3 checks): 2 check(s) not compared (left out by --only): " + LEFT_OUT
    )
    assert "verdict: non_conformant -> conformant (partial: 1 of 3 checks)" in lines
    assert "status bias.group_fairness: failed -> not_selected" in lines
    assert not [line for line in lines if line.startswith(("resolved finding", "new finding"))], lines
    not_compared = {
        line.removeprefix("not compared finding ").removesuffix(" (its check ran on one side only)")
        for line in lines
        if line.startswith("not compared finding ")
    }
    assert not_compared == _left_out_findings(runs / "full" / "report.json")
    # bias's metrics are not "gone": the check was not run, not measured absent
    assert not [line for line in lines if line.startswith("metric bias.")], lines


def test_diff_partial_then_full_has_no_new_regressions(runs: Path) -> None:
    proc = tef("report", "diff", "partial", "full", cwd=runs)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("coverage: the baseline is partial (1 of 3 checks): 2 check(s) not compared")
    assert "verdict: conformant (partial: 1 of 3 checks) -> non_conformant" in lines
    assert "status bias.group_fairness: not_selected -> failed" in lines
    assert not [line for line in lines if line.startswith(("resolved finding", "new finding", "metric bias."))]
    n = sum(1 for line in lines if line.startswith("not compared finding "))
    assert n == len(_left_out_findings(runs / "full" / "report.json"))


def test_diff_of_two_full_runs_says_nothing_of_coverage(runs: Path) -> None:
    proc = tef("report", "diff", "full", "full", cwd=runs)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "no changes\n"


@pytest.mark.slow
def test_partial_check_against_a_full_baseline_writes_a_partial_comparison(runs: Path) -> None:
    proc = tef(
        "check",
        "--no-third-party",
        "--no-tracking",
        "--only",
        "performance.metrics",
        "--baseline",
        "full/report.json",
        "--out",
        "gated",
        cwd=runs,
    )
    assert proc.returncode == 0, proc.stderr
    assert (
        "tef: baseline: partial comparison: the candidate is partial (1 of 3 checks): not compared: " + LEFT_OUT
    ) in proc.stderr
    md = (runs / "gated" / "report.md").read_text(encoding="utf-8")
    section = md[md.index("### Changes against the baseline") :]
    assert (
        "**Partial comparison**: The candidate is partial (1 of 3 checks). 2 check(s) left out by `--only` "
        "are not compared: `bias.group_fairness`, `documentation.completeness`." in section
    )
    # not bolded as an improvement, and said partial
    assert "- **verdict**: non-conformant → conformant (partial: 1 of 3 checks)" in section
    assert "**conformant**" not in section
    assert "| `bias.group_fairness` | failed | not selected |" in section
    assert "Resolved findings" not in section and "New findings" not in section
    n = len(_left_out_findings(runs / "full" / "report.json"))
    assert f"{n} finding(s) of checks run on one side only are not compared" in section


@pytest.mark.slow
def test_full_check_against_a_partial_baseline_has_no_new_findings(runs: Path) -> None:
    proc = tef("check", "--no-third-party", "--no-tracking", "--baseline", "partial", "--out", "regated", cwd=runs)
    assert proc.returncode == 1, proc.stderr  # bias.group_fairness fails, as in the full run
    assert "tef: baseline: partial comparison: the baseline is partial (1 of 3 checks)" in proc.stderr
    md = (runs / "regated" / "report.md").read_text(encoding="utf-8")
    section = md[md.index("### Changes against the baseline") :]
    assert "conformant (partial: 1 of 3 checks)" in section.splitlines()[2]  # the "Baseline: ..." line
    assert "**Partial comparison**: The baseline is partial (1 of 3 checks)." in section
    assert "| `bias.group_fairness` | not selected | failed |" in section
    assert "New findings" not in section and "Resolved findings" not in section


def test_the_verdict_line_says_partial_once(runs: Path) -> None:
    """The console's verdict line: ``partial`` once, with every check left out."""
    text = (runs / "partial-console.txt").read_text()
    # the verdict line as one line (the console wraps it to the terminal's width)
    line = " ".join(text[text.index("\nverdict: ") :].split("\nreport: ")[0].split())
    assert line.count("partial") == 1, line
    assert line.startswith("verdict: conformant (partial: 1 of 3 checks; left out by --only: " + LEFT_OUT + ")")
    assert text.count("verdict: ") == 1


def _write_plugin_config(runs: Path, folder: Path) -> None:
    """The runs' config, also disabling the example plugin the tests make visible (the pytest
    plugin has no --no-third-party)."""
    from tef_harness.engine.registry import discover

    extra = [c for c in sorted(discover().by_id()) if c not in builtin_check_ids()]
    text = (runs / "tef.toml").read_text() + "".join(
        f'[checks."{c}"]\nenabled = false\nrequired = false\n' for c in extra
    )
    (folder / "tef.toml").write_text(text, encoding="utf-8")


@pytest.mark.slow
def test_pytest_plugin_shows_a_partial_run_as_skipped_items(runs: Path, tmp_path: Path) -> None:
    """``pytest --tef-only``: the left-out check is a skipped item (pytest's "1 skipped"), the
    verdict item's JUnit properties say ``partial``, and the summary's last tef line lists it."""
    import xml.etree.ElementTree as ET

    from tests.tracking.test_pytest_plugin import run_pytest

    _write_plugin_config(runs, tmp_path)
    proc, outcomes = run_pytest(tmp_path, "--tef-only", "performance.metrics")
    assert proc.returncode == 0, proc.stdout  # the judge's verdict: a subset on purpose can pass
    assert outcomes == {
        "tef::performance.metrics": "passed",
        "tef::bias.group_fairness": "skipped",
        "tef::documentation.completeness": "skipped",
        "tef::verdict": "passed",
    }
    assert "2 passed, 2 skipped" in proc.stdout
    assert "tef: verdict conformant (partial: 1 of 3 checks; left out by --only: " + LEFT_OUT + ")" in proc.stdout
    (verdict,) = [c for c in ET.parse(tmp_path / "junit.xml").getroot().iter("testcase") if c.get("name") == "verdict"]
    props = {p.get("name"): p.get("value") for p in verdict.iter("property")}
    assert props == {"verdict": "conformant", "coverage": "partial: 1 of 3 checks"}
    (skipped,) = [
        c for c in ET.parse(tmp_path / "junit.xml").getroot().iter("testcase") if c.get("name") == "bias.group_fairness"
    ]
    assert "not selected" in (skipped.find("skipped").get("message") or "")  # type: ignore[union-attr]


@pytest.mark.slow
def test_pytest_plugin_full_run_has_no_partial_word(runs: Path, tmp_path: Path) -> None:
    from tests.tracking.test_pytest_plugin import run_pytest

    _write_plugin_config(runs, tmp_path)
    proc, outcomes = run_pytest(tmp_path)
    assert proc.returncode == 1, proc.stdout  # bias.group_fairness fails
    assert outcomes["tef::bias.group_fairness"] == "failure" and outcomes["tef::verdict"] == "failure"
    assert "partial" not in proc.stdout and "skipped" not in proc.stdout


def test_two_partial_runs_compare_the_checks_both_ran(runs: Path) -> None:
    """A check both sides left out is not listed; one only the baseline ran is not compared."""
    wider = tef(
        "check",
        "--no-third-party",
        "--no-tracking",
        "--only",
        "performance.metrics,documentation.completeness",
        "--out",
        "wider",
        cwd=runs,
    )
    assert wider.returncode == 1, wider.stderr  # documentation.completeness fails on this card
    lines = tef("report", "diff", "wider", "partial", cwd=runs).stdout.splitlines()
    assert lines[0] == (
        "coverage: the baseline is partial (2 of 3 checks); the candidate is partial (1 of 3 checks): "
        "1 check(s) not compared (left out by --only): documentation.completeness"
    )
    assert "status documentation.completeness: failed -> not_selected" in lines
    assert not [line for line in lines if "bias.group_fairness" in line], lines
    assert not [line for line in lines if line.startswith(("resolved finding", "new finding"))], lines
    doc = {f for f in _left_out_findings(runs / "full" / "report.json") if f.startswith("documentation.")}
    assert sum(1 for line in lines if line.startswith("not compared finding documentation.")) == len(doc)
