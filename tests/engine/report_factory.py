"""A whole report built through the real engine on in-memory parts (no files)."""

from __future__ import annotations

from tef_harness.config.policy import load_policy_profile
from tef_harness.config.schema import LoadedConfig, TefConfig
from tef_harness.engine.planning import make_plan
from tef_harness.engine.registry import discover
from tef_harness.engine.runner import Prepared, run
from tef_harness.reports.schema import ConformityReport
from tef_harness.testing import default_contract_context


def sample_report(only: tuple[str, ...] = ("performance.metrics", "example.label_shift")) -> ConformityReport:
    from pathlib import Path

    lc = LoadedConfig(config=TefConfig(plugins={"only": only}), source=None, base_dir=Path("."))
    profile, source = load_policy_profile("default", Path("."))
    found = discover()
    prepared = Prepared(make_plan(lc, profile, found), profile, source, default_contract_context(), found)
    return run(lc, prepared)
