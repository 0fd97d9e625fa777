"""The README's demo-output excerpt is what ``make demo`` prints: the slow test runs the demo
(build and audit, in a scratch folder, ``tools/demo_excerpt.py``) and compares every line, with
only timings, the run id and the scratch folder written as ``…``. The fast tests hold the
excerpt to what the code and the Makefile say without running it."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tef_harness.engine.registry import discover

ROOT = Path(__file__).resolve().parents[1]


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tef_demo_excerpt", ROOT / "tools" / "demo_excerpt.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["tef_demo_excerpt"] = module
    spec.loader.exec_module(module)
    return module


TOOL = _tool()
EXCERPT = TOOL.readme_excerpt((ROOT / "README.md").read_text(encoding="utf-8"))


def test_the_excerpt_holds_no_machine_path_and_lists_every_builtin_check() -> None:
    assert not re.search(r"(?<![\w.…])/(?:work|home|tmp|root|Users|usr)/", EXCERPT), "an absolute path"
    progress = re.findall(r"^  [a-z_]+ +([a-z_.]+) \(…s\)$", EXCERPT, re.M)
    assert sorted(progress) == sorted(p.check_id for p in discover(third_party=False).plugins)
    # a headline's value has one aside, the bound's: "0.1298 difference (> 0.0)"
    assert not re.search(r"= [-\d.e]+ \([a-z ]+\) \(", EXCERPT)


def test_the_excerpt_ends_with_what_the_makefile_echoes() -> None:
    lines = EXCERPT.splitlines()
    assert lines[-2] == "```"
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    # the recipe's echo arguments, joined as the shell prints them
    echoed = [" ".join(re.findall(r'"([^"]*)"', cmd)) for cmd in re.split(r"\becho\b", recipe)[1:]]
    echoed = [e.replace("$(BIN)", ".venv/bin").replace("$$rc", "1") for e in echoed]
    assert lines[-4:-2] == echoed


@pytest.mark.slow
def test_the_excerpt_is_what_the_demo_prints() -> None:
    assert TOOL.excerpt_block(TOOL.run_demo()) == EXCERPT, (
        "README's demo output drifted: .venv/bin/python tools/demo_excerpt.py --write"
    )
