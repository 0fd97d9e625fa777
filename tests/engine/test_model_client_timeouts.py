"""A model that hangs: every check that asks it for an answer ends as ``error`` with the
reason, in every family, and the run finishes with a report (timeouts set through the config)."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from tests.cli.test_check_command import TEF

SLEEPY_MODULE = '''
import time


class SleepyModel:
    """A fitted classifier whose every answer comes after a long sleep."""

    def __init__(self, estimator, sleep_s):
        self.estimator = estimator
        self.sleep_s = sleep_s
        self.classes_ = estimator.classes_
        self.feature_names_in_ = estimator.feature_names_in_

    def predict(self, X):
        time.sleep(self.sleep_s)
        return self.estimator.predict(X)

    def predict_proba(self, X):
        time.sleep(self.sleep_s)
        return self.estimator.predict_proba(X)
'''

CONFIG = """
[model]
path = "model.pkl"
format = "pickle"
trust_artifact = true
timeout_s = 1.0

[data]
path = "eval.csv"
target = "y"
sensitive = ["sex"]
train_sample = "train.csv"

[plugins]
third_party = false

[checks."robustness.perturbation".params]
timeout_s = 1.0
[checks."robustness.input_resilience".params]
timeout_s = 1.0
[checks."robustness.text_invariance".params]
timeout_s = 1.0
[checks."robustness.adversarial".params]
timeout_s = 1.0
time_budget_s = 1.0
"""

#: every built-in check that asks the model for an answer on these inputs, by family
CALLERS = {
    "performance.metrics",
    "bias.group_fairness",
    "bias.subgroup_search",
    "bias.counterfactual_flip",
    "robustness.perturbation",
    "robustness.adversarial",
    "robustness.input_resilience",
    "privacy.membership_inference",
}


def test_a_hanging_model_ends_each_calling_check_as_error_and_the_run_finishes(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    n = 300
    frame = pd.DataFrame({"x1": rng.normal(size=n), "x2": rng.normal(size=n), "sex": rng.integers(0, 2, size=n)})
    frame["y"] = (frame["x1"] + 0.3 * frame["sex"] + rng.normal(size=n) > 0).astype(int)
    estimator = LogisticRegression().fit(frame[["x1", "x2", "sex"]], frame["y"])
    (tmp_path / "sleepy_model.py").write_text(SLEEPY_MODULE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    # pickled in a child that imports the class from the module the run will import
    subprocess.run(
        [str(Path(TEF).with_name("python")), "-c",
         "import pickle, sys, sleepy_model; est = pickle.load(sys.stdin.buffer); "
         "pickle.dump(sleepy_model.SleepyModel(est, 60.0), open('model.pkl', 'wb'))"],
        input=pickle.dumps(estimator), cwd=tmp_path, env=env, check=True, timeout=60,
    )  # fmt: skip
    frame.iloc[:200].to_csv(tmp_path / "eval.csv", index=False)
    frame.iloc[200:].to_csv(tmp_path / "train.csv", index=False)
    (tmp_path / "tef.toml").write_text(CONFIG, encoding="utf-8")

    t0 = time.monotonic()
    proc = subprocess.run([TEF, "check"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - t0

    assert proc.returncode == 1, proc.stderr  # a report, not conformant
    report = json.loads((tmp_path / "tef-report" / "report.json").read_text())
    results = {r["check_id"]: r for r in report["results"]}
    assert {cid.split(".")[0] for cid in CALLERS} == {"performance", "bias", "robustness", "privacy"}
    for check_id in CALLERS:
        r = results[check_id]
        assert r["status"] == "error", (check_id, r["status"], r["reason"])
        assert "did not answer within 1 s" in r["reason"], (check_id, r["reason"])
    # checks that never call the model are unaffected
    assert results["bias.data_representation"]["status"] not in ("error", "not_applicable")
    assert elapsed < 30, elapsed
