"""How long documentation.completeness takes to read a very large card.

Builds a synthetic Markdown card of N sections (headings at three levels, bold labels, lists,
tables, a code block every so often, the Hugging Face placeholders) and times, separately:
parsing (front matter + Markdown into sections) and assessing it against a profile.

Usage: python benchmarks/bench_card_parsing.py [--sections 30000] [--style mixed|plain]
       [--profile eu-ai-act-annex-iv] [--runs 1]
Target (issue 17): parse a 30,000-section card in under 2 s.
"""

from __future__ import annotations

import argparse
import statistics
import time

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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, default=30000)
    parser.add_argument("--profile", default="eu-ai-act-annex-iv")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--style", choices=("mixed", "plain"), default="mixed")
    args = parser.parse_args()
    text = synthetic_card(args.sections, args.style)
    doc = TextDocument(role="card", path="<synthetic>", sha256="", text=text)
    profile, _ = load_documentation_profile(args.profile)
    # wall time and this process's CPU time: on a shared machine the CPU time is what the
    # work costs, the wall time adds the wait for a core
    parse_s: list[tuple[float, float]] = []
    assess_s: list[tuple[float, float]] = []
    for _ in range(args.runs):
        w0, c0 = time.perf_counter(), time.process_time()
        parsed = parse_document(doc)
        w1, c1 = time.perf_counter(), time.process_time()
        assess(profile, [parsed])
        w2, c2 = time.perf_counter(), time.process_time()
        parse_s.append((w1 - w0, c1 - c0))
        assess_s.append((w2 - w1, c2 - c1))
    print(f"card: {args.sections} headings, {len(text) / 1e6:.1f} MB, {len(parsed.sections)} sections read")
    for name, runs in (("parse", parse_s), ("assess", assess_s)):
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(f"{name:<7} median wall {wall:.2f} s, cpu {cpu:.2f} s")
    total = statistics.median(p[0] + a[0] for p, a in zip(parse_s, assess_s, strict=True))
    print(f"total   median wall {total:.2f} s ({args.profile}, {len(profile.items)} items)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
