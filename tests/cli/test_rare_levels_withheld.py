"""Small-cell suppression of inferred categorical levels, end to end: a person's name typed
into one row of a categorical column never reaches any file `tef check` writes (report.json,
html, md, junit, the MLflow store), while the frequent levels are still listed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tef_harness.checks.robustness.schema import MIN_LISTED_COUNT
from tests.tracking.conftest import tef, tracking_env

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "credit"
NAME = "Annika Vandersloot"


@pytest.mark.slow
def test_a_name_in_a_categorical_column_never_reaches_an_output(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(EXAMPLE / "build_demo.py"), "--rows", "3000", "--out", str(tmp_path / "generated")],
        check=True,
        capture_output=True,
    )
    for name in ("tef.toml", "MODEL_CARD.md"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    eval_csv = tmp_path / "generated" / "eval.csv"
    frame = pd.read_csv(eval_csv)
    frame.loc[3, "purpose"] = NAME
    frame.to_csv(eval_csv, index=False)
    # the frequent levels, counted here from the csv rather than by the harness
    counts = frame["purpose"].value_counts()
    frequent = sorted(str(v) for v, n in counts.items() if n >= MIN_LISTED_COUNT)
    rare = sorted(str(v) for v, n in counts.items() if n < MIN_LISTED_COUNT)
    assert rare == [NAME] and len(frequent) == 5

    proc = tef("check", "--only", "performance.metrics,robustness.perturbation", cwd=tmp_path, env=tracking_env())
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    pert = next(r for r in report["results"] if r["check_id"] == "robustness.perturbation")
    purpose = pert["details"]["schema"]["purpose"]
    assert purpose["source"] == "inferred"
    assert sorted(purpose["levels"]) == frequent
    assert purpose["n_levels"] == len(frequent) + 1
    assert purpose["n_levels_withheld"] == 1

    written = [p for p in tmp_path.rglob("*") if p.is_file() and "generated" not in p.parts]
    written = [p for p in written if p.name not in ("tef.toml", "MODEL_CARD.md")]
    assert any(p.name == "mlflow.db" for p in written), [str(p) for p in written]
    assert any(p.suffix == ".html" for p in written) and any(p.suffix == ".md" for p in written)
    assert any(p.suffix == ".xml" for p in written)
    leaks = [str(p) for p in written if NAME.encode() in p.read_bytes()]
    assert not leaks, leaks
    assert NAME not in proc.stdout + proc.stderr
