"""``run_audit(spec)``: one audit as one function, picklable in and out, and a report that
nothing reachable from it can change.

The demo audit runs in process once per session (the golden file's config on the session's
demo slice); a smaller audit runs in a ``spawn`` worker, which shares nothing with this
process but what pickling carries.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import multiprocessing
import pickle
from collections.abc import Callable, Mapping
from pathlib import Path, PurePath
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from tef_harness.api import AuditSpec, run_audit
from tef_harness.config.loader import load_config
from tef_harness.reports.renderers.json_report import render_json
from tef_harness.reports.schema import ConformityReport, NotRunReason
from tef_harness.sdk.frozen import FrozenDict
from tests.cli.test_check_command import write_config
from tests.conftest import Artifacts
from tests.golden.test_demo_report import demo_config, summarise

_LEAVES = (str, int, float, bool, type(None), enum.Enum, dt.datetime, dt.date, PurePath)


def _attempts(container: object) -> list[tuple[str, Callable[[], object]]]:
    """Every way a consumer might try to change ``container`` in place."""
    if isinstance(container, BaseModel):
        name = next(iter(type(container).model_fields))
        return [(f"setattr {name}", lambda: setattr(container, name, None))]
    if isinstance(container, Mapping):
        key = next(iter(container), "k")
        m: Any = container
        return [
            ("[]=", lambda: m.__setitem__(key, 1)),
            ("del", lambda: m.__delitem__(key)),
            ("update", lambda: m.update({"x": 1})),
            ("pop", lambda: m.pop(key)),
            ("clear", lambda: m.clear()),
            ("setdefault", lambda: m.setdefault("x", 1)),
            ("setattr", lambda: setattr(m, "_data", {})),
        ]
    t: Any = container
    return [
        ("[]=", lambda: t.__setitem__(0, 1)),
        ("append", lambda: t.append(1)),
        ("extend", lambda: t.extend([1])),
        ("sort", lambda: t.sort()),
    ]


def walk(value: object, path: str, seen: dict[str, int]) -> None:
    """Fail on any mutable container reachable from ``value``; try every mutation on each
    container and require it to raise. ``seen`` counts the containers visited, by kind."""
    if isinstance(value, _LEAVES):
        return
    if isinstance(value, BaseModel):
        kind, children = "model", [(k, getattr(value, k)) for k in type(value).model_fields]
    elif isinstance(value, FrozenDict):
        kind, children = "frozendict", [(str(k), v) for k, v in value.items()]
    elif isinstance(value, tuple):
        kind, children = "tuple", [(str(i), v) for i, v in enumerate(value)]
    else:
        pytest.fail(f"{path}: a mutable or unknown container, {type(value).__name__}")
    for what, attempt in _attempts(value):
        before = repr(value)
        with pytest.raises((TypeError, AttributeError, ValidationError)):
            attempt()
        assert repr(value) == before, f"{path}: {what} changed it"
    seen[kind] = seen.get(kind, 0) + 1
    for key, child in children:
        walk(child, f"{path}.{key}", seen)


def _spec(folder: Path, text: str) -> AuditSpec:
    """As ``tef check --no-third-party`` in ``folder`` would build it."""
    write_config(folder, text)
    return AuditSpec.from_loaded(load_config(folder / "tef.toml", {"plugins.third_party": False}))


@pytest.fixture(scope="module")
def demo(artifacts: Artifacts, tmp_path_factory: pytest.TempPathFactory) -> tuple[AuditSpec, ConformityReport]:
    spec = _spec(tmp_path_factory.mktemp("demo-audit"), demo_config(artifacts))
    return spec, run_audit(spec)


def _small_spec(artifacts: Artifacts, folder: Path) -> AuditSpec:
    text = artifacts.config().replace('profile = "default"', 'profile = "eu-ai-act-high-risk"')
    text += '[checks."bias.subgroup_search"]\nenabled = false\n'
    spec = _spec(folder, text)
    only = ("performance.metrics", "documentation.completeness", "bias.subgroup_search", "privacy.membership_inference")
    plugins = spec.config.plugins.model_copy(update={"only": only})
    return spec.model_copy(update={"config": spec.config.model_copy(update={"plugins": plugins})})


@pytest.mark.slow
def test_the_demo_report_is_frozen_all_the_way_down(demo: tuple[AuditSpec, ConformityReport]) -> None:
    _, report = demo
    seen: dict[str, int] = {}
    walk(report, "report", seen)
    # the walk reached the nested containers, not only the top: details of every family,
    # params, config sections, packages, findings' data
    assert seen["frozendict"] > 100 and seen["tuple"] > 100 and seen["model"] > 100, seen
    assert isinstance(report.config["data"], FrozenDict) and isinstance(report.config["data"]["sensitive"], tuple)
    with_details = [r for r in report.results if r.details]
    assert with_details and all(isinstance(r.details, FrozenDict) for r in with_details)


def test_walk_finds_a_mutable_container() -> None:
    class Holder(BaseModel):
        model_config = {"frozen": True}
        inner: Any

    for mutable in ([1], {"a": 1}, {1}, bytearray(b"x")):
        with pytest.raises(pytest.fail.Exception, match="mutable"):
            walk(Holder(inner=(FrozenDict(a=mutable),)), "h", {})


@pytest.mark.slow
def test_the_demo_report_records_what_a_renderer_needs(demo: tuple[AuditSpec, ConformityReport]) -> None:
    from tef_harness.engine.registry import discover

    _, report = demo
    classes = {p.check_id: p.cls for p in discover(third_party=False).plugins}
    for r in report.results:
        assert r.description == classes[r.check_id].description and r.description, r.check_id
    assert report.schema_version == "2.0"
    # the demo's own packages are among the recorded ones, at their installed versions,
    # derived from tef-harness's Requires-Dist (no fixed list)
    from importlib.metadata import version

    for name in ("numpy", "pandas", "scikit-learn", "fairlearn", "presidio-analyzer", "pydantic", "skops"):
        assert report.provenance.packages[name] == version(name), name
    # an extra's requirements are not the run's, even when installed (the dev extra is, here)
    assert "pytest" not in report.provenance.packages and "hypothesis" not in report.provenance.packages
    eval_file = next(f for f in report.subject.files if f.role == "eval")
    assert eval_file.dtypes is not None and eval_file.columns is not None
    assert len(eval_file.dtypes) == len(eval_file.columns)


@pytest.mark.slow
def test_every_metric_of_the_demo_report_has_a_unit(demo: tuple[AuditSpec, ConformityReport]) -> None:
    """A renderer needs nothing beside the report: each metric says what its number is in."""
    _, report = demo
    metrics = [(r.check_id, m) for r in report.results for m in r.metrics]
    assert len(metrics) > 100
    assert [f"{cid}/{m.name}" for cid, m in metrics if not m.unit] == []
    # every family is among them, so a family that sets no unit would be caught
    families = {cid.split(".")[0] for cid, _ in metrics}
    assert families >= {"performance", "bias", "privacy", "robustness", "documentation"}
    units = {cid.split(".")[0] + ":" + m.name: m.unit for cid, m in metrics}
    assert units["performance:roc_auc"] == "score" and units["performance:accuracy"] == "rate"
    assert units["privacy:advantage"] == "difference"


@pytest.mark.slow
def test_run_audit_gives_the_golden_numbers(demo: tuple[AuditSpec, ConformityReport], artifacts: Artifacts) -> None:
    """The function the CLI calls, called directly, gives the numbers the golden file pins."""
    import json

    from tests.golden.test_demo_report import GOLDEN, assert_same

    spec, report = demo
    text = render_json(report).replace(str(artifacts.folder), "<artifacts>").replace(str(spec.base_dir), "<cwd>")
    assert_same(json.loads(GOLDEN.read_text(encoding="utf-8")), summarise(json.loads(text)))


@pytest.mark.slow
def test_spec_and_report_round_trip_through_pickle(demo: tuple[AuditSpec, ConformityReport]) -> None:
    spec, report = demo
    again = pickle.loads(pickle.dumps(spec))
    assert again == spec and again is not spec
    back = pickle.loads(pickle.dumps(report))
    assert back == report
    assert render_json(back) == render_json(report)
    seen: dict[str, int] = {}
    walk(back, "unpickled", seen)  # still frozen after the trip


def _timeless(report: ConformityReport) -> str:
    data = json.loads(render_json(report))
    times = ("started_at", "finished_at", "duration_s")
    data["provenance"] = {k: v for k, v in data["provenance"].items() if k not in times}
    for r in data["results"]:
        r["duration_s"] = 0
    return json.dumps(data, sort_keys=True)


def test_run_audit_in_a_spawn_worker(artifacts: Artifacts, tmp_path: Path) -> None:
    """A ``spawn`` process (nothing inherited) receives the pickled spec, runs the audit and
    sends the report back pickled; it equals the same audit run here, apart from times."""
    spec = _small_spec(artifacts, tmp_path)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        remote = pool.apply(run_audit, (spec,))
    local = run_audit(spec)
    assert isinstance(remote, ConformityReport)
    assert _timeless(remote) == _timeless(local)
    ran = [r.check_id for r in local.results]
    assert ran == ["documentation.completeness", "performance.metrics", "privacy.membership_inference"]
    walk(remote, "remote", {})


def test_checks_that_did_not_run_are_in_the_report(artifacts: Artifacts, tmp_path: Path) -> None:
    report = run_audit(_small_spec(artifacts, tmp_path))
    not_run = {n.check_id: n for n in report.not_run}
    ran = {r.check_id for r in report.results}
    # planned but not applicable (no training sample): in both, with the result's reason
    # (the profile requires it, so the engine judges it insufficient evidence)
    mia = report.result("privacy.membership_inference")
    assert mia is not None and mia.status == "insufficient_evidence" and mia.reason is not None
    assert not_run["privacy.membership_inference"].reason == NotRunReason.NOT_APPLICABLE
    assert not_run["privacy.membership_inference"].detail in mia.reason and "train_sample" in mia.reason
    assert set(not_run) & ran == {"privacy.membership_inference"}
    assert not_run["bias.group_fairness"].reason == NotRunReason.NOT_SELECTED
    assert "plugins.only" in not_run["bias.group_fairness"].detail
    # named by plugins.only but disabled in the config: disabled, not silently dropped
    assert not_run["bias.subgroup_search"].reason == NotRunReason.DISABLED
    assert not_run["bias.subgroup_search"].detail == "enabled = false in the config"
    # every registered built-in check is accounted for: run, or not run with a reason
    from tef_harness.engine.registry import discover

    registered = {p.check_id for p in discover(third_party=False).plugins}
    assert registered == ran | set(not_run) and len(registered) > 10
    assert all(n.title for n in report.not_run)
