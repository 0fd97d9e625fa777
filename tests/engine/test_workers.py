"""The engine owns parallelism: ``jobs`` sizes the workers a check borrows through ``ctx.map``."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pandas as pd
import pytest

from tef_harness.checks.privacy.pii import PiiInData, PiiInDataParams
from tef_harness.config.policy import load_policy_profile
from tef_harness.config.schema import LoadedConfig, TefConfig
from tef_harness.engine.binding import worker_count
from tef_harness.engine.planning import make_plan
from tef_harness.engine.registry import discover
from tef_harness.engine.workers import ForkWorkers
from tef_harness.sdk.workers import InlineWorkers
from tef_harness.testing import make_context


def test_fork_workers_map_a_closure_in_order_in_other_processes() -> None:
    offset = 1000  # a closure: nothing pickles it, the forked workers inherit it
    out = ForkWorkers(2).map(lambda x: (x + offset, os.getpid()), list(range(8)))
    assert [v for v, _ in out] == [x + 1000 for x in range(8)]
    assert os.getpid() not in {pid for _, pid in out}


def test_one_job_runs_in_the_calling_process() -> None:
    out = ForkWorkers(1).map(lambda x: os.getpid(), [1, 2, 3])
    assert set(out) == {os.getpid()}
    assert InlineWorkers().map(str, [1, 2]) == ["1", "2"]


def test_an_exception_in_a_worker_reaches_the_check() -> None:
    def boom(x: int) -> int:
        raise ValueError(f"item {x}")

    with pytest.raises(ValueError, match="item"):
        ForkWorkers(2).map(boom, [1, 2, 3])


def _pii_frame(n: int = 2100) -> pd.DataFrame:
    rows = [
        f"customer {i} wrote from user{i}@example.org, phone +31 6 {10000000 + i}" if i % 3 else f"note {i}: no contact"
        for i in range(n)
    ]
    return pd.DataFrame({"comment": rows, "y": [i % 2 for i in range(n)], "income": range(n)})


@pytest.mark.slow
def test_the_pii_scan_on_the_engines_workers_gives_identical_results() -> None:
    ctx = make_context(_pii_frame(), target="y", sensitive=(), fit=False)
    params = PiiInDataParams(max_examples=2)
    inline = PiiInData().run(ctx, params)
    forked = PiiInData().run(dataclasses.replace(ctx, workers=ForkWorkers(2)), params)
    assert forked == inline
    rates = {m.name: m.value for m in inline.metrics}
    assert rates["pii_rate/eval/comment/EMAIL_ADDRESS"] == pytest.approx(1400 / 2100)  # two rows in three


def _plan(**cfg):
    lc = LoadedConfig(config=TefConfig(**cfg), source="tef.toml", base_dir=Path("."))
    profile, _ = load_policy_profile("default", Path("."))
    return make_plan(lc, profile, discover(third_party=False)), lc.config.jobs


def test_jobs_sets_the_worker_count_and_n_jobs_is_a_deprecated_alias() -> None:
    assert worker_count(*_plan(jobs=3)) == (3, [])
    count, warnings = worker_count(*_plan(checks={"privacy.pii_in_data": {"params": {"n_jobs": 4}}}))
    assert count == 4
    assert warnings == [
        'checks."privacy.pii_in_data".params.n_jobs is deprecated: set jobs (or --jobs); '
        "it sizes the workers every check shares"
    ]
    # jobs wins over the alias when both are set
    assert worker_count(*_plan(jobs=2, checks={"privacy.pii_in_data": {"params": {"n_jobs": 4}}}))[0] == 2
