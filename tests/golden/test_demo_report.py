"""The demo audit's numbers, pinned: every metric value and interval, every status, finding
code, threshold outcome and requirement row of `tef check` on the credit demo's config.

The golden file was generated before the package was reorganised into pipeline stages and
guards that refactors change no number. It runs the real console script on the session's
3,000-row slice of the demo data (a logistic regression, the demo card) with the demo's
``tef.toml`` pointed at those files.

Regenerate it only when a number is meant to change, and say why in the commit:
``.venv/bin/python -m pytest tests/golden --update-golden``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_check_command import tef, write_config
from tests.conftest import ROOT, Artifacts

GOLDEN = Path(__file__).with_name("demo_report.json")
#: floats must agree to this relative tolerance; zero is compared with this absolute one
REL_TOL = 1e-9
ABS_TOL = 1e-12


def demo_config(artifacts: Artifacts) -> str:
    """The demo's tef.toml with its generated files replaced by the session's artifacts."""
    text = (ROOT / "examples/credit/tef.toml").read_text(encoding="utf-8")
    replacements = {
        '"generated/model.skops"': f'"{artifacts.skops}"',
        '"generated/eval.csv"': f'"{artifacts.eval_csv}"',
        '"generated/train_sample.csv"': f'"{artifacts.train_csv}"',
        '"MODEL_CARD.md"': f'"{artifacts.card}"',
    }
    for old, new in replacements.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _interval(ci: dict[str, Any] | None) -> dict[str, Any] | None:
    if ci is None:
        return None
    return {"low": ci["low"], "high": ci["high"], "level": ci["level"], "method": ci["method"]}


def summarise(report: dict[str, Any]) -> dict[str, Any]:
    """The judged numbers of a report, keyed explicitly by check id and metric name, so the
    comparison does not depend on the report's field order or on where modules live."""
    checks: dict[str, Any] = {}
    for r in report["results"]:
        checks[r["check_id"]] = {
            "status": r["status"],
            "reason": r["reason"],
            "metrics": {
                m["name"]: {"value": m["value"], "ci": _interval(m["ci"]), "n": m["n"]} for m in r["metrics"]
            },
            "findings": sorted(
                [f["code"], f["severity"], f["location"] or ""] for f in r["findings"]
            ),
            "thresholds": sorted(
                [t["metric"], t["on"], t["observed"], t["passed"], t["waived"], t["source"]] for t in r["thresholds"]
            ),
            "gated_findings": sorted(r["gated_findings"]),
            "evidence": r["evidence"],
        }
    return {
        "verdict": report["verdict"],
        "verdict_reasons": list(report["verdict_reasons"]),
        "summary": report["summary"],
        "requirements": {row["id"]: row["status"] for row in report["requirements"]},
        "checks": checks,
    }


def assert_same(expected: Any, actual: Any, where: str = "") -> None:
    """Equal structure and values; floats within REL_TOL (ints and bools compared exactly)."""
    if isinstance(expected, float) or isinstance(actual, float):
        assert isinstance(expected, int | float) and isinstance(actual, int | float), (where, expected, actual)
        assert math.isclose(expected, actual, rel_tol=REL_TOL, abs_tol=ABS_TOL), (where, expected, actual)
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), (where, actual)
        assert sorted(expected) == sorted(actual), (where, sorted(set(expected) ^ set(actual)))
        for key in expected:
            assert_same(expected[key], actual[key], f"{where}/{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(expected) == len(actual), (where, expected, actual)
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            assert_same(e, a, f"{where}[{i}]")
    else:
        assert expected == actual, (where, expected, actual)


def test_assert_same_catches_a_changed_digit() -> None:
    base = {"checks": {"a.b": {"metrics": {"m": {"value": 0.123456789}}}}}
    assert_same(base, {"checks": {"a.b": {"metrics": {"m": {"value": 0.123456789 * (1 + 1e-12)}}}}})
    with pytest.raises(AssertionError):
        assert_same(base, {"checks": {"a.b": {"metrics": {"m": {"value": 0.12345679}}}}})
    with pytest.raises(AssertionError):
        assert_same(base, {"checks": {"a.b": {"metrics": {"n": {"value": 0.123456789}}}}})


@pytest.mark.slow
def test_demo_report_matches_the_golden_file(
    artifacts: Artifacts, in_tmp: Path, request: pytest.FixtureRequest
) -> None:
    write_config(in_tmp, demo_config(artifacts))
    proc = tef("check", "--no-third-party", cwd=in_tmp)
    assert proc.returncode in (0, 1), proc.stderr
    # file paths in locations and reasons differ from run to run; the numbers may not
    text = (in_tmp / "out" / "report.json").read_text()
    text = text.replace(str(artifacts.folder), "<artifacts>").replace(str(in_tmp), "<cwd>")
    actual = summarise(json.loads(text))
    if request.config.getoption("--update-golden"):
        GOLDEN.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip(f"rewrote {GOLDEN.name}")
    assert_same(json.loads(GOLDEN.read_text(encoding="utf-8")), actual)
