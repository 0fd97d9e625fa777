"""`tef report render`: re-renders a saved report; bad input is one line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tef_harness.reports.renderers.json_report import render_json
from tef_harness.reports.schema import ConformityReport
from tests.cli.test_check_command import assert_input_error, tef


@pytest.fixture()
def saved(engine_report: ConformityReport, tmp_path: Path) -> Path:
    path = tmp_path / "report.json"
    path.write_text(render_json(engine_report), encoding="utf-8")
    return path


def test_rerender_round_trip(saved: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    proc = tef("report", "render", str(saved), "--format", "html,md,junit", "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["junit.xml", "report.html", "report.md"]
    verdict = json.loads(saved.read_text())["verdict"]
    assert f'data-verdict="{verdict}"' in (out / "report.html").read_text()


def _mutate(saved: Path, kind: str) -> Path:
    text = saved.read_text()
    if kind == "truncated":
        saved.write_text(text[: len(text) // 2])
    elif kind == "not-a-report":
        saved.write_text(json.dumps({"hello": "world"}))
    elif kind == "newer-schema":
        data = json.loads(text)
        data["schema_version"] = "9.0"
        saved.write_text(json.dumps(data))
    elif kind == "older-schema":
        data = json.loads(text)
        data["schema_version"] = "1.0"  # issue 12 bumped it to 2.0
        saved.write_text(json.dumps(data))
    elif kind == "bad-field":
        data = json.loads(text)
        data["verdict"] = "maybe"
        saved.write_text(json.dumps(data))
    elif kind == "binary":
        saved.write_bytes(b"\xff\xfe\x00\x01")
    return saved


@pytest.mark.parametrize(
    ("kind", "needle"),
    [
        ("truncated", "not valid JSON"),
        ("not-a-report", "not a tef-harness report"),
        ("newer-schema", "newer than this tef-harness reads"),
        ("older-schema", "report schema 1.0 is older than this tef-harness reads (2.0)"),
        ("bad-field", "verdict"),
        ("binary", "not UTF-8"),
    ],
)
def test_bad_input_is_one_line(saved: Path, tmp_path: Path, kind: str, needle: str) -> None:
    path = _mutate(saved, kind)
    out = tmp_path / "out"
    proc = tef("report", "render", str(path), "--out", str(out), cwd=tmp_path)
    assert_input_error(proc, "report.json", needle)
    assert not out.exists()


def test_unknown_format(saved: Path, tmp_path: Path) -> None:
    assert_input_error(tef("report", "render", str(saved), "--format", "docx", cwd=tmp_path), "--format", "docx")


def test_missing_file(tmp_path: Path) -> None:
    assert_input_error(tef("report", "render", str(tmp_path / "nope.json"), cwd=tmp_path), "nope.json", "no such file")
