"""Agreement between two files of hand labels of the same cards (inter-annotator agreement).

Two careful readers of the same cards do not label every item alike; how far they agree is the
ceiling any checker can be expected to reach against one of them. Given two label files in the
format of ``benchmarks/cards/labels_*.yaml`` (card id -> profile -> item id -> "<state> | <note>"),
prints per profile and overall, over the items both files label:

- items compared;
- raw agreement: share of items with the same state (missing / placeholder / present /
  not_applicable);
- Cohen's kappa over the four states: agreement corrected for the agreement expected by chance
  from each file's own state frequencies, (p_o - p_e) / (1 - p_e) (Cohen 1960, "A coefficient of
  agreement for nominal scales"), computed by ``sklearn.metrics.cohen_kappa_score``;
- agreement (and kappa) on documented-vs-not: present or not_applicable against missing or
  placeholder, the distinction a conformity verdict rests on;
- a confusion table of states, rows the first file, columns the second.

Kappa is undefined (printed "n/a", JSON null) when chance agreement is 1, i.e. both files use one
and the same state for every item of the group.

Usage:
    python benchmarks/label_agreement.py A.yaml B.yaml [--names reader1 reader2]
        [--by-card] [--show-disagreements] [--json out.json] [--write-agreed agreed.yaml]

``--by-card`` adds the same figures per card (all its profiles together).

``--write-agreed`` writes the items on which both files agree (A's note kept) as a label file of
the same format: an adjudicated subset on which a checker can be scored with bench_cards.py.
Items labelled in only one file are counted and listed, never compared. A file that is not a
label file is a one-line error naming the file and the field; exit 2, nothing written.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml
from sklearn.metrics import cohen_kappa_score

STATES = ("present", "not_applicable", "placeholder", "missing")
DOCUMENTED = ("present", "not_applicable")

# (card, profile, item) -> (state, note)
Labels = dict[tuple[str, str, str], tuple[str, str]]


class LabelFileError(Exception):
    """A label file that cannot be read; the message names the file and the field."""


@dataclass(frozen=True)
class Pair:
    card: str
    profile: str
    item: str
    state_a: str
    state_b: str
    note_a: str
    note_b: str


@dataclass(frozen=True)
class Agreement:
    """Agreement of two readings over one group of items.

    ``confusion[a][b]`` counts items the first file labels ``a`` and the second ``b``; kappas are
    ``nan`` where undefined (chance agreement of 1).
    """

    items: int
    raw: float
    kappa: float
    documented_raw: float
    documented_kappa: float
    confusion: dict[str, dict[str, int]]

    def as_json(self) -> dict[str, object]:
        def num(x: float) -> float | None:
            return None if math.isnan(x) else x

        return {
            "items": self.items,
            "raw_agreement": num(self.raw),
            "kappa": num(self.kappa),
            "documented_agreement": num(self.documented_raw),
            "documented_kappa": num(self.documented_kappa),
            "confusion": self.confusion,
        }


def load_labels(path: Path) -> Labels:
    """Read a label file into ``(card, profile, item) -> (state, note)``.

    Raises LabelFileError (naming the file and the field) when the file is unreadable, is not
    YAML, has no ``cards`` mapping, or an item's state is not one of ``STATES``.
    """
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LabelFileError(f"{path}: cannot read label file: {type(exc).__name__}") from None
    cards = data.get("cards") if isinstance(data, dict) else None
    if not isinstance(cards, dict):
        raise LabelFileError(f"{path}: cards: expected a mapping of card id -> profile -> item -> label")
    out: Labels = {}
    for card, profiles in cards.items():
        if not isinstance(profiles, dict):
            raise LabelFileError(f"{path}: cards.{card}: expected a mapping of profile -> item -> label")
        for profile, items in profiles.items():
            if not isinstance(items, dict):
                raise LabelFileError(f"{path}: cards.{card}.{profile}: expected a mapping of item -> label")
            for item, value in items.items():
                state, _, note = str(value).partition("|")
                state = state.strip()
                if state not in STATES:
                    raise LabelFileError(
                        f"{path}: cards.{card}.{profile}.{item}: unknown state {state!r} (expected one of {STATES})"
                    )
                out[(str(card), str(profile), str(item))] = (state, note.strip())
    return out


def pair_labels(a: Labels, b: Labels) -> tuple[list[Pair], list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """The items both files label (in A's order), then the keys only in A, then only in B."""
    pairs = [Pair(*key, a[key][0], b[key][0], a[key][1], b[key][1]) for key in a if key in b]
    return pairs, [k for k in a if k not in b], [k for k in b if k not in a]


def _kappa(x: list[str], y: list[str], labels: list[str]) -> float:
    counts_x, counts_y = Counter(x), Counter(y)
    # chance agreement of 1 (both readers use one same state throughout): kappa is 0/0
    if len(counts_x) == 1 and counts_x == counts_y:
        return float("nan")
    return float(cohen_kappa_score(x, y, labels=labels))


def agreement(pairs: list[Pair]) -> Agreement:
    """Raw agreement, Cohen's kappa and the confusion table of one group of paired items."""
    a = [p.state_a for p in pairs]
    b = [p.state_b for p in pairs]
    n = len(pairs)
    confusion = {s: {t: 0 for t in STATES} for s in STATES}
    for p in pairs:
        confusion[p.state_a][p.state_b] += 1
    doc_a = ["documented" if s in DOCUMENTED else "not documented" for s in a]
    doc_b = ["documented" if s in DOCUMENTED else "not documented" for s in b]
    nan = float("nan")
    return Agreement(
        items=n,
        raw=sum(x == y for x, y in zip(a, b, strict=True)) / n if n else nan,
        kappa=_kappa(a, b, list(STATES)) if n else nan,
        documented_raw=sum(x == y for x, y in zip(doc_a, doc_b, strict=True)) / n if n else nan,
        documented_kappa=_kappa(doc_a, doc_b, ["documented", "not documented"]) if n else nan,
        confusion=confusion,
    )


def by_profile(pairs: list[Pair], key: str = "profile") -> dict[str, Agreement]:
    """Agreement per profile (or per ``key``, a Pair field such as "card"), sorted by name, and
    over all items (key ``ALL``)."""
    groups: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        groups[getattr(p, key)].append(p)
    out = {name: agreement(groups[name]) for name in sorted(groups)}
    out["ALL"] = agreement(pairs)
    return out


def agreed_labels(pairs: list[Pair]) -> dict[str, object]:
    """A label file (same format) holding only the items on which both readings agree."""
    cards: dict[str, dict[str, dict[str, str]]] = {}
    for p in pairs:
        if p.state_a == p.state_b:
            cards.setdefault(p.card, {}).setdefault(p.profile, {})[p.item] = f"{p.state_a} | {p.note_a}"
    return {"version": 1, "cards": cards}


def _pct(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{x:.1%}"


def _num(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{x:.3f}"


def render(
    table: dict[str, Agreement],
    names: tuple[str, str],
    only_a: list[tuple[str, str, str]],
    only_b: list[tuple[str, str, str]],
) -> str:
    """The agreement table, one confusion table per group, and the unpaired items, as text."""
    lines = [f"{names[0]} vs {names[1]}", *render_figures(table)]
    short = {"present": "present", "not_applicable": "n/a", "placeholder": "placeh.", "missing": "missing"}
    for name, s in table.items():
        lines.append(f"-- confusion {name} (rows {names[0]}, columns {names[1]})")
        lines.append(f"  {'':<16}" + "".join(f"{short[t]:>9}" for t in STATES))
        for state in STATES:
            lines.append(f"  {state:<16}" + "".join(f"{s.confusion[state][t]:>9}" for t in STATES))
    for label, keys in ((names[0], only_a), (names[1], only_b)):
        if keys:
            lines.append(f"-- {len(keys)} item(s) labelled only by {label}, not compared")
            lines.extend(f"  {'/'.join(k)}" for k in keys)
    return "\n".join(lines)


def render_figures(table: dict[str, Agreement]) -> list[str]:
    """One line per group: items, raw agreement, kappa, and both on documented-vs-not."""
    lines = [f"{'':<28}{'items':>6}  {'raw':>6}  {'kappa':>6}  {'doc raw':>7}  {'doc kappa':>9}"]
    for name, s in table.items():
        lines.append(
            f"{name[:28]:<28}{s.items:>6}  {_pct(s.raw):>6}  {_num(s.kappa):>6}  "
            f"{_pct(s.documented_raw):>7}  {_num(s.documented_kappa):>9}"
        )
    return lines


def render_disagreements(pairs: list[Pair], names: tuple[str, str]) -> str:
    lines = [f"-- disagreements ({names[0]} -> {names[1]})"]
    for p in pairs:
        if p.state_a != p.state_b:
            lines.append(
                f"  {p.card} {p.profile} {p.item}: {p.state_a} -> {p.state_b}"
                f"  [{names[0]}: {p.note_a}] [{names[1]}: {p.note_b}]"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", type=Path, help="first label file (confusion rows)")
    parser.add_argument("b", type=Path, help="second label file (confusion columns)")
    parser.add_argument("--names", nargs=2, default=None, metavar=("A", "B"), help="names of the two readings")
    parser.add_argument("--by-card", action="store_true", help="also print the figures per card")
    parser.add_argument("--show-disagreements", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    parser.add_argument("--write-agreed", type=Path, default=None, help="write the agreed items as a label file")
    args = parser.parse_args(argv)
    names = (args.names[0], args.names[1]) if args.names else (args.a.stem, args.b.stem)
    try:
        a, b = load_labels(args.a), load_labels(args.b)
    except LabelFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    pairs, only_a, only_b = pair_labels(a, b)
    if not pairs:
        print(f"error: {args.a} and {args.b} label no item in common", file=sys.stderr)
        return 2
    table = by_profile(pairs)
    print(render(table, names, only_a, only_b))
    cards = by_profile(pairs, key="card") if args.by_card else {}
    if cards:
        print("-- per card", *render_figures(cards), sep="\n")
    if args.show_disagreements:
        print(render_disagreements(pairs, names))
    if args.json is not None:
        figures = {
            "names": names,
            "by_profile": {name: s.as_json() for name, s in table.items()},
            "by_card": {name: s.as_json() for name, s in cards.items()},
        }
        args.json.write_text(json.dumps(figures, indent=2), "utf-8")
    if args.write_agreed is not None:
        args.write_agreed.write_text(
            f"# Items on which {names[0]} and {names[1]} agree (written by benchmarks/label_agreement.py;"
            f" notes are {names[0]}'s).\n" + yaml.safe_dump(agreed_labels(pairs), sort_keys=False, allow_unicode=True),
            "utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
