"""How long documentation.completeness takes to read a very large card.

Builds a synthetic Markdown card of N sections (headings at three levels, bold labels, lists,
tables, a code block every so often, the Hugging Face placeholders) and times, separately:
parsing (front matter + Markdown into sections) and assessing it against a profile.

Usage: python benchmarks/bench_card_parsing.py [--sections 30000] [--style mixed|plain]
       [--profile eu-ai-act-annex-iv] [--runs 1] [--baseline GIT-REV]
Target (issue 17): parse a 30,000-section card in under 2 s.

With --baseline, the same card is also read by the package as it was at GIT-REV (exported with
``git archive`` into a temporary folder), in the same run: each run times the baseline and this
tree one after the other, each in a fresh process, so both see the same machine load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

from tef_harness.api import TextDocument
from tef_harness.checks.documentation.assess import assess
from tef_harness.checks.documentation.parsing import parse_document
from tef_harness.checks.documentation.profiles import load_documentation_profile

_TOPICS = (
    "Intended Use", "Training Data", "Evaluation Results", "Limitations", "Hardware", "Risk management",
    "Post-market monitoring", "Human oversight", "Cybersecurity", "Metrics", "Factors", "Citation",
)


def synthetic_card(sections: int, style: str = "mixed") -> str:
    """A card of ``sections`` headings. ``mixed``: each body is a few lines of labels, tables,
    placeholders, code or prose; ``plain``: one sentence each."""
    parts = ["---", "license: mit", "library_name: sklearn", "---", "", "# A very large model card", ""]
    if style == "plain":
        for i in range(sections):
            topic = _TOPICS[i % len(_TOPICS)]
            parts += [f"## {i}. {topic} part {i}", "", f"Section {i} says what the model does in plain words.", ""]
        return "\n".join(parts)
    for i in range(sections):
        level = 2 + i % 3
        topic = _TOPICS[i % len(_TOPICS)]
        parts.append(f"{'#' * level} {i}. {topic} part {i}")
        parts.append("")
        kind = i % 6
        if kind == 0:
            parts += [f"- **Developed by:** team {i}", f"- **Version** {i}.0", ""]
        elif kind == 1:
            parts += ["| Metric | Value |", "|---|---|", f"| accuracy | 0.{i % 100:02d} |", ""]
        elif kind == 2:
            parts += ["[More Information Needed]", ""]
        elif kind == 3:
            parts += ["```text", f"log line {i}", "```", ""]
        else:
            parts += [f"Section {i} says what the model does in plain words, line one.", "And line two.", ""]
    return "\n".join(parts)


def time_once(text: str, profile_name: str) -> dict[str, float]:
    """Wall and CPU seconds of parsing ``text`` and of assessing it, in this process."""
    doc = TextDocument(role="card", path="<synthetic>", sha256="", text=text)
    profile, _ = load_documentation_profile(profile_name)
    # wall time and this process's CPU time: on a shared machine the CPU time is what the
    # work costs, the wall time adds the wait for a core
    w0, c0 = time.perf_counter(), time.process_time()
    parsed = parse_document(doc)
    w1, c1 = time.perf_counter(), time.process_time()
    assess(profile, [parsed])
    w2, c2 = time.perf_counter(), time.process_time()
    return {
        "parse_wall": w1 - w0, "parse_cpu": c1 - c0, "assess_wall": w2 - w1, "assess_cpu": c2 - c1,
        "sections": float(len(parsed.sections)),
    }


def export_revision(rev: str, into: Path) -> None:
    """The package ``tef_harness`` as it was at git revision ``rev``, under ``into``."""
    root = Path(__file__).resolve().parents[1]
    data = subprocess.run(
        ["git", "-C", str(root), "archive", "--format=tar", rev, "tef_harness"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")


def time_in_process(card: Path, profile_name: str, package_root: Path | None) -> dict[str, float]:
    """One timing in a fresh interpreter, importing tef_harness from ``package_root`` (the
    baseline export) or, when None, from this tree."""
    env = dict(os.environ)
    here = str(Path(__file__).resolve().parent)
    root = str(package_root) if package_root is not None else str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join([root, here])
    out = subprocess.run(
        [sys.executable, __file__, "--worker", str(card), "--profile", profile_name],
        check=True, capture_output=True, text=True, env=env,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, default=30000)
    parser.add_argument("--profile", default="eu-ai-act-annex-iv")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--style", choices=("mixed", "plain"), default="mixed")
    parser.add_argument("--baseline", metavar="GIT-REV", help="also time the package as it was at this revision")
    parser.add_argument("--worker", metavar="CARD", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(time_once(Path(args.worker).read_text("utf-8"), args.profile)))
        return 0
    text = synthetic_card(args.sections, args.style)
    n_items = len(load_documentation_profile(args.profile)[0].items)
    print(f"card: {args.sections} headings ({args.style}), {len(text) / 1e6:.1f} MB; {args.profile} ({n_items} items); "
          f"median of {args.runs} run(s), CPU seconds of the process (wall in brackets)")
    with tempfile.TemporaryDirectory() as tmp:
        card = Path(tmp) / "card.md"
        card.write_text(text, "utf-8")
        trees: list[tuple[str, Path | None]] = []
        if args.baseline:
            base = Path(tmp) / "baseline"
            export_revision(args.baseline, base)
            trees.append((f"baseline {args.baseline}", base))
        trees.append(("this tree", None))
        runs: dict[str, list[dict[str, float]]] = {name: [] for name, _ in trees}
        for _ in range(args.runs):
            for name, root in trees:  # interleaved, so both see the same load
                runs[name].append(time_in_process(card, args.profile, root))
    print(f"{'':<22}{'sections':>9}{'parse':>16}{'assess':>16}{'total':>16}")
    for name, rs in runs.items():
        cells = []
        for part in ("parse", "assess"):
            cells.append(f"{_median(rs, part + '_cpu'):6.2f} s ({_median(rs, part + '_wall'):5.2f})")
        total_cpu = statistics.median(r["parse_cpu"] + r["assess_cpu"] for r in rs)
        total_wall = statistics.median(r["parse_wall"] + r["assess_wall"] for r in rs)
        cells.append(f"{total_cpu:6.2f} s ({total_wall:5.2f})")
        print(f"{name:<22}{int(rs[0]['sections']):>9}" + "".join(f"{c:>16}" for c in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
