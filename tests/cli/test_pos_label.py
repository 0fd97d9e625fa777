"""``data.pos_label`` from ``tef check``: a string label that is not the default positive class
(the greater label) changes recall and F1 as scikit-learn computes them with that
``pos_label``; the old key ``data.positive_label`` is still read, with one warning naming the
file and the key; both keys are a one-line error, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import skops.io as sio
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, recall_score

from tests.cli.test_check_command import assert_input_error, tef, write_config
from tests.conftest import Artifacts

#: "bad" < "good", so without pos_label the positive class would be "good"
LABELS = {1: "bad", 0: "good"}
NUMERIC = ["late_payments", "debt_to_income", "credit_utilization", "recent_inquiries"]


@pytest.fixture(scope="module")
def string_labelled(artifacts: Artifacts, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """The credit data with its target as "bad"/"good", and a logistic regression on two
    numeric columns fitted to it (skops), in one folder."""
    folder = tmp_path_factory.mktemp("pos-label")
    frame = pd.read_csv(artifacts.eval_csv)
    frame["default"] = frame["default"].map(LABELS)
    train, holdout = frame.iloc[:600], frame.iloc[600:].reset_index(drop=True)
    est = LogisticRegression(max_iter=1000).fit(train[NUMERIC], train["default"])
    assert list(est.classes_) == ["bad", "good"]
    sio.dump(est, folder / "model.skops")
    holdout[[*NUMERIC, "default"]].to_csv(folder / "eval.csv", index=False)
    predicted = est.predict(holdout[NUMERIC])
    return folder, pd.DataFrame({"y": holdout["default"], "pred": predicted})


def _config(folder: Path, data_lines: str) -> str:
    return (
        'out = "out"\n[model]\npath = "model.skops"\n'
        f'[data]\npath = "eval.csv"\ntarget = "default"\n{data_lines}\n'
        "[tracking]\nenabled = false\n"
    )


def _check(folder: Path, data_lines: str) -> tuple[int, str, dict | None]:
    write_config(folder, _config(folder, data_lines))
    proc = tef("check", "--no-third-party", "--only", "performance.metrics", cwd=folder)
    report_path = folder / "out" / "report.json"
    report = json.loads(report_path.read_text()) if proc.returncode != 2 else None
    if report_path.exists():
        report_path.unlink()
    return proc.returncode, proc.stderr, report


def _metrics(report: dict) -> dict[str, float]:
    (result,) = report["results"]
    return {m["name"]: m["value"] for m in result["metrics"]}


def test_a_string_pos_label_is_the_positive_class(string_labelled: tuple[Path, pd.DataFrame]) -> None:
    folder, truth = string_labelled
    code, stderr, report = _check(folder, 'pos_label = "bad"')
    assert code in (0, 1), stderr
    assert report is not None and report["warnings"] == []
    assert report["config"]["data"]["pos_label"] == "bad"
    (result,) = report["results"]
    assert result["details"]["pos_label"] == "bad"
    got = _metrics(report)
    # scikit-learn, independently, with the same pos_label
    assert got["recall"] == pytest.approx(recall_score(truth["y"], truth["pred"], pos_label="bad"), abs=1e-12)
    assert got["f1"] == pytest.approx(f1_score(truth["y"], truth["pred"], pos_label="bad"), abs=1e-12)
    # and the default (the greater label, "good") gives other numbers: the key was not ignored
    code, stderr, default = _check(folder, "")
    assert code in (0, 1), stderr
    assert default is not None and default["results"][0]["details"]["pos_label"] == "good"
    assert _metrics(default)["recall"] == pytest.approx(recall_score(truth["y"], truth["pred"], pos_label="good"))
    assert _metrics(default)["recall"] != pytest.approx(got["recall"])


def test_the_old_key_still_works_with_a_warning(string_labelled: tuple[Path, pd.DataFrame]) -> None:
    folder, truth = string_labelled
    code, stderr, report = _check(folder, 'positive_label = "bad"')
    assert code in (0, 1), stderr
    assert report is not None
    warning = f"{folder / 'tef.toml'}: data.positive_label is deprecated: rename it to data.pos_label"
    assert report["warnings"] == [warning]
    # the console prints it too (wrapped to the terminal's width)
    assert "warning: " in stderr and "data.positive_label is deprecated: rename it to data.pos_label" in " ".join(
        stderr.split()
    )
    assert report["results"][0]["details"]["pos_label"] == "bad"
    assert _metrics(report)["recall"] == pytest.approx(recall_score(truth["y"], truth["pred"], pos_label="bad"))


def test_both_keys_are_a_one_line_error(string_labelled: tuple[Path, pd.DataFrame]) -> None:
    folder, _ = string_labelled
    write_config(folder, _config(folder, 'pos_label = "bad"\npositive_label = "bad"'))
    proc = tef("check", "--no-third-party", "--only", "performance.metrics", cwd=folder)
    assert_input_error(proc, "tef.toml: data.positive_label:", "set data.pos_label only")
    assert not (folder / "out" / "report.json").exists()
