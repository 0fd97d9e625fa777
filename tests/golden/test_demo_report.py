"""The demo audit's numbers, pinned: every metric value and interval, every status, finding
code, threshold outcome and requirement row of `tef check` on the credit demo's config.

The golden file was generated before the package was reorganised into pipeline stages and
guards that refactors change no number. It runs the real console script on the session's
3,000-row slice of the demo data (a logistic regression, the demo card) with the demo's
``tef.toml`` pointed at those files.

Metric names are derived from typed dimensions. ``metric_keys.json`` maps each name in the
golden file to its check id and dimensions; the test checks that every golden name is the name
those dimensions derive (so a name in an older encoding, ``61_`` for ``61+``, cannot come back)
and that the report's metric carries exactly them, then compares the numbers.

Regenerate it only when a number is meant to change, and say why in the commit:
``.venv/bin/python -m pytest tests/golden --update-golden`` (rewrites both files, the map
then from the report's own dimensions).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from tef_harness.api import Dimensions
from tef_harness.reports.schema import ConformityReport
from tef_harness.reports.tracking_view import qualified_metrics
from tests.cli.test_check_command import tef, write_config
from tests.conftest import ROOT, Artifacts

GOLDEN = Path(__file__).with_name("demo_report.json")
#: golden metric name -> dimensions, per check id
KEYS = Path(__file__).with_name("metric_keys.json")
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


def key_map() -> dict[str, dict[str, Dimensions]]:
    raw = json.loads(KEYS.read_text(encoding="utf-8"))
    return {cid: {name: Dimensions.model_validate(d) for name, d in names.items()} for cid, names in raw.items()}


def report_dims(report: dict[str, Any]) -> dict[str, dict[str, Dimensions]]:
    return {
        r["check_id"]: {m["name"]: Dimensions.model_validate(m["dims"]) for m in r["metrics"]}
        for r in report["results"]
    }


def test_the_key_map_names_every_golden_metric_and_no_two_alike() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    keys = key_map()
    for cid, check in golden["checks"].items():
        assert sorted(check["metrics"]) == sorted(keys.get(cid, {})), cid
        # every golden name is today's encoding of its dimensions: no old name to translate
        assert [n for n, d in keys.get(cid, {}).items() if d.name() != n] == [], cid


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
    report = json.loads(text)
    actual = summarise(report)
    # every metric's qualified name, as the tracker gets it from the report read back: no two alike
    keys_seen = [q.key for q in qualified_metrics(ConformityReport.model_validate_json(text))]
    assert len(keys_seen) == sum(len(r["metrics"]) for r in report["results"]) > 100
    assert [k for k in set(keys_seen) if keys_seen.count(k) > 1] == []
    dims = report_dims(report)
    if request.config.getoption("--update-golden"):
        GOLDEN.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        KEYS.write_text(_keys_text(dims), encoding="utf-8")
        pytest.skip(f"rewrote {GOLDEN.name} and {KEYS.name}")
    # the report's metrics carry exactly the dimensions the map gives them
    for cid, names in key_map().items():
        for name, want in names.items():
            assert dims[cid][name] == want, (cid, name)
    assert_same(json.loads(GOLDEN.read_text(encoding="utf-8")), actual)


def _keys_text(dims: dict[str, dict[str, Dimensions]]) -> str:
    """One line per metric, so a change to one metric's key is a one-line diff."""
    lines = []
    for cid in sorted(dims):
        entries = [
            f"  {json.dumps(n)}: {json.dumps(d.model_dump(mode='json', exclude_defaults=True), sort_keys=True)}"
            for n, d in sorted(dims[cid].items())
        ]
        lines.append(f" {json.dumps(cid)}: {{\n" + ",\n".join(entries) + "\n }")
    return "{\n" + ",\n".join(lines) + "\n}\n"
