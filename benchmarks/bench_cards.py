"""Agreement of documentation.completeness with a careful human reading of real model cards.

Given a folder of cards and a file of hand labels (card id -> profile -> item id ->
"<state> | <note>"), runs the parser and the assessor on every labelled card and prints, per
profile and per card style:

- item agreement: share of items whose state (missing / placeholder / present /
  not_applicable) equals the label;
- precision and recall of "documented" (present, or a justified not_applicable): of the items the
  check calls documented, how many a reader also finds (precision); of the items a reader finds,
  how many the check finds (recall);
- false alarms: items the reader finds documented that the check calls missing or placeholder.

Usage:
    python benchmarks/bench_cards.py --cards /work/cards-corpus/heldout \\
        --labels benchmarks/cards/labels_heldout.yaml [--sources benchmarks/cards/sources.yaml] \\
        [--show-disagreements] [--json out.json] [--write-labels check.yaml]
    python benchmarks/bench_cards.py --compare-labels A.yaml B.yaml [--show-disagreements]

--write-labels writes the check's states as a label file (note: where the check found the item), so
that label_agreement.py can compare the check with a reader the way it compares two readers.
--compare-labels compares two label files with each other (inter-reader agreement, Cohen's kappa;
see label_agreement.py) without reading any card.

Without --cards the corpus_root of the manifest is used (its dev/ or heldout/ folder, after the
labels file's name); when there is no corpus the script says how to get one and exits 0.

A card ``<id>`` is the file ``<id>.md`` (or .markdown/.yaml/.yml/.json) anywhere under --cards.
Styles come from --sources (``style`` per card id); without it every card is style "-".
A card the parser rejects (an input error) counts every item as a disagreement, so a crash is
never scored as agreement.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from tef_harness.api import TefError
from tef_harness.checks.documentation.assess import assess
from tef_harness.checks.documentation.parsing import ParsedDocument, parse_document
from tef_harness.checks.documentation.profiles import DocumentationProfile, load_documentation_profile
from tef_harness.intake.documents import read_document

STATES = ("missing", "placeholder", "present", "not_applicable")
SUFFIXES = (".md", ".markdown", ".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Row:
    card: str
    style: str
    profile: str
    item: str
    label: str
    got: str
    note: str
    where: str


def documented(state: str) -> bool:
    return state in ("present", "not_applicable")


def find_card(root: Path, card_id: str) -> Path | None:
    for suffix in SUFFIXES:
        hits = sorted(root.rglob(card_id + suffix))
        if hits:
            return hits[0]
    return None


def load_labels(path: Path) -> dict[str, dict[str, dict[str, tuple[str, str]]]]:
    data = yaml.safe_load(path.read_text("utf-8"))
    out: dict[str, dict[str, dict[str, tuple[str, str]]]] = {}
    for card, profiles in (data.get("cards") or {}).items():
        for profile, items in profiles.items():
            for item, value in items.items():
                state, _, note = str(value).partition("|")
                state = state.strip()
                if state not in STATES:
                    raise SystemExit(f"{path}: {card}/{profile}/{item}: unknown state {state!r}")
                out.setdefault(card, {}).setdefault(profile, {})[item] = (state, note.strip())
    return out


def load_styles(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    data = yaml.safe_load(path.read_text("utf-8"))
    return {str(c["id"]): str(c.get("style", "-")) for c in data.get("cards", [])}


def score(rows: list[Row]) -> dict[str, float | int]:
    n = len(rows)
    agree = sum(r.label == r.got for r in rows)
    tp = sum(documented(r.label) and documented(r.got) for r in rows)
    predicted = sum(documented(r.got) for r in rows)
    actual = sum(documented(r.label) for r in rows)
    false_alarms = sum(documented(r.label) and not documented(r.got) for r in rows)
    return {
        "items": n,
        "agreement": agree / n if n else float("nan"),
        "precision": tp / predicted if predicted else float("nan"),
        "recall": tp / actual if actual else float("nan"),
        "false_alarms": false_alarms,
    }


def run(cards: Path, labels_path: Path, sources: Path | None) -> tuple[list[Row], dict[str, str], float]:
    labels = load_labels(labels_path)
    styles = load_styles(sources)
    profiles: dict[str, DocumentationProfile] = {}
    rows: list[Row] = []
    errors: dict[str, str] = {}
    parse_seconds = 0.0
    for card_id, by_profile in labels.items():
        path = find_card(cards, card_id)
        style = styles.get(card_id, "-")
        doc: ParsedDocument | None = None
        if path is None:
            errors[card_id] = "card file not found"
        else:
            try:
                t0 = time.perf_counter()
                doc = parse_document(read_document(path, role="card", field="card"))
                parse_seconds += time.perf_counter() - t0
            except TefError as exc:
                errors[card_id] = str(exc)
        for profile_name, items in by_profile.items():
            if profile_name not in profiles:
                profiles[profile_name] = load_documentation_profile(profile_name)[0]
            got: dict[str, tuple[str, str]] = {}
            if doc is not None:
                for a in assess(profiles[profile_name], [doc]):
                    got[a.item.id] = (a.state.value, a.location or "")
            for item, (label, note) in items.items():
                state, where = got.get(item, ("error", errors.get(card_id, "item not in profile")))
                rows.append(Row(card_id, style, profile_name, item, label, state, note, where))
    return rows, errors, parse_seconds


def check_labels(rows: list[Row]) -> dict[str, object]:
    """The check's states as a label file (same format as the hand labels; note = where found)."""
    cards: dict[str, dict[str, dict[str, str]]] = {}
    for r in rows:
        cards.setdefault(r.card, {}).setdefault(r.profile, {})[r.item] = f"{r.got} | {r.where}"
    return {"version": 1, "cards": cards}


def _fmt(s: dict[str, float | int]) -> str:
    return (
        f"{s['items']:>5}  {s['agreement']:>9.1%}  {s['precision']:>9.1%}  {s['recall']:>7.1%}"
        f"  {s['false_alarms']:>12}"
    )


def report(rows: list[Row], errors: dict[str, str], parse_seconds: float, show: bool) -> dict[str, object]:
    header = f"{'':<34}{'items':>5}  {'agreement':>9}  {'precision':>9}  {'recall':>7}  {'false alarms':>12}"
    out: dict[str, object] = {"overall": score(rows), "by_profile": {}, "by_style": {}, "by_card": {}}
    print(header)
    print(f"{'ALL':<34}{_fmt(score(rows))}")
    for key, title in (("profile", "by_profile"), ("style", "by_style"), ("card", "by_card")):
        groups: dict[str, list[Row]] = defaultdict(list)
        for r in rows:
            groups[getattr(r, key)].append(r)
        print(f"-- per {key}")
        table: dict[str, object] = {}
        for name in sorted(groups):
            s = score(groups[name])
            table[name] = s
            print(f"  {name[:32]:<32}{_fmt(s)}")
        out[title] = table
    by_pair: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in rows:
        by_pair[(r.profile, r.style)].append(r)
    print("-- per profile and style")
    pairs: dict[str, object] = {}
    for (profile, style), group in sorted(by_pair.items()):
        pairs[f"{profile}/{style}"] = score(group)
        print(f"  {(profile + ' / ' + style)[:32]:<32}{_fmt(score(group))}")
    out["by_profile_and_style"] = pairs
    for card, message in errors.items():
        print(f"!! {card}: {message}")
    print(f"parse time over all cards: {parse_seconds:.3f} s")
    if show:
        print("-- disagreements (label -> check)")
        for r in rows:
            if r.label != r.got:
                print(f"  {r.card} {r.profile} {r.item}: {r.label} -> {r.got}  [reader: {r.note}] [check: {r.where}]")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = Path(__file__).parent / "cards"
    parser.add_argument("--cards", type=Path, default=None, help="folder holding <card id>.md files")
    parser.add_argument("--labels", type=Path, default=here / "labels_heldout.yaml", help="YAML hand labels")
    parser.add_argument(
        "--sources", type=Path, default=here / "sources.yaml", help="manifest with a style per card id"
    )
    parser.add_argument("--show-disagreements", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="also write the scores as JSON")
    parser.add_argument("--write-labels", type=Path, default=None, help="write the check's states as a label file")
    parser.add_argument(
        "--compare-labels",
        nargs=2,
        type=Path,
        default=None,
        metavar=("A", "B"),
        help="compare two label files (inter-reader agreement) instead of running the check",
    )
    args = parser.parse_args(argv)
    if args.compare_labels is not None:
        from label_agreement import main as compare_main

        extra = ["--show-disagreements"] if args.show_disagreements else []
        return compare_main([str(p) for p in args.compare_labels] + extra)
    if args.cards is None and args.sources is not None and args.sources.is_file():
        root = yaml.safe_load(args.sources.read_text("utf-8")).get("corpus_root")
        split = "dev" if "dev" in args.labels.name else "heldout"
        args.cards = Path(str(root)) / split if root else None
    if args.cards is None or not args.cards.is_dir():
        # the cards are third-party text and are not in the repository (make bench runs this)
        print(f"no card corpus at {args.cards}; rebuild it from {args.sources} (see its header), then pass --cards")
        return 0
    rows, errors, parse_seconds = run(args.cards, args.labels, args.sources)
    if not rows:
        print("no labelled items", file=sys.stderr)
        return 2
    out = report(rows, errors, parse_seconds, args.show_disagreements)
    if args.json is not None:
        args.json.write_text(json.dumps(out, indent=2), "utf-8")
    if args.write_labels is not None:
        args.write_labels.write_text(yaml.safe_dump(check_labels(rows), sort_keys=False, allow_unicode=True), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
