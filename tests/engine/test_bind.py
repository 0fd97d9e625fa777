"""bind before run: a check that does not fit the inputs says why before anything runs, and
a parameter that contradicts the data stops the run with one line naming file and field."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io
from sklearn.linear_model import LogisticRegression

from tests.cli.test_check_command import assert_input_error, tef, write_config

BINARY_ONLY = ("bias.group_fairness", "bias.subgroup_search")


def three_class_audit(folder: Path, n: int = 400) -> None:
    """A 3-class logistic regression in skops, its evaluation data with a sensitive column."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"x1": rng.normal(size=n), "x2": rng.normal(size=n), "x3": rng.uniform(0, 10, size=n)})
    y = np.digitize(X["x1"] + 0.5 * rng.normal(size=n), [-0.5, 0.5])  # classes 0, 1, 2
    model = LogisticRegression(max_iter=500).fit(X, y)
    skops.io.dump(model, folder / "model.skops")
    X.assign(sex=rng.choice(["F", "M"], size=n), label=y).to_csv(folder / "eval.csv", index=False)


@pytest.mark.slow
def test_three_class_model_with_default_checks_gives_a_report(in_tmp: Path) -> None:
    three_class_audit(in_tmp)
    proc = tef(
        "check", "--model", "model.skops", "--data", "eval.csv", "--target", "label", "--sensitive", "sex",
        "--no-third-party", "--jobs", "2", cwd=in_tmp,
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads((in_tmp / "tef-report" / "report.json").read_text())
    assert report["config"]["jobs"] == 2
    assert report["subject"]["model"]["task"] == "multiclass"
    results = {r["check_id"]: r for r in report["results"]}
    for check_id in BINARY_ONLY:
        assert results[check_id]["status"] == "not_applicable"
        assert results[check_id]["reason"].startswith("multiclass: not yet supported (3 classes")
    assert results["performance.metrics"]["status"] != "not_applicable"
    # every check that does not run says why
    for r in report["results"]:
        if r["status"] in ("not_applicable", "error"):
            assert r["reason"], r["check_id"]
    assert results["bias.data_representation"]["status"] != "error"


def test_a_schema_contradicting_the_data_stops_before_any_check(in_tmp: Path) -> None:
    three_class_audit(in_tmp, n=60)
    write_config(
        in_tmp,
        '[model]\npath = "model.skops"\n[data]\npath = "eval.csv"\ntarget = "label"\n'
        '[checks."robustness.perturbation".params.schema.salary]\nmin = 0\n',
    )
    proc = tef("check", "--no-third-party", cwd=in_tmp)
    assert_input_error(proc, "tef.toml", 'checks."robustness.perturbation".params.schema.salary', "lack")
    assert not (in_tmp / "tef-report").exists()
    # bind ran before any check: the progress printer (one line per finished check) printed none
    assert not any(family in proc.stderr for family in ("bias.", "performance.", "privacy.", "documentation."))


def test_a_bad_sensitive_column_names_the_data_file(in_tmp: Path) -> None:
    three_class_audit(in_tmp, n=200)
    proc = tef(
        "check", "--model", "model.skops", "--data", "eval.csv", "--target", "label", "--sensitive", "x3",
        "--no-third-party", cwd=in_tmp,
    )  # fmt: skip
    assert_input_error(proc, "eval.csv", "data.sensitive", "'x3' has 200 distinct values")
    assert not (in_tmp / "tef-report").exists()
