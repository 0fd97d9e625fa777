"""Bad input is one line on stderr naming the file (or the flag) and the field, exit 2, nothing
written: no "tef: config" line before it, no traceback, no report folder, no MLflow store.

Field paths are written one way, tef.toml's: ``checks."<check id>".params.n_boot``, a list
index in brackets (``thresholds[0].min``). Real ``tef check`` / ``tef doc check`` runs in a
subprocess on the shared demo slice."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_check_command import tef, write_config
from tests.conftest import Artifacts

PERF = '[checks."performance.metrics"]\n'
CASES = {
    "params value": (
        PERF + "params = { n_boot = -5 }\n",
        (),
        'tef.toml: checks."performance.metrics".params: n_boot = -5 is too few for level 0.95: at least 39,',
    ),
    # no resamples: every interval, and every bound on one, would be missing
    "no bootstrap resamples": (
        PERF + "params = { n_boot = 0 }\n",
        (),
        'tef.toml: checks."performance.metrics".params: n_boot = 0 is too few for level 0.95: at least 39,',
    ),
    "no bootstrap resamples, membership inference": (
        '[checks."privacy.membership_inference".params]\nn_boot = 0\n',
        (),
        'tef.toml: checks."privacy.membership_inference".params: n_boot = 0 is too few for level 0.95: at least 39,',
    ),
    "too few bootstrap resamples, group fairness": (
        '[checks."bias.group_fairness".params]\nn_boot = 38\n',
        (),
        'tef.toml: checks."bias.group_fairness".params: n_boot = 38 is too few for level 0.95: at least 39,',
    ),
    # the minimum follows the level: 199 at 0.99 (Davison & Hinkley 1997, 5.2.1)
    "too few bootstrap resamples for the level": (
        PERF + "params = { n_boot = 198, level = 0.99 }\n",
        (),
        'tef.toml: checks."performance.metrics".params: n_boot = 198 is too few for level 0.99: at least 199,',
    ),
    # TOML's inf passes a lower bound: an infinite tolerance would count no flip as a change
    "infinite tolerance": (
        '[checks."bias.counterfactual_flip".params]\ntolerance = inf\n',
        (),
        'tef.toml: checks."bias.counterfactual_flip".params.tolerance: input should be a finite number',
    ),
    "infinite timeout": (
        '[checks."robustness.input_resilience".params]\ntimeout_s = inf\n',
        (),
        'tef.toml: checks."robustness.input_resilience".params.timeout_s: input should be a finite number',
    ),
    "no perturbation severity": (
        '[checks."robustness.perturbation".params]\nseverities = []\n',
        (),
        'tef.toml: checks."robustness.perturbation".params.severities: tuple should have at least 1 item',
    ),
    "threshold in a list": (
        PERF + 'thresholds = [{ metric = "roc_auc", min = "high" }]\n',
        (),
        'tef.toml: checks."performance.metrics".thresholds[0].min: input should be a valid number',
    ),
    # a non-finite bound would override the profile's: inf passes everything ("no bound, no
    # pass"), nan fails everything ("needs >= nan")
    "infinite lower bound": (
        PERF + 'thresholds = [{ metric = "accuracy", min = 0.5 }, { metric = "roc_auc", min = -inf }]\n',
        (),
        'tef.toml: checks."performance.metrics".thresholds[1].min: input should be a finite number',
    ),
    "infinite upper bound, table array": (
        '[[checks."bias.group_fairness".thresholds]]\nmetric = "eo_difference/*"\nmax = inf\n',
        (),
        'tef.toml: checks."bias.group_fairness".thresholds[0].max: input should be a finite number',
    ),
    "nan bound": (
        PERF + 'thresholds = [{ metric = "roc_auc", min = nan }]\n',
        (),
        'tef.toml: checks."performance.metrics".thresholds[0].min: input should be a finite number',
    ),
    # a name the check declares it never measures: refused before the run, the closest named
    "misspelt threshold metric": (
        PERF + 'thresholds = [{ metric = "accuracy", min = 0.5 }, { metric = "roc_aucc", min = 0.7 }]\n',
        (),
        'tef.toml: checks."performance.metrics".thresholds[1].metric: '
        "performance.metrics measures no metric named 'roc_aucc' (closest: roc_auc)",
    ),
    "documentation profile in the config": (
        '[checks."documentation.completeness".params]\nprofile = "nope"\n',
        ("--only", "documentation.completeness"),
        "tef.toml: checks.\"documentation.completeness\".params.profile: unknown documentation profile 'nope'",
    ),
    "policy profile in the config": ("", (), "tef.toml: profile: unknown profile 'nope'"),
    "policy profile by the flag": ("", ("--profile", "nope"), "tef: error: --profile: unknown profile 'nope'"),
    "missing baseline file": (
        "",
        ("--only", "performance.metrics", "--baseline", "nope.json"),
        "tef: error: nope.json: --baseline: no such file or folder",
    ),
}


def _one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("tef: error: ") and "Traceback" not in stderr
    return lines[0]


@pytest.mark.parametrize("case", list(CASES))
def test_check_input_error_is_one_line(artifacts: Artifacts, tmp_path: Path, case: str) -> None:
    extra, flags, expected = CASES[case]
    text = artifacts.config(extra)
    if case == "policy profile in the config":
        text = text.replace('profile = "default"', 'profile = "nope"')
    write_config(tmp_path, text)
    proc = tef("check", "--no-third-party", *flags, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert expected in _one_error_line(proc.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tef.toml"]  # no report, no mlflow.db


def test_doc_check_unknown_profile_names_the_flag(artifacts: Artifacts, tmp_path: Path) -> None:
    proc = tef("doc", "check", str(artifacts.card), "--doc-profile", "nope", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert _one_error_line(proc.stderr).startswith("tef: error: --doc-profile: unknown documentation profile 'nope'")
    assert proc.stdout == "" and list(tmp_path.iterdir()) == []


def test_the_config_line_still_comes_once_the_inputs_are_accepted(artifacts: Artifacts, tmp_path: Path) -> None:
    write_config(tmp_path, artifacts.config())
    proc = tef("check", "--no-third-party", "--no-tracking", "--only", "performance.metrics", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stderr.splitlines()[0] == f"tef: config {tmp_path / 'tef.toml'}"
