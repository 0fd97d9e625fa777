"""The README is the manual: its generated parts must match the code, and its commands must
be the ones the project really runs."""

from __future__ import annotations

from pathlib import Path

from tef_harness.config.reference import readme_with_blocks
from tef_harness.engine.registry import discover

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_generated_blocks_are_current() -> None:
    assert readme_with_blocks(README) == README, "run `make docs` to regenerate the README blocks"


def test_every_builtin_check_is_documented() -> None:
    for plugin in discover(third_party=False).plugins:
        assert f"`{plugin.check_id}`" in README


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "\ndemo:" in makefile and "\ntest:" in makefile
