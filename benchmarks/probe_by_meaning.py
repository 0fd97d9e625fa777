"""Would finding items "by meaning" help? A probe, not part of the check (issue 17, fifth round).

For every item the check calls missing with no place at all, it scores each section of the card
(heading and own text) against the item's own description in the profile (title, hint, headings
and literal key phrases) by cosine similarity of TF-IDF vectors (scikit-learn's
``TfidfVectorizer``, sublinear term frequency, fitted on the card's sections and the profile's
item descriptions). Reading an item as present when its best score reaches a threshold t would
change agreement on a split by (items a reader labels present) - (items a reader labels
missing) among those items; placeholder and not-applicable labels stay wrong either way.

It prints that net change per split for each threshold, and the leave-one-split-out choice: the
threshold that does best on the other splits, applied to the held-out one. ``--own-section``
scores only sections whose best-matching item is this one.

    python benchmarks/probe_by_meaning.py --corpus <root> --labels-dir benchmarks/cards \
        --splits dev heldout heldout2 heldout3 heldout4 heldout5 [--own-section]
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import numpy as np
from bench_cards import find_card, load_labels
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from tef_harness.checks.documentation.assess import assess
from tef_harness.checks.documentation.parsing import parse_document
from tef_harness.checks.documentation.profiles import DocumentationProfile, load_documentation_profile
from tef_harness.intake.documents import read_document

#: (split, label of the item, best similarity)
Scored = tuple[str, str, float]


def describe(profile: DocumentationProfile) -> list[str]:
    return [
        " ".join([it.title, it.hint, *it.headings, *(p.rstrip("*") for p in it.phrases if not p.startswith("re:"))])
        for it in profile.items
    ]


def scores(corpus: Path, labels_dir: Path, split: str, own_section: bool) -> list[Scored]:
    out: list[Scored] = []
    profiles: dict[str, DocumentationProfile] = {}
    for card, by_profile in load_labels(labels_dir / f"labels_{split}.yaml").items():
        path = find_card(corpus / split, card)
        if path is None:
            continue
        doc = parse_document(read_document(path, role="card", field="card"))
        sections = [s for s in doc.sections if s.kind == "heading" and s.own.strip()]
        if not sections:
            continue
        texts = [s.heading + "\n" + s.own for s in sections]
        for name, labels in by_profile.items():
            profile = profiles.get(name) or profiles.setdefault(name, load_documentation_profile(name)[0])
            got = {a.item.id: a for a in assess(profile, [doc])}
            queries = describe(profile)
            vectorizer = TfidfVectorizer(sublinear_tf=True).fit(texts + queries)
            sim = cosine_similarity(vectorizer.transform(queries), vectorizer.transform(texts))
            best_item = sim.argmax(axis=0)
            for k, item in enumerate(profile.items):
                a = got[item.id]
                if item.id not in labels or a.state.value != "missing" or a.location is not None:
                    continue
                row = sim[k] if not own_section else np.where(best_item == k, sim[k], 0.0)
                out.append((split, labels[item.id][0], float(row.max())))
    return out


def net(rows: list[Scored], t: float) -> int:
    return sum((label == "present") - (label == "missing") for _, label, s in rows if s >= t)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--labels-dir", type=Path, default=Path(__file__).parent / "cards")
    ap.add_argument("--splits", nargs="+", required=True)
    ap.add_argument("--own-section", action="store_true")
    args = ap.parse_args()
    by: dict[str, list[Scored]] = defaultdict(list)
    for split in args.splits:
        by[split] = scores(args.corpus, args.labels_dir, split, args.own_section)
    every = [r for rs in by.values() for r in rs]
    thresholds = [round(0.05 + 0.02 * i, 2) for i in range(38)]
    print("items called missing with no place, per split:", {s: len(by[s]) for s in args.splits})
    print("threshold  " + "  ".join(f"{s:>9}" for s in args.splits) + "      all")
    for t in thresholds:
        print(f"{t:9.2f}  " + "  ".join(f"{net(by[s], t):+9d}" for s in args.splits) + f"  {net(every, t):+7d}")
    print("leave one split out (threshold chosen on the others; ties go to the higher threshold):")
    for s in args.splits:
        others = [r for r in every if r[0] != s]
        t = max(thresholds, key=lambda t: (net(others, t), t))
        print(f"  {s}: threshold {t:.2f}, net change on {s} {net(by[s], t):+d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
