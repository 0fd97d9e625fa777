"""A model whose predict raises: the error names the exception's message, masked, in every
output `tef check` writes (console, report.json, report.html, junit.xml, the MLflow run).

Two real models: a scikit-learn logistic regression given a name where it was fitted on
numbers (scikit-learn quotes the value: ``could not convert string to float: '…'``), and a
small custom estimator, loaded through skops with its type trusted, whose predict raises with
the first row's name, e-mail, IBAN and income unquoted in the message."""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sklearn.linear_model import LogisticRegression

from tests.cli.test_check_command import write_config
from tests.tracking.conftest import tef, tracking_env

NAME, EMAIL, IBAN = "Jan Jansen", "jan.jansen@example.org", "NL91ABNA0417164300"
#: pieces of the planted values that must not survive anywhere (a masked value keeps two characters)
NEEDLES = (NAME, "Jansen", EMAIL, "jansen@", "example.org", IBAN, "ABNA0417", "52017")

RAISING_MODEL = textwrap.dedent(
    '''
    import numpy as np
    from sklearn.base import BaseEstimator, ClassifierMixin


    class RowQuotingClassifier(ClassifierMixin, BaseEstimator):
        """Fits nothing; predict raises with the first row's values in the message."""

        def fit(self, X, y):
            self.classes_ = np.unique(y)
            self.feature_names_in_ = np.array(list(X.columns), dtype=object)
            self.n_features_in_ = X.shape[1]
            return self

        def predict(self, X):
            row = X.iloc[0]
            raise ValueError(
                f"cannot score applicant {row['name']} ({row['email']}, account {row['iban']}) "
                f"income {row['income']}"
            )

        def predict_proba(self, X):
            return self.predict(X)
    '''
)


def _sklearn_on_a_name(folder: Path) -> tuple[str, str]:
    rng = np.random.default_rng(0)
    n = 400
    df = pd.DataFrame({"income": rng.normal(50, 10, n).round(2), "debt": rng.normal(10, 3, n).round(2)})
    df["default"] = (df.income - 3 * df.debt + rng.normal(0, 5, n) < 20).astype(int)
    sio.dump(LogisticRegression().fit(df[["income", "debt"]], df["default"]), folder / "model.skops")
    for name, part in (("eval.csv", df.iloc[:200]), ("train.csv", df.iloc[200:])):
        part = part.astype({"debt": object})
        part.iloc[3, part.columns.get_loc("debt")] = f"{NAME} {EMAIL} {IBAN}"
        part.to_csv(folder / name, index=False)
    return "", "could not convert string to float: '"


def _custom_raiser(folder: Path) -> tuple[str, str]:
    (folder / "raising_model.py").write_text(RAISING_MODEL, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("raising_model", folder / "raising_model.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["raising_model"] = module
    try:
        spec.loader.exec_module(module)
        n = 60
        df = pd.DataFrame(
            {"name": [NAME] * n, "email": [EMAIL] * n, "iban": [IBAN] * n, "income": np.arange(52017, 52017 + n)}
        )
        df["default"] = np.arange(n) % 2
        model = module.RowQuotingClassifier().fit(df.drop(columns="default"), df["default"])
        sio.dump(model, folder / "model.skops")
    finally:
        del sys.modules["raising_model"]
    df.to_csv(folder / "eval.csv", index=False)
    df.to_csv(folder / "train.csv", index=False)
    return 'trusted_types = ["raising_model.RowQuotingClassifier"]\n', "cannot score applicant "


@pytest.mark.parametrize("build", [_sklearn_on_a_name, _custom_raiser], ids=["sklearn-quoted", "custom-unquoted"])
def test_the_exception_message_is_shown_masked_everywhere(build, tmp_path: Path) -> None:
    trusted, message_start = build(tmp_path)
    write_config(
        tmp_path,
        'seed = 0\nout = "out"\n[model]\npath = "model.skops"\n'
        + trusted
        + '[data]\npath = "eval.csv"\ntarget = "default"\ntrain_sample = "train.csv"\n',
    )
    # the custom model's module is importable by the tef process, as a user's own package would be
    path = os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])
    env = tracking_env(TEF_DEBUG="1", COLUMNS="250", PYTHONPATH=path)
    proc = tef(
        "check", "--no-third-party", "--only", "performance.metrics,privacy.membership_inference", cwd=tmp_path, env=env
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    by = {r["check_id"]: r for r in report["results"]}
    # the model crashed on the evaluation rows: both checks are errors (membership inference
    # too: not 'not applicable', which is for a training sample the model cannot read)
    assert by["performance.metrics"]["status"] == "error"
    assert by["privacy.membership_inference"]["status"] == "error"
    reason = by["performance.metrics"]["reason"]
    assert reason.startswith(f"the model's predict raised ValueError: {message_start}"), reason
    masked_part = reason.removeprefix(f"the model's predict raised ValueError: {message_start}")
    assert "*" * 8 in masked_part, reason  # the values are there, masked (the door keeps the length)
    assert by["privacy.membership_inference"]["reason"].startswith(
        f"the model's predict_proba raised ValueError: {message_start}"
    )

    outputs = {"stdout": proc.stdout, "stderr": proc.stderr}
    for path in sorted(tmp_path.rglob("*")):
        if path.is_file() and path.suffix not in (".csv", ".skops", ".toml", ".py"):
            outputs[str(path.relative_to(tmp_path))] = path.read_text(encoding="utf-8", errors="replace")
    for name in ("out/report.json", "out/report.html", "out/junit.xml", "mlflow.db"):
        assert name in outputs, sorted(outputs)
    leaked = {name: [v for v in NEEDLES if v in text] for name, text in outputs.items()}
    assert not {k: v for k, v in leaked.items() if v}, leaked
    html_start = message_start.replace("'", "&#39;")
    console = proc.stdout + proc.stderr
    assert message_start in console, console
    for name, start in (("out/report.html", html_start), ("out/junit.xml", message_start)):
        assert start in outputs[name], (name, outputs[name][:2000])
    with sqlite3.connect(tmp_path / "mlflow.db") as db:
        notes = [v for (v,) in db.execute("select value from tags where key = 'mlflow.note.content'")]
    assert len(notes) == 1 and f"raised ValueError: {message_start}" in notes[0], notes
