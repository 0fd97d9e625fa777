"""What MLflow tracking adds to an audit: the demo audit with tracking on an existing sqlite store,
on the first run in a fresh folder (the store is copied from the migrated template in the cache
folder), on the first run in a fresh folder of a machine that has no template yet (the template
is built: MLflow's migrations run on an in-memory database, then written to the cache folder),
and with --no-tracking, side by side; plus `tef --help` start-up and the machine's load.

To time older code under the same load, run it with that code first on the path:
`git archive <commit> tef_harness | tar -x -C /tmp/old && PYTHONPATH=/tmp/old python benchmarks/bench_tracking.py`.

Three figures per case: the wall time of the whole `tef check`, its CPU time (user + system,
the tef process and its children: what tracking costs whatever else runs on the machine), and
the time `tef check` itself reports for the tracking step ("MLflow run … (x.xx s)": from the report being written to the
run being FINISHED, including any wait for the store opened in the background (a worker process) while the checks
ran). On a shared machine the wall-time difference is noisy; the step time is not.

Usage: python benchmarks/bench_tracking.py [--runs 3] [--checks performance.metrics,...|all]
Needs the demo (`make demo` or `python examples/credit/build_demo.py`).
Targets (issue 18): tracking adds <= 1.5 s on an existing store, <= 3 s on a fresh folder;
`tef --help` < 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "credit"
TEF = str(Path(sys.executable).with_name("tef"))
STEP = re.compile(r"MLflow run \w+ in experiment .* \((\d+\.\d+) s\)")


def demo_config(folder: Path) -> Path:
    """The demo's tef.toml with absolute input paths, so it runs from any folder."""
    text = (DEMO / "tef.toml").read_text()
    text = text.replace('"generated/', f'"{DEMO / "generated"}/')
    text = text.replace('"MODEL_CARD.md"', f'"{DEMO / "MODEL_CARD.md"}"')
    path = folder / "tef.toml"
    path.write_text(text)
    return path


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def audit(folder: Path, checks: str, *extra: str, cache: Path) -> tuple[float, float | None, float]:
    args = [TEF, "check", "--no-third-party", *extra]
    if checks != "all":
        args += ["--only", checks]
    env = {k: v for k, v in os.environ.items() if k not in ("TEF_NO_TRACKING", "MLFLOW_TRACKING_URI")}
    env["XDG_CACHE_HOME"] = str(cache)  # where the migrated store template is kept (older code)
    env["TEF_CACHE_DIR"] = str(cache / "tef-harness")  # ... and where this code reads it first
    cpu0, t0 = _children_cpu(), time.perf_counter()
    proc = subprocess.run(args, cwd=folder, capture_output=True, text=True, env=env, check=False)
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"tef check failed ({proc.returncode}): {proc.stderr[-2000:]}")
    m = STEP.search(proc.stderr)
    return wall, float(m.group(1)) if m else None, cpu


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--checks", default="performance.metrics,documentation.completeness,bias.group_fairness")
    args = parser.parse_args()
    if not (DEMO / "generated" / "model.skops").is_file():
        raise SystemExit("build the demo first: python examples/credit/build_demo.py")

    load0 = os.getloadavg()
    helps = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([TEF, "--help"], capture_output=True, check=True)
        helps.append(time.perf_counter() - t0)

    rows: dict[str, list[tuple[float, float | None, float]]] = {
        "no tracking": [],
        "existing store": [],
        "fresh folder": [],
        "fresh, no cache": [],
    }
    with tempfile.TemporaryDirectory(prefix="tef-bench-") as tmp:
        existing = Path(tmp) / "existing"
        existing.mkdir()
        demo_config(existing)
        cache = Path(tmp) / "cache"
        audit(existing, args.checks, cache=cache)  # creates the store (and the template): later runs find them
        for i in range(args.runs):
            # interleaved, so a load spike on the shared machine hits every case alike
            rows["no tracking"].append(audit(existing, args.checks, "--no-tracking", cache=cache))
            rows["existing store"].append(audit(existing, args.checks, cache=cache))
            for case, folder_cache in (("fresh folder", cache), ("fresh, no cache", Path(tmp) / f"cache{i}")):
                fresh = Path(tmp) / f"fresh{i}-{'warm' if folder_cache == cache else 'cold'}"
                fresh.mkdir()
                demo_config(fresh)
                rows[case].append(audit(fresh, args.checks, cache=folder_cache))

    base = statistics.median(w for w, _, _ in rows["no tracking"])
    base_cpu = statistics.median(c for _, _, c in rows["no tracking"])
    print(f"checks: {args.checks}; {args.runs} runs each, medians")
    print(f"load average (1, 5, 15 min) before {load0}, after {os.getloadavg()}")
    print(
        f"{'case':<16} {'wall s':>7} {'+wall':>6} {'cpu s':>6} {'+cpu':>6} {'tracking step s':>16}  steps (all runs)"
    )
    verdicts = []
    for name, samples in rows.items():
        wall = statistics.median(w for w, _, _ in samples)
        cpu = statistics.median(c for _, _, c in samples)
        steps = [s for _, s, _ in samples if s is not None]
        step = statistics.median(steps) if steps else None
        added = f"{wall - base:+.2f}" if name != "no tracking" else "-"
        added_cpu = f"{cpu - base_cpu:+.2f}" if name != "no tracking" else "-"
        step_text = f"{step:.2f}" if step is not None else "-"
        print(
            f"{name:<16} {wall:7.2f} {added:>6} {cpu:6.2f} {added_cpu:>6} {step_text:>16}  "
            f"{', '.join(f'{s:.2f}' for s in steps)}"
        )
        if step is not None:
            target = 1.5 if name == "existing store" else 3.0
            verdicts.append(f"{name}: step {step:.2f} s vs target {target} s: {'within' if step <= target else 'OVER'}")
    print(f"tef --help median {statistics.median(helps):.3f} s (target < 0.5 s)")
    for v in verdicts:
        print(v)
    return 0


if __name__ == "__main__":
    sys.exit(main())
