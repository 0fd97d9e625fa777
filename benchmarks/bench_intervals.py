"""Do the intervals contain their own estimates? The old methods next to the new ones, on the
inputs of issue 13 (item 6).

1. Calibration: a calibrated logistic regression, 4,000 evaluation rows, over seeds. Old: the
   percentile bootstrap of the plug-in binned ECE. New: the debiased calibration error of
   Kumar, Liang & Ma (2019) with its basic bootstrap interval (what performance.metrics reports).
2. Group disparities on data with none (labels, predictions and groups independent), over
   seeds. Old: the percentile row bootstrap of max - min of group selection rates. New: the
   simultaneous Wilson interval bias.group_fairness reports.

Usage: python benchmarks/bench_intervals.py [--seeds 10] [--boot 200]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from tef_harness.checks.bias.group_fairness import GroupFairness, GroupFairnessParams
from tef_harness.checks.performance.metrics import PerformanceMetrics, PerformanceParams, _weighted_ece
from tef_harness.testing import make_context


def calibration(seeds: int, n_boot: int) -> tuple[int, int]:
    old_out = new_out = 0
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        n = 12_000
        X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n), "sex": rng.choice(["F", "M"], n)})
        y = (rng.uniform(size=n) < 1 / (1 + np.exp(-(0.8 * X["a"] - 0.5 * X["b"])))).astype(int)
        est = LogisticRegression().fit(X[["a", "b"]].iloc[:8000], y[:8000])
        ctx = make_context(X.iloc[8000:].assign(y=y[8000:]).reset_index(drop=True), estimator=est, features=("a", "b"))
        by = {m.name: m for m in PerformanceMetrics().run(ctx, PerformanceParams(n_boot=n_boot)).metrics}
        ece = _weighted_ece(ctx.positive_scores(), ctx.y_binary().astype(float), 15)
        boot = np.random.default_rng(seed + 100)
        reps = [ece(np.bincount(boot.integers(0, 4000, 4000), minlength=4000).astype(float)) for _ in range(n_boot)]
        low, high = np.quantile(reps, [0.025, 0.975])
        old_out += not (low <= by["ece"].value <= high)
        ce = by["calibration_error"]
        new_out += ce.ci is None or not (ce.ci.low <= ce.value <= ce.ci.high)
    return old_out, new_out


def disparities(seeds: int, n_boot: int) -> tuple[int, int, int]:
    old_out = new_out = total = 0
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        n = 3000
        sex = rng.choice(["F", "M"], n)
        frame = pd.DataFrame(
            {"x": np.zeros(n), "sex": sex, "age_group": rng.choice(["a", "b", "c"], n), "y": rng.integers(0, 2, n)}
        )
        pred = rng.integers(0, 2, n)
        ctx = make_context(frame, estimator=_Fixed(pred), features=("x",))
        out = GroupFairness().run(ctx, GroupFairnessParams())
        by = {x.name: x for x in out.metrics}
        boot = np.random.default_rng(seed + 100)
        idx = boot.integers(0, n, size=(n_boot, n))
        for key, labels in (
            ("sex", frame["sex"]),
            ("age_group", frame["age_group"]),
            ("sex_x_age_group", frame["sex"] + "|" + frame["age_group"]),
        ):
            codes = pd.factorize(labels)[0]
            k = codes.max() + 1
            reps = []
            for i in idx:  # the old method: max - min of group selection rates per row resample
                c, p = codes[i], pred[i]
                rate = np.bincount(c, weights=p, minlength=k) / np.bincount(c, minlength=k)
                reps.append(rate.max() - rate.min())
            low, high = np.quantile(reps, [0.025, 0.975])
            old_out += not (low <= by[f"dp_difference/{key}"].value <= high)
        new_out += sum(1 for x in out.metrics if x.ci is None or not (x.ci.low <= x.value <= x.ci.high))
        total += len(out.metrics)
    return old_out, new_out, total


class _Fixed:
    """A classifier that returns fixed predictions, row for row."""

    classes_ = np.array([0, 1])

    def __init__(self, pred: np.ndarray) -> None:
        self.pred = pred

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.pred[: len(X)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--boot", type=int, default=200)
    args = ap.parse_args()
    t0 = time.perf_counter()
    old, new = calibration(args.seeds, args.boot)
    print(f"calibration, {args.seeds} seeds: interval excludes its estimate: old (percentile ECE) {old}, "
          f"new (debiased, basic bootstrap) {new}")
    old, new, total = disparities(2 * args.seeds, args.boot)
    print(f"no-disparity data, {2 * args.seeds} seeds: the old percentile bootstrap excluded dp_difference "
          f"in {old} of {6 * args.seeds} (3 groupings per seed); the new simultaneous intervals exclude their "
          f"estimate in {new} of {total} disparity metrics")
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
