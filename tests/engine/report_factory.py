"""A whole report built through the real engine on in-memory parts (no files)."""

from __future__ import annotations

from tef_harness.config import LoadedConfig, TefConfig
from tef_harness.engine import Prepared, run
from tef_harness.planning import make_plan
from tef_harness.profiles import load_profile
from tef_harness.registry import discover
from tef_harness.report import ConformityReport
from tef_harness.testing import default_contract_context


def sample_report(only: tuple[str, ...] = ("performance.metrics", "example.label_shift")) -> ConformityReport:
    from pathlib import Path

    lc = LoadedConfig(config=TefConfig(plugins={"only": only}), source=None, base_dir=Path("."))
    profile, source = load_profile("default", Path("."))
    found = discover()
    prepared = Prepared(make_plan(lc, profile, found), profile, source, default_contract_context(), found)
    return run(lc, prepared)
