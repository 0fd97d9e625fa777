"""How long `tef --help` takes, next to a bare Python start-up and an eager import of the
heavy stack (what the CLI would cost without lazy imports).

Usage: python benchmarks/bench_cli_startup.py [--runs 15]
Target (issue 2): `tef --help` median under 0.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

TEF = str(Path(sys.executable).with_name("tef"))
CASES = {
    "python -c pass (floor)": [sys.executable, "-c", "pass"],
    "tef --help": [TEF, "--help"],
    "tef list-checks --format json": [TEF, "list-checks", "--format", "json"],
    "eager import of sklearn+skops+onnxruntime+mlflow+presidio (what lazy imports avoid)": [
        sys.executable, "-c", "import sklearn, skops.io, onnxruntime, mlflow, presidio_analyzer",
    ],
}


def time_command(cmd: list[str], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        samples.append(time.perf_counter() - t0)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(f"{'command':<90} {'median s':>9} {'min s':>7} {'max s':>7}")
    medians = {}
    for name, cmd in CASES.items():
        runs = args.runs if "eager" not in name else max(3, args.runs // 5)
        s = time_command(cmd, runs)
        medians[name] = statistics.median(s)
        print(f"{name:<90} {medians[name]:9.3f} {min(s):7.3f} {max(s):7.3f}")
    ok = medians["tef --help"] < 0.5
    print(f"tef --help median {medians['tef --help']:.3f} s: {'within' if ok else 'OVER'} the 0.5 s target")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
