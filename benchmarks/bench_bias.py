"""The bias checks on 10k, 100k and 1M rows, side by side with fairlearn.

Data: two sensitive features (sex: 2 values, age_group: 4 values, so 8 intersections), a
binary label and a model that scores new rows (a vectorised logistic rule that uses sex, so
counterfactual flips are non-zero). Every (tool, size) cell runs in a fresh subprocess, so
the peak memory reported is that cell's own: the rise of the process's peak RSS above its
RSS just before the timed call (the data set and the cached predictions are already there).

"fairlearn MetricFrame n_boot=200" computes what ``bias.group_fairness`` reports: selection
rate, TPR, FPR, precision and accuracy by group for sex, age_group and sex×age_group, with
intervals from 200 bootstrap resamples each (2.5%/97.5% quantiles). Since issue 13 the check's
disparity intervals for a binary task are simultaneous Wilson intervals, which need no
resampling (the percentile bootstrap of max − min can exclude its own estimate), so the
comparison is of the same report, not of the same interval method. It is run only up to
``--fairlearn-max-size`` rows (default 10,000): above that it takes minutes. For larger sizes
the table shows an estimate from a run with n_boot=2, scaled by (200 + 1) / (2 + 1), marked "est.".

Usage: .venv/bin/python benchmarks/bench_bias.py [--sizes 10000,100000,1000000] [--fairlearn-max-size 10000]
Targets (issue 3): all four checks on 1M rows ≤ 5 s; group_fairness with intervals ≤ 2 s; ≥ 100× fairlearn.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import warnings

import numpy as np
import pandas as pd

CHECK_TOOLS = {
    "tef bias.group_fairness": ["bias.group_fairness"],
    "tef bias.subgroup_search": ["bias.subgroup_search"],
    "tef bias.counterfactual_flip": ["bias.counterfactual_flip"],
    "tef bias.data_representation": ["bias.data_representation"],
    "tef all four bias checks": [
        "bias.group_fairness",
        "bias.subgroup_search",
        "bias.counterfactual_flip",
        "bias.data_representation",
    ],
}
FAIRLEARN = "fairlearn MetricFrame n_boot=200"
ESTIMATE_BOOT = 2


def make_frame(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sex = rng.choice(np.array(["F", "M"], dtype=object), size=n, p=[0.45, 0.55])
    age = rng.choice(np.array(["18-29", "30-44", "45-64", "65+"], dtype=object), size=n, p=[0.25, 0.35, 0.3, 0.1])
    income = rng.lognormal(10, 0.5, size=n)
    debt = rng.uniform(0, 1, size=n)
    region = rng.choice(np.array(["north", "south", "east", "west"], dtype=object), size=n)
    logit = (np.log(income) - 10) / 0.5 - 2 * debt + 0.5 * (sex == "M") + rng.normal(0, 1, n)
    return pd.DataFrame(
        {
            "income": income,
            "debt_ratio": debt,
            "region": region,
            "sex": sex,
            "age_group": age,
            "y": (logit > 0).astype(np.int64),
        }
    )


def make_context(frame: pd.DataFrame):  # type: ignore[no-untyped-def]  # tef imported lazily
    from tef_harness.sdk.model import ArtifactInfo, ModelAdapter
    from tef_harness.testing import make_context as tef_context

    class LogisticRule(ModelAdapter):
        classes = (0, 1)
        info = ArtifactInfo(adapter="rule", path="<bench>", sha256="0" * 64, description="logistic rule")

        def predict(self, X: pd.DataFrame) -> np.ndarray:
            z = (np.log(X["income"].to_numpy()) - 10) / 0.5 - 2 * X["debt_ratio"].to_numpy()
            return (z + 0.6 * (X["sex"].to_numpy() == "M") - 0.2 * (X["age_group"].to_numpy() == "65+") > 0).astype(
                np.int64
            )

    train = frame.sample(frac=0.2, random_state=1).reset_index(drop=True)
    return tef_context(
        frame, model=LogisticRule(), train=train, features=("income", "debt_ratio", "region", "sex", "age_group")
    )


def run_tef(ids: list[str], frame: pd.DataFrame) -> tuple[float, dict[str, object]]:
    from tef_harness.engine.registry import discover

    plugins = discover().by_id()
    ctx = make_context(frame)
    ctx.predictions()  # the run's shared prediction cache, filled before any check starts
    params = {
        "bias.group_fairness": {"n_boot": 200},
        "bias.subgroup_search": {"columns": ["income", "region"]},
        "bias.counterfactual_flip": {},
        "bias.data_representation": {"reference": {"sex": {"F": 0.5, "M": 0.5}}},
    }
    checks = [(plugins[i].cls(), plugins[i].cls.Params(**params[i])) for i in ids]
    t0 = time.perf_counter()
    outs = [check.run(ctx, p) for check, p in checks]
    elapsed = time.perf_counter() - t0
    return elapsed, {"metrics": sum(len(o.metrics) for o in outs), "findings": sum(len(o.findings) for o in outs)}


def run_fairlearn(frame: pd.DataFrame, n_boot: int) -> tuple[float, dict[str, object]]:
    from fairlearn.metrics import MetricFrame, false_positive_rate, selection_rate, true_positive_rate
    from sklearn.metrics import accuracy_score, precision_score

    ctx = make_context(frame)
    pred = ctx.predictions()
    fns = {
        "selection_rate": selection_rate,
        "tpr": true_positive_rate,
        "fpr": false_positive_rate,
        "ppv": lambda a, b: precision_score(a, b, zero_division=0),
        "accuracy": accuracy_score,
    }
    y = frame["y"].to_numpy()
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for cols in (["sex"], ["age_group"], ["sex", "age_group"]):
            mf = MetricFrame(
                metrics=fns,
                y_true=y,
                y_pred=pred,
                sensitive_features=frame[cols],
                n_boot=n_boot,
                ci_quantiles=[0.025, 0.975],
                random_state=0,
            )
            mf.difference()
            mf.by_group_ci  # noqa: B018 - the intervals fairlearn computed
    return time.perf_counter() - t0, {"n_boot": n_boot}


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def worker(tool: str, size: int, n_boot: int) -> None:
    frame = make_frame(size)
    if tool == FAIRLEARN:
        run_fairlearn(frame.iloc[:1000], 1)  # warm imports
    else:
        run_tef(CHECK_TOOLS[tool], frame.iloc[:1000].reset_index(drop=True))
    before = _rss_mb()
    if tool == FAIRLEARN:
        seconds, extra = run_fairlearn(frame, n_boot)
    else:
        seconds, extra = run_tef(CHECK_TOOLS[tool], frame)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": max(peak - before, 0.0), **extra}))


def cell(tool: str, size: int, n_boot: int = 200) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", tool, str(size), str(n_boot)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--fairlearn-max-size", type=int, default=10_000)
    parser.add_argument("--skip-fairlearn", action="store_true")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]), int(args.worker[2]))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"bias benchmark: 2 sensitive features (2 × 4 values + intersections), {os.cpu_count()} CPU(s); "
        "predictions cached before timing; peak = rise of peak RSS during the call"
    )
    print(
        f"fairlearn with n_boot=200 up to {args.fairlearn_max_size:,} rows; above that, 'est.' = "
        f"n_boot={ESTIMATE_BOOT} run × 201/{ESTIMATE_BOOT + 1}\n"
    )
    header = f"{'tool':<40}" + "".join(f"{f'{s:,} rows':>24}" for s in sizes)
    print(header)
    print("-" * len(header))
    results: dict[str, dict[int, dict[str, float]]] = {}
    for tool in [*CHECK_TOOLS, *([] if args.skip_fairlearn else [FAIRLEARN])]:
        row = f"{tool:<40}"
        for size in sizes:
            if tool == FAIRLEARN and size > args.fairlearn_max_size:
                r = cell(tool, size, ESTIMATE_BOOT)
                r["seconds"] *= 201 / (ESTIMATE_BOOT + 1)
                r["estimated"] = 1
            else:
                r = cell(tool, size)
            results.setdefault(tool, {})[size] = r
            mark = " est." if r.get("estimated") else ""
            row += f"{r['seconds']:>10.3f} s{mark:<4}{r['peak_mb']:>6.0f} MB"
        print(row, flush=True)
    if args.skip_fairlearn:
        return 0
    gf = results["tef bias.group_fairness"]
    print("\nspeed-up of bias.group_fairness over fairlearn on the same report:")
    for size in sizes:
        f = results[FAIRLEARN][size]
        print(
            f"  {size:>9,} rows: {f['seconds'] / gf[size]['seconds']:8.0f}×"
            + (" (fairlearn estimated)" if f.get("estimated") else "")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
