"""Mutation score per module from mutmut's results (``make mutate``).

The modules are the ``only_mutate`` list of ``[tool.mutmut]`` in pyproject.toml (the one
place they are listed); the results are mutmut's per-file ``mutants/<path>.meta``. The
score is killed / (mutants checked), where killed counts a failing test, a timeout and a
pytest internal error; a mutant no selected test reaches counts as surviving.

Usage: ``python tools/mutation_scores.py [--functions] [--survivors] [--sample N] [--names WHICH]``
  --functions  a line per function as well (e.g. ``mask`` within results.py)
  --survivors  list the surviving mutants by name (``mutmut show NAME`` prints the diff)
  --sample N   score a seeded random sample of N mutants per module (all of a smaller
               module) instead of every mutant; the same sample for the same code, so a
               before/after comparison is paired. The score then carries a 95% Wilson interval.
  --names W    print mutant names (of the sample, if given) and exit: W is ``all``,
               ``unchecked`` (not run yet) or ``unkilled`` (not run, survived or timed
               out); for ``mutmut run NAMES``
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# mutmut's exit-code meanings (mutmut.stats.status_by_exit_code, 3.x)
TIMEOUT_CODES = {36, -24, 24, 152, 255}
KILLED_CODES = {1, 3, 37} | TIMEOUT_CODES
SURVIVED_CODES = {0, 5, 33}  # survived, or no test reached the mutant
NOT_RUN_CODES = {None, 2, 34}  # not checked yet, interrupted, skipped


def modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["mutmut"]["only_mutate"])


def function_of(mutant: str) -> str:
    """``tef_harness.results.x_mask__mutmut_3`` -> ``mask``; a method ``xǁClassǁname`` -> ``Class.name``."""
    name = mutant.rsplit(".", 1)[-1]
    name = re.sub(r"__mutmut_\d+$", "", name)
    if name.startswith("xǁ"):
        return ".".join(p for p in name[2:].split("ǁ") if p)
    return name.removeprefix("x_")


def tally(codes: list[int | None]) -> Counter[str]:
    c: Counter[str] = Counter()
    for code in codes:
        if code in KILLED_CODES:
            c["killed"] += 1
            c["timeout"] += code in TIMEOUT_CODES
        elif code in SURVIVED_CODES:
            c["survived"] += 1
        elif code in NOT_RUN_CODES:
            c["not_run"] += 1
        else:
            c["suspicious"] += 1
    return c


def wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    p = k / n
    centre, half = p + z * z / (2 * n), z * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5
    return max(0.0, (centre - half) / (1 + z * z / n)), min(1.0, (centre + half) / (1 + z * z / n))


def line(label: str, c: Counter[str], interval: bool = False) -> str:
    checked = c["killed"] + c["survived"] + c["suspicious"]
    score = f"{100 * c['killed'] / checked:5.1f}%" if checked else "   n/a"
    if interval and checked:
        lo, hi = wilson(c["killed"], checked)
        score += f" [{100 * lo:4.1f}, {100 * hi:5.1f}]"
    extra = f", {c['not_run']} not run" if c["not_run"] else ""
    extra += f", {c['suspicious']} suspicious" if c["suspicious"] else ""
    extra += f" ({c['timeout']} of the killed by timeout)" if c["timeout"] else ""
    return f"{score}  {c['killed']:4d} killed / {checked:4d} checked  {label}{extra}"


def sample(path: str, names: list[str], k: int | None) -> list[str]:
    """A seeded sample of a module's mutant names (all when ``k`` is None or the module is small)."""
    ordered = sorted(names)
    if k is None or len(ordered) <= k:
        return ordered
    return sorted(random.Random(f"tef-mutation:{path}").sample(ordered, k))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", action="store_true")
    parser.add_argument("--survivors", action="store_true")
    parser.add_argument("--sample", type=int, default=None)
    parser.add_argument("--names", choices=("all", "unchecked", "unkilled"), default=None)
    args = parser.parse_args()
    total: Counter[str] = Counter()
    survivors: list[str] = []
    for path in modules():
        meta = ROOT / "mutants" / (path + ".meta")
        if not meta.is_file():
            print(f"   n/a  (no results yet)  {path}")
            continue
        all_codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        codes = {name: all_codes[name] for name in sample(path, list(all_codes), args.sample)}
        if args.names:
            wanted = NOT_RUN_CODES if args.names == "unchecked" else NOT_RUN_CODES | SURVIVED_CODES | TIMEOUT_CODES
            print("\n".join(name for name, code in codes.items() if args.names == "all" or code in wanted))
            continue
        c = tally(list(codes.values()))
        total += c
        label = path + (f" (sample of {len(codes)} of {len(all_codes)})" if len(codes) < len(all_codes) else "")
        print(line(label, c, interval=args.sample is not None))
        if args.functions:
            by_fn: dict[str, list[int | None]] = defaultdict(list)
            for name, code in codes.items():
                by_fn[function_of(name)].append(code)
            for fn in sorted(by_fn):
                print("    " + line(fn, tally(by_fn[fn])))
        survivors += [name for name, code in sorted(codes.items()) if code in SURVIVED_CODES]
    if args.names:
        return 0
    print(line("all modules", total))
    if args.survivors and survivors:
        print("\nsurvivors (`mutmut show NAME` prints the diff):")
        print("\n".join("  " + s for s in survivors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
