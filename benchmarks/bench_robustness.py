"""Benchmark of the robustness family on a credit-like model, as scikit-learn and as ONNX.

    .venv/bin/python benchmarks/bench_robustness.py [--sizes 100000,1000000] [--adv-rows 200] [--art]

Measures, per evaluation size and model format:
- ``robustness.perturbation`` with its defaults (5 families × 5 severities on a seeded
  sample of 10,000 rows): seconds (clean predictions on all rows included, as the engine
  would compute them once for every check) and peak traced memory;
- how the sample size drives the interval width (median 95% CI width of the 25 flip rates
  and accuracy drops) and the time, on the largest size with the ONNX model;
- ``robustness.adversarial`` on 200 rows (built-in boundary search; ``--art`` adds ART's
  HopSkipJump on 50 rows for comparison).
Prints a Markdown table to stdout; progress to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

import numpy as np
import pandas as pd

from tef_harness.checks.robustness.adversarial import AdversarialEvasion
from tef_harness.checks.robustness.perturbation import RobustnessPerturbation
from tef_harness.testing import estimator_adapter, make_context

NUMERIC = [
    "income",
    "age",
    "loan_amount",
    "loan_term_months",
    "interest_rate",
    "credit_score",
    "open_accounts",
    "debt_to_income",
    "years_employed",
    "savings",
    "late_payments",
    "utilization",
]
CATEGORICAL = ["housing", "purpose", "employment_type", "region"]
FEATURES = NUMERIC + CATEGORICAL
SENSITIVE = ("sex", "age_group")


def credit_frame(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 80, n)
    income = rng.lognormal(10.4, 0.5, n).round(0)
    frame = pd.DataFrame(
        {
            "income": income,
            "age": age,
            "loan_amount": (rng.lognormal(9.3, 0.7, n)).round(0),
            "loan_term_months": rng.choice([12, 24, 36, 48, 60, 72], n),
            "interest_rate": rng.uniform(2, 18, n).round(2),
            "credit_score": np.clip(rng.normal(680, 70, n), 300, 850).round(0),
            "open_accounts": rng.poisson(4, n),
            "debt_to_income": rng.beta(2, 5, n).round(3),
            "years_employed": np.minimum(rng.poisson(6, n), age - 16),
            "savings": rng.lognormal(8, 1.2, n).round(0),
            "late_payments": rng.poisson(0.6, n),
            "utilization": rng.uniform(0, 1, n).round(3),
            "housing": rng.choice(["own", "rent", "mortgage"], n, p=[0.3, 0.4, 0.3]),
            "purpose": rng.choice(["car", "home", "education", "business"], n),
            "employment_type": rng.choice(["salaried", "self_employed", "unemployed"], n, p=[0.7, 0.25, 0.05]),
            "region": rng.choice(["north", "south", "east", "west", "centre"], n),
            "sex": rng.choice(["F", "M"], n),
            "age_group": pd.cut(age, [17, 29, 49, 200], labels=["18-29", "30-49", "50+"]).astype(str),
        }
    )
    z = (
        -1.2
        - 1.0 * (np.log(frame["income"]) - 10.4)
        + 0.9 * np.log(frame["loan_amount"] / 10_000)
        + 0.08 * (frame["interest_rate"] - 10)
        - 0.012 * (frame["credit_score"] - 680)
        + 2.0 * (frame["debt_to_income"] - 0.3)
        + 0.5 * frame["late_payments"]
        + 0.8 * (frame["utilization"] - 0.5)
        + 0.9 * (frame["employment_type"] == "unemployed")
        + rng.normal(0, 0.8, n)
    )
    frame["default"] = (z > 0).astype(int)
    frame[NUMERIC] = frame[NUMERIC].astype(np.float32)
    return frame


def fit_pipeline(frame: pd.DataFrame) -> Any:
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    pre = ColumnTransformer(
        [
            ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), NUMERIC),
            ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
        ]
    )
    return Pipeline([("pre", pre), ("clf", LogisticRegression(max_iter=1000))]).fit(frame[FEATURES], frame["default"])


def onnx_adapter(pipe: Any, workdir: Path) -> Any:
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType

    from tef_harness.intake.models.onnx_model import OnnxAdapter

    types = [(c, FloatTensorType([None, 1])) for c in NUMERIC] + [(c, StringTensorType([None, 1])) for c in CATEGORICAL]
    onx = convert_sklearn(pipe, initial_types=types, options={id(pipe.steps[-1][1]): {"zipmap": False}})
    path = workdir / "credit.onnx"
    path.write_bytes(onx.SerializeToString())
    return OnnxAdapter(path, classes_hint=(0, 1))


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def timed_run(check: Any, params: Any, frame: pd.DataFrame, model: Any, memory: bool) -> tuple[float, float, Any]:
    """Seconds (or peak traced MiB when ``memory``) of clean predictions + the check, on a fresh context."""
    ctx = make_context(frame, model=model, target="default", sensitive=SENSITIVE, features=tuple(FEATURES))
    if memory:
        tracemalloc.start()
    start = time.perf_counter()
    ctx.predictions()
    out = check.run(ctx, params)
    seconds = time.perf_counter() - start
    peak = 0.0
    if memory:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return seconds, peak, out


def ci_widths(out: Any, prefix: str) -> float:
    widths = [m.ci.high - m.ci.low for m in out.metrics if m.name.startswith(prefix) and m.ci is not None]
    return float(np.median(widths)) if widths else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--adv-rows", type=int, default=200)
    ap.add_argument("--art", action="store_true", help="also run ART's HopSkipJump (50 rows)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    import sklearn

    log("fitting the credit pipeline on 20,000 rows")
    train = credit_frame(20_000, seed=1)
    pipe = fit_pipeline(train)
    with tempfile.TemporaryDirectory() as tmp:
        models = {"sklearn": estimator_adapter(pipe), "onnx": onnx_adapter(pipe, Path(tmp))}
        pert = RobustnessPerturbation()
        params = RobustnessPerturbation.Params()
        print(
            f"machine: {os.cpu_count()} cores; numpy {np.__version__}, pandas {pd.__version__}, "
            f"scikit-learn {sklearn.__version__}\n"
        )
        print("## robustness.perturbation, defaults (5 families x 5 severities, seeded sample of 10,000 rows)\n")
        print("| rows | model | seconds | peak traced MiB | sample | median CI width flip_rate | accuracy/clean |")
        print("|---:|---|---:|---:|---:|---:|---:|")
        frames = {}
        for n in sizes:
            log(f"generating {n:,} rows")
            frames[n] = credit_frame(n, seed=2)
            for name, model in models.items():
                log(f"perturbation: {n:,} rows, {name}")
                seconds, _, out = timed_run(pert, params, frames[n], model, memory=False)
                _, peak, _ = timed_run(pert, params, frames[n], model, memory=True)
                acc = next(m for m in out.metrics if m.name == "accuracy/clean")
                print(
                    f"| {n:,} | {name} | {seconds:.2f} | {peak:.0f} | {out.details['sample']['n']:,} | "
                    f"{ci_widths(out, 'flip_rate/'):.4f} | {acc.value:.4f} |"
                )
        n_max = max(sizes)
        print(f"\n## sample size vs interval width ({n_max:,} rows, onnx, 25 tests)\n")
        print(
            "| max_rows | seconds | median CI width flip_rate | median CI width accuracy_drop | "
            "flip_rate/gaussian_noise/3 [CI] |"
        )
        print("|---:|---:|---:|---:|---|")
        for max_rows in (1_000, 10_000, 100_000, None):
            if max_rows is not None and max_rows >= n_max:
                continue
            log(f"sample sweep: max_rows={max_rows}")
            p = RobustnessPerturbation.Params(max_rows=max_rows)
            seconds, _, out = timed_run(pert, p, frames[n_max], models["onnx"], memory=False)
            g = next(m for m in out.metrics if m.name == "flip_rate/gaussian_noise/3")
            print(
                f"| {max_rows or n_max:,} | {seconds:.2f} | {ci_widths(out, 'flip_rate/'):.4f} | "
                f"{ci_widths(out, 'accuracy_drop/'):.4f} | {g.value:.4f} [{g.ci.low:.4f}, {g.ci.high:.4f}] |"
            )
        print(f"\n## robustness.adversarial ({args.adv_rows} rows; budget epsilon 0.05; 1,000 queries/row)\n")
        print(
            "| model | method | rows | seconds | success_rate | robust_accuracy | clean_accuracy | "
            "median_min_perturbation | queries total |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        adv = AdversarialEvasion()
        runs = [(name, "boundary_search", args.adv_rows) for name in models]
        if args.art:
            runs += [(name, "art_hopskipjump", 50) for name in models]
        eval_frame = frames[min(sizes)]
        for name, method, rows in runs:
            log(f"adversarial: {name}, {method}")
            p = AdversarialEvasion.Params(n_rows=rows, method=method, time_budget_s=600)
            seconds, _, out = timed_run(adv, p, eval_frame, models[name], memory=False)
            m = {x.name: x.value for x in out.metrics}
            print(
                f"| {name} | {method} | {rows} | {seconds:.2f} | {m['success_rate']:.3f} | "
                f"{m['robust_accuracy']:.3f} | {m['clean_accuracy']:.3f} | "
                f"{m.get('median_min_perturbation', float('nan')):.4f} | {out.details['queries_total']:,} |"
            )


if __name__ == "__main__":
    main()
