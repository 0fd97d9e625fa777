"""Every interval every check reports contains its own point estimate (issue 13, item 6).

All built-in checks run, as `tef check` runs them, on the small credit slice of the
``artifacts`` fixture. A metric may go without an interval only when it is listed below
with the reason; any other metric without one fails, and so does any interval that
excludes its estimate (the percentile bootstrap of an upward-biased statistic does that)."""

from __future__ import annotations

import fnmatch
import re

import pytest

from tests.conftest import Artifacts

#: metrics allowed to report no interval: (check id, metric pattern) -> why
NO_INTERVAL = {
    ("performance.metrics", "ece"): "plug-in binned ECE is biased upward; calibration_error carries the interval",
    ("bias.subgroup_search", "n_subgroups_tested"): "a count of the search, not an estimate",
    ("bias.subgroup_search", "n_significant"): "a count of the search, not an estimate",
    ("bias.data_representation", "share_tvd/*"): "total variation against a declared population: "
    "a max-type distance, biased upward like ECE; reported without an interval",
    ("documentation.completeness", "*"): "counts and shares of documentation items: no sampling",
    ("documentation.consistency", "*"): "counts of claims and groups, and a declared-vs-measured gap: no sampling",
    ("privacy.membership_inference", "advantage"): "max over thresholds of TPR - FPR: a max-type statistic",
    ("privacy.membership_inference", "epsilon_lower_bound"): "already a bound (from the Wilson interval ends)",
}


@pytest.fixture(scope="module")
def report(artifacts: Artifacts, tmp_path_factory: pytest.TempPathFactory):
    from tef_harness.config.loader import load_config
    from tef_harness.engine.runner import prepare, run

    folder = tmp_path_factory.mktemp("interval-property")
    text = artifacts.config().replace("[documents]", f'train_sample = "{artifacts.train_csv}"\n[documents]')
    text += '\n[plugins]\nthird_party = false\n[checks."robustness.adversarial".params]\nn_rows = 40\n'
    path = folder / "tef.toml"
    path.write_text(text, encoding="utf-8")
    lc = load_config(path)
    return run(lc, prepare(lc))


def _allowed(check_id: str, name: str) -> bool:
    return any(c == check_id and fnmatch.fnmatchcase(name, pat) for c, pat in NO_INTERVAL)


@pytest.mark.slow
def test_every_interval_contains_its_estimate(report) -> None:
    seen, missing, excluded = 0, [], []
    for r in report.results:
        assert r.status.value != "error", (r.check_id, r.reason)
        for m in r.metrics:
            seen += 1
            if m.ci is None:
                if not _allowed(r.check_id, m.name):
                    missing.append(f"{r.check_id}: {m.name}")
                continue
            if not (m.ci.low - 1e-12 <= m.value <= m.ci.high + 1e-12):
                excluded.append(
                    f"{r.check_id}: {m.name} = {m.value:.4g} not in [{m.ci.low:.4g}, {m.ci.high:.4g}] ({m.ci.method})"
                )
    assert seen > 100
    assert not missing, "metrics without an interval and not listed: " + "; ".join(missing)
    assert not excluded, "intervals that exclude their estimate: " + "; ".join(excluded)


def test_the_allowed_list_names_real_checks() -> None:
    from tef_harness.engine.registry import discover

    ids = {p.check_id for p in discover(third_party=False).plugins}
    assert {c for c, _ in NO_INTERVAL} <= ids
    assert all(re.fullmatch(r"[\w.\-/ *]+", pat) for _, pat in NO_INTERVAL)
