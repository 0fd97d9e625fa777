"""`tef check` end to end, through the real console script (exit codes, stdout/stderr split,
no report left behind on bad input)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import numpy as np
import pandas as pd
import pytest

from tests.conftest import Artifacts

TEF = str(Path(sys.executable).with_name("tef"))


def tef(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([TEF, *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def write_config(folder: Path, text: str) -> Path:
    path = folder / "tef.toml"
    path.write_text(text, encoding="utf-8")
    return path


def check_performance_only(
    artifacts: Artifacts, folder: Path, *model_flags: str
) -> tuple[subprocess.CompletedProcess[str], dict]:
    """``tef check`` of the evaluation data with only ``performance.metrics``; it must pass."""
    proc = tef(
        "check",
        *model_flags,
        "--data",
        str(artifacts.eval_csv),
        "--target",
        "default",
        "--only",
        "performance.metrics",
        cwd=folder,
    )
    assert proc.returncode == 0, proc.stderr
    return proc, json.loads((folder / "tef-report" / "report.json").read_text())


def assert_input_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("tef: error:")]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_check_with_config_writes_a_valid_report(artifacts: Artifacts, in_tmp: Path) -> None:
    write_config(
        in_tmp,
        artifacts.config(
            '[checks."performance.metrics"]\nthresholds = [{ metric = "roc_auc", min = 0.5, on = "lower" }]\n'
        ),
    )
    proc = tef("check", "--only", "performance.metrics", "--json", cwd=in_tmp)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report == json.loads((in_tmp / "out" / "report.json").read_text())
    schema = json.loads(tef("report", "schema", cwd=in_tmp).stdout)
    jsonschema.validate(report, schema)
    assert report["verdict"] == "conformant"
    (result,) = report["results"]
    assert result["status"] == "passed"
    assert {m["name"] for m in result["metrics"]} >= {"accuracy", "roc_auc", "ece", "brier", "log_loss"}
    assert report["subject"]["model"]["adapter"] == "skops"
    assert len(report["subject"]["model"]["sha256"]) == 64
    assert "report:" in proc.stderr and "verdict: conformant" in proc.stderr


def test_flags_alone_without_config(artifacts: Artifacts, in_tmp: Path) -> None:
    proc = tef(
        "check",
        "--model",
        str(artifacts.onnx),
        "--data",
        str(artifacts.eval_csv),
        "--target",
        "default",
        "--sensitive",
        "sex",
        "--sensitive",
        "age_group",
        "--only",
        "performance.metrics",
        "--out",
        "r",
        cwd=in_tmp,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads((in_tmp / "r" / "report.json").read_text())
    assert report["subject"]["model"]["adapter"] == "onnx"
    assert report["subject"]["sensitive"] == ["sex", "age_group"]
    assert proc.stdout == ""  # data only on stdout, and none was asked for


def test_flags_override_the_file_and_threshold_fails(artifacts: Artifacts, in_tmp: Path) -> None:
    write_config(
        in_tmp, artifacts.config('[checks."performance.metrics"]\nthresholds = [{ metric = "accuracy", min = 0.99 }]\n')
    )
    proc = tef("check", "--only", "performance.metrics", "--seed", "5", "--out", "elsewhere", cwd=in_tmp)
    assert proc.returncode == 1, proc.stderr
    report = json.loads((in_tmp / "elsewhere" / "report.json").read_text())
    assert report["provenance"]["seed"] == 5
    assert report["verdict"] == "non_conformant"
    by = {o["metric"]: o for o in report["results"][0]["thresholds"]}
    assert by["accuracy"]["passed"] is False and by["accuracy"]["source"] == "config"
    # the profile's better-than-trivial floor is applied beside it, and attributed
    assert by["balanced_accuracy_lift"]["source"] == "profile" and by["balanced_accuracy_lift"]["basis"]


def test_same_inputs_same_report_apart_from_time(artifacts: Artifacts, in_tmp: Path) -> None:
    write_config(in_tmp, artifacts.config())

    def strip(r: dict) -> dict:
        r["provenance"] = {
            k: v for k, v in r["provenance"].items() if k not in ("started_at", "finished_at", "duration_s")
        }
        for res in r["results"]:
            res.pop("duration_s")
        return r

    reports = []
    for out in ("a", "b"):
        proc = tef("check", "--only", "performance.metrics,example.label_shift", "--out", out, cwd=in_tmp)
        # nothing bounds the plugin's metrics: it is no evidence either way, so incomplete
        assert proc.returncode == 1, proc.stderr
        reports.append(strip(json.loads((in_tmp / out / "report.json").read_text())))
        assert reports[-1]["verdict"] == "incomplete"
        assert {r["check_id"]: r["status"] for r in reports[-1]["results"]} == {
            "performance.metrics": "passed",
            "example.label_shift": "insufficient_evidence",
        }
    reports[1]["config"]["out"] = reports[0]["config"]["out"]
    assert reports[0]["results"] == reports[1]["results"]
    assert reports[0]["subject"]["files"] == reports[1]["subject"]["files"]


def test_pyproject_tool_tef_found_by_walking_up(artifacts: Artifacts, in_tmp: Path) -> None:
    body = artifacts.config().replace("[model]", "[tool.tef.model]").replace("[data]", "[tool.tef.data]")
    body = body.replace("[documents]", "[tool.tef.documents]")
    head, _, rest = body.partition("[tool.tef.model]")
    (in_tmp / "pyproject.toml").write_text("[project]\nname='x'\n[tool.tef]\n" + head + "[tool.tef.model]" + rest)
    sub = in_tmp / "a" / "b"
    sub.mkdir(parents=True)
    proc = tef("check", "--only", "performance.metrics", cwd=sub)
    assert proc.returncode == 0, proc.stderr
    assert "pyproject.toml" in proc.stderr
    report = json.loads((in_tmp / "out" / "report.json").read_text())  # out is relative to the config file
    assert report["verdict"] == "conformant" and report["results"][0]["status"] == "passed"


def test_third_party_plugin_is_discovered_and_runs(artifacts: Artifacts, in_tmp: Path) -> None:
    write_config(in_tmp, artifacts.config())
    proc = tef("check", "--only", "example.label_shift", cwd=in_tmp)
    report = json.loads((in_tmp / "out" / "report.json").read_text())
    (result,) = report["results"]
    assert result["distribution"] == "tef-example-plugin"
    # no profile bounds a third-party check: unless the config does, nothing it measured is
    # judged, so it is no evidence of conformity (and not a pass)
    assert result["status"] == "insufficient_evidence"
    assert result["reason"].startswith("no bound declared for its metrics")
    assert report["verdict"] == "incomplete" and proc.returncode == 1, proc.stderr
    listing = json.loads(tef("list-checks", "--format", "json", cwd=in_tmp).stdout)
    assert {"example.label_shift", "performance.metrics"} <= {c["id"] for c in listing["checks"]}
    builtin_only = json.loads(tef("list-checks", "--format", "json", "--no-third-party", cwd=in_tmp).stdout)
    assert "example.label_shift" not in {c["id"] for c in builtin_only["checks"]}


def test_predictions_only_audit(artifacts: Artifacts, in_tmp: Path, eval_frame) -> None:
    import skops.io as sio

    model = sio.load(artifacts.skops, trusted=sio.get_untrusted_types(file=artifacts.skops))
    X = eval_frame[artifacts.features]
    preds = eval_frame[[]].assign(
        prediction=model.predict(X), proba_0=model.predict_proba(X)[:, 0], proba_1=model.predict_proba(X)[:, 1]
    )
    preds.to_csv(in_tmp / "preds.csv", index=False)
    _, report = check_performance_only(artifacts, in_tmp, "--predictions", "preds.csv")
    assert report["subject"]["model"]["adapter"] == "predictions"
    names = {m["name"] for m in report["results"][0]["metrics"]}
    assert "roc_auc" in names


def test_pickle_with_trust_is_recorded(artifacts: Artifacts, in_tmp: Path) -> None:
    proc, report = check_performance_only(artifacts, in_tmp, "--model", str(artifacts.pickle), "--trust-artifact")
    assert report["subject"]["model"]["trusted"] is True
    assert any("trusted" in w for w in report["warnings"])
    assert "trusting pickle artifact" in proc.stderr


def test_init_writes_a_config_that_validates(in_tmp: Path) -> None:
    proc = tef("init", "--model", "m.skops", "--data", "d.csv", "--target", "y", "--sensitive", "sex", cwd=in_tmp)
    assert proc.returncode == 0, proc.stderr
    from tef_harness.config.loader import load_config

    lc = load_config(in_tmp / "tef.toml")
    assert lc.config.data.sensitive == ("sex",)
    assert tef("init", cwd=in_tmp).returncode == 2  # refuses to overwrite


# --- the bad-input battery: one line naming file and field, exit 2, no report ------------

BAD_CASES = {
    "missing data file": ("data_path", "nope.csv", ["nope.csv", "data.path", "file not found"]),
    "missing model file": ("model_path", "nope.skops", ["nope.skops", "model.path"]),
    "target column absent": ("target", "no_such_col", ["eval.csv", "data.target", "no_such_col"]),
    "sensitive column absent": ("sensitive", "religion", ["eval.csv", "data.sensitive", "religion"]),
    "config typo": ("raw", "seeed = 1\n", ["tef.toml", "seeed", "extra inputs are not permitted"]),
    "unknown check id in --only": ("only", "bias.nonexistent", ["plugins.only", "bias.nonexistent"]),
    "unknown check id in config": ("raw", '[checks."nope.check"]\nenabled = true\n', ["checks", "nope.check"]),
    "bad check param": (
        "raw",
        '[checks."performance.metrics"]\nparams = { n_bot = 3 }\n',
        ['checks."performance.metrics".params', "n_bot"],
    ),
    "pickle without trust": ("model_file", "pickle", ["model.pkl", "model.trust_artifact", "--trust-artifact"]),
    "unknown profile": ("raw_top", 'profile = "no-such-profile"\n', ["profile", "no-such-profile"]),
}


def _bad_setup(case: str, artifacts: Artifacts, folder: Path) -> list[str]:
    kind, value, _ = BAD_CASES[case]
    text, args = artifacts.config(), ["check"]
    if kind == "data_path":
        text = text.replace(str(artifacts.eval_csv), str(folder / value))
    elif kind == "model_path":
        text = text.replace(str(artifacts.skops), str(folder / value))
    elif kind == "target":
        text = text.replace('target = "default"', f'target = "{value}"')
    elif kind == "sensitive":
        text = text.replace('sensitive = ["sex", "age_group"]', f'sensitive = ["sex", "{value}"]')
    elif kind == "raw":
        text += value
    elif kind == "raw_top":
        text = text.replace('profile = "default"\n', value)
    elif kind == "only":
        args += ["--only", value]
    elif kind == "model_file":
        text = text.replace(str(artifacts.skops), str(artifacts.pickle))
    write_config(folder, text)
    return args


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_input_is_one_line_exit_2_no_report(case: str, artifacts: Artifacts, in_tmp: Path) -> None:
    args = _bad_setup(case, artifacts, in_tmp)
    proc = tef(*args, cwd=in_tmp)
    assert_input_error(proc, *BAD_CASES[case][2])
    assert not (in_tmp / "out").exists()


@pytest.mark.parametrize(
    ("name", "content", "needles"),
    [
        ("empty.csv", "", ["empty.csv", "data.path", "empty"]),
        ("header_only.csv", "a,b,default\n", ["header_only.csv", "no rows"]),
        ("nan_target.csv", None, ["nan_target.csv", "data.target", "missing value"]),
        ("three_classes.csv", None, ["three_classes.csv", "data.target", "3 distinct"]),
        ("bad.xlsx", "x", ["bad.xlsx", "unsupported data format"]),
    ],
    ids=["empty-file", "no-rows", "nan-in-target", "non-binary-target-for-binary-task", "unsupported-format"],
)
def test_bad_data_files(
    name: str, content: str | None, needles: list[str], artifacts: Artifacts, in_tmp: Path, eval_frame
) -> None:
    path = in_tmp / name
    extra = ""
    if name == "nan_target.csv":
        frame = eval_frame.copy()
        frame.loc[3, "default"] = None
        frame.to_csv(path, index=False)
    elif name == "three_classes.csv":
        frame = eval_frame.copy()
        frame.loc[:10, "default"] = 2
        frame.to_csv(path, index=False)
        extra = ""
    else:
        path.write_text(content or "")
    text = artifacts.config(extra).replace(str(artifacts.eval_csv), str(path))
    if name == "three_classes.csv":
        text = text.replace('target = "default"', 'target = "default"\ntask = "binary"')
    write_config(in_tmp, text)
    assert_input_error(tef("check", cwd=in_tmp), *needles)
    assert not (in_tmp / "out").exists()


@pytest.mark.parametrize("kind", ["skops", "onnx"])
def test_corrupt_model_files(kind: str, artifacts: Artifacts, in_tmp: Path) -> None:
    bad = in_tmp / f"corrupt.{kind}"
    bad.write_bytes(b"PK\x03\x04 this is not a model" * 10)
    text = artifacts.config().replace(str(artifacts.skops), str(bad))
    write_config(in_tmp, text)
    assert_input_error(tef("check", cwd=in_tmp), f"corrupt.{kind}", "model.path")
    assert not (in_tmp / "out").exists()


def test_untrusted_skops_types_refused_then_allowed(artifacts: Artifacts, in_tmp: Path, tmp_path_factory) -> None:
    import skops.io as sio
    from sklearn.preprocessing import FunctionTransformer

    from tests.intake.custom_fn import double

    model_path = tmp_path_factory.mktemp("skops") / "custom.skops"
    sio.dump(FunctionTransformer(double), model_path)
    untrusted = sio.get_untrusted_types(file=model_path)
    assert untrusted
    text = (
        artifacts.config()
        .replace(str(artifacts.skops), str(model_path))
        .replace('trusted_types = ["sklearn.tree._tree.Tree"]', "trusted_types = []")
    )
    write_config(in_tmp, text)
    proc = tef("check", cwd=in_tmp)
    assert_input_error(proc, "custom.skops", "model.trusted_types", "refusing untrusted types", untrusted[0])
    assert not (in_tmp / "out").exists()


def test_internal_error_exit_3(artifacts: Artifacts, in_tmp: Path) -> None:
    write_config(in_tmp, artifacts.config())
    code = (
        "import sys\n"
        "import tef_harness.engine.runner as e\n"
        "def boom(*a, **k):\n    raise RuntimeError('simulated bug')\n"
        "e.run = boom\n"
        "from tef_harness.cli import main\n"
        "sys.argv = ['tef', 'check', '--only', 'performance.metrics']\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=in_tmp, capture_output=True, text=True, check=False)
    assert proc.returncode == 3, proc.stderr
    assert "internal error: RuntimeError: simulated bug" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (in_tmp / "out").exists()


# --- issue 13 item 4: the template follows the task -----------------------------------------


@pytest.mark.parametrize(
    ("flags", "present", "absent"),
    [
        (("--task", "regression"), '#     { metric = "r2"', "roc_auc"),
        (("--task", "binary"), '#     { metric = "roc_auc"', 'metric = "r2"'),
        (("--task", "multiclass"), '#     { metric = "balanced_accuracy"', "roc_auc"),
        ((), "# thresholds = []", 'metric = "roc_auc"'),  # no data file: the task is unknown
    ],
    ids=["regression", "binary", "multiclass", "unknown"],
)
def test_init_template_follows_the_task(in_tmp: Path, flags, present, absent) -> None:
    proc = tef("init", "--data", "missing.csv", *flags, cwd=in_tmp)
    assert proc.returncode == 0, proc.stderr
    text = (in_tmp / "tef.toml").read_text(encoding="utf-8")
    assert present in text and absent not in text
    from tef_harness.config.loader import load_config

    config = load_config(in_tmp / "tef.toml").config
    assert config.data.task == (flags[1] if flags else "auto")
    # the example level is commented out: the user enables it with the card's level, so the
    # written config declares no accuracy bound of its own
    assert not config.checks["performance.metrics"].thresholds


def test_init_for_a_regressor_detects_the_task_and_the_check_runs(in_tmp: Path) -> None:
    """Before: init wrote a ROC AUC bound for every model, and a regressor then failed with
    "lower bound of roc_auc = none". Now the task comes from the data's target column."""
    import skops.io as sio
    from sklearn.linear_model import LinearRegression

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=400), "sex": rng.choice(["F", "M"], 400)})
    frame["y"] = 2.0 * frame["x"] + rng.normal(0, 0.5, 400)
    frame.to_csv(in_tmp / "eval.csv", index=False)
    sio.dump(LinearRegression().fit(frame[["x"]], frame["y"]), in_tmp / "model.skops")
    proc = tef("init", "--model", "model.skops", "--data", "eval.csv", "--target", "y", cwd=in_tmp)
    assert proc.returncode == 0, proc.stderr
    text = (in_tmp / "tef.toml").read_text(encoding="utf-8")
    assert 'task = "regression"' in text and "roc_auc" not in text
    checked = tef("check", "--only", "performance.metrics", "--no-third-party", cwd=in_tmp)
    report = json.loads((in_tmp / "tef-report" / "report.json").read_text(encoding="utf-8"))
    perf = next(r for r in report["results"] if r["check_id"] == "performance.metrics")
    assert perf["status"] == "passed", (perf["reason"], checked.stderr)
    # the example r2 level is commented out: only the profile's bounds judge, none on roc_auc
    assert all(o["source"] == "profile" for o in perf["thresholds"]), perf["thresholds"]
    assert not any("roc_auc" in o["metric"] for o in perf["thresholds"])
    assert checked.returncode == 0


@pytest.mark.parametrize(("policy", "code", "verdict"), [("incomplete", 1, "incomplete"), ("pass", 0, "conformant")])
def test_exit_code_follows_the_status_to_outcome_table(artifacts: Artifacts, in_tmp: Path, policy, code, verdict):
    """A third-party check no bound covers is insufficient evidence: a failure (exit 1) under
    gate.insufficient_evidence = incomplete, skipped with its reason (exit 0) under pass."""
    write_config(in_tmp, artifacts.config(f'[gate]\ninsufficient_evidence = "{policy}"\n'))
    proc = tef("check", "--only", "example.label_shift", cwd=in_tmp)
    report = json.loads((in_tmp / "out" / "report.json").read_text())
    assert proc.returncode == code, proc.stderr
    assert report["verdict"] == verdict
    assert any("example.label_shift" in r for r in report["verdict_reasons"])
