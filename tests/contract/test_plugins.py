"""The plugin contract: every discovered check keeps it, and bad plugins become data."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from tef_harness.checks.performance.metrics import PerformanceMetrics
from tef_harness.engine import registry
from tef_harness.sdk.check import metadata_problems
from tef_harness.testing import assert_check_contract, discovered_check_classes


@pytest.mark.parametrize("check_cls", discovered_check_classes(), ids=lambda c: c.id)
def test_every_discovered_check_keeps_the_contract(check_cls) -> None:
    assert_check_contract(check_cls)


def test_builtins_and_the_example_plugin_are_discovered() -> None:
    found = registry.discover()
    by = found.by_id()
    assert by["performance.metrics"].builtin
    assert by["example.label_shift"].distribution == "tef-example-plugin"
    assert "example.label_shift" not in registry.discover(third_party=False).by_id()


def _fake_eps(monkeypatch, eps):
    monkeypatch.setattr(registry, "entry_points", lambda group: eps)


def test_import_failure_and_bad_plugins_are_reported_not_raised(monkeypatch) -> None:
    eps = [
        EntryPoint("broken.import", "no_such_module_xyz:Check", registry.GROUP),
        EntryPoint("not.a_check", "collections:OrderedDict", registry.GROUP),
        EntryPoint("wrong.name", "tef_harness.checks.performance.metrics:PerformanceMetrics", registry.GROUP),
        EntryPoint("performance.metrics", "tef_harness.checks.performance.metrics:PerformanceMetrics", registry.GROUP),
    ]
    _fake_eps(monkeypatch, eps)
    found = registry.discover()
    assert [p.check_id for p in found.plugins] == ["performance.metrics"]
    errors = {f.name: f.error for f in found.failures}
    assert "import failed: ModuleNotFoundError" in errors["broken.import"]
    assert "not a subclass" in errors["not.a_check"]
    assert "differs from the check id" in errors["wrong.name"]


def test_metadata_problems_catch_contract_breaks() -> None:
    class Bad(PerformanceMetrics):
        id = "Bad-Id"
        requires = frozenset({"telepathy"})

    problems = " ".join(metadata_problems(Bad))
    assert "lower snake case" in problems and "telepathy" in problems
