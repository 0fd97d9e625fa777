"""``tools/screenshot_demo.py`` photographs the demo's report for the README; it refuses a report
older than the package sources or the demo's inputs (before, it took whatever report.html
existed, even one written by an older version of the code)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tef_screenshot_demo", ROOT / "tools" / "screenshot_demo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_report_older_than_the_sources_is_refused(
    tool: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.html"
    report.write_text("<html></html>", encoding="utf-8")
    os.utime(report, (0, 0))  # 1970: older than every file of the package
    monkeypatch.setattr(tool, "REPORT", report)
    monkeypatch.setattr(tool, "TARGET", tmp_path / "shot.png")  # never the docs' picture
    assert tool.main() == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].endswith("run `make demo` first"), err
    assert "older than" in err[0]
    assert not (tmp_path / "shot.png").exists()


def test_staleness_follows_the_modification_times(tool: ModuleType, tmp_path: Path) -> None:
    src = tmp_path / "pkg"
    (src / "sub").mkdir(parents=True)
    old, new = src / "a.py", src / "sub" / "b.yaml"
    old.write_text("a", encoding="utf-8")
    new.write_text("b", encoding="utf-8")
    report = tmp_path / "report.html"
    report.write_text("r", encoding="utf-8")
    os.utime(old, (1_000, 1_000))
    os.utime(report, (2_000, 2_000))
    os.utime(new, (1_500, 1_500))
    assert tool.stale_message(report, (src,)) is None  # every source older: current
    os.utime(new, (3_000, 3_000))
    assert tool.newer_sources(report, (src,)) == [new]
    message = tool.stale_message(report, (src,))
    assert message is not None and "1 source file(s)" in message and str(new) in message
    assert "not found" in (tool.stale_message(tmp_path / "none.html", (src,)) or "")
