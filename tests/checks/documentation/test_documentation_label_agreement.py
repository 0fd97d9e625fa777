"""benchmarks/label_agreement.py: inter-reader agreement of two label files (issue 17).

The figures are checked against counts made by hand on two tiny label files, and Cohen's kappa
against the formula (p_o - p_e) / (1 - p_e) worked out from the hand-counted marginals, not
against sklearn (which the module uses).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))
from label_agreement import STATES, agreement, by_profile, load_labels, main, pair_labels  # noqa: E402

# Twelve paired items (8 model-card, 4 hf-model-card), one item only in A, one only in B.
A = """\
version: 1
cards:
  c1:
    model-card:
      i1: "present | a"
      i2: "present | a"
      i3: "missing | a"
      i4: "placeholder | a"
      i5: "not_applicable | a says why"
      i6: "missing"
    hf-model-card:
      h1: "present | a"
      h2: "missing | a"
      h3: "missing | a"
      h4: "not_applicable | a"
  c2:
    model-card:
      i1: "present | a"
      i2: "placeholder | a"
    hf-model-card:
      h9: "present | only in A"
"""
B = """\
version: 1
cards:
  c1:
    model-card:
      i1: "present | b"
      i2: "missing | b finds nothing"
      i3: "missing | b"
      i4: "missing | b"
      i5: "missing | b"
      i6: "missing | b"
    hf-model-card:
      h1: "present | b"
      h2: "present | b"
      h3: "missing | b"
      h4: "present | b"
  c2:
    model-card:
      i1: "present | b"
      i2: "placeholder | b"
  c3:
    model-card:
      i1: "missing | only in B"
"""


def kappa_by_formula(p_o: float, marg_a: list[int], marg_b: list[int]) -> float:
    n = sum(marg_a)
    assert n == sum(marg_b)
    p_e = sum(x * y for x, y in zip(marg_a, marg_b, strict=True)) / (n * n)
    return (p_o - p_e) / (1 - p_e)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(A, "utf-8")
    b.write_text(B, "utf-8")
    return a, b


def test_pairs_only_common_items_and_lists_the_rest(files: tuple[Path, Path]) -> None:
    pairs, only_a, only_b = pair_labels(load_labels(files[0]), load_labels(files[1]))
    assert len(pairs) == 12
    assert only_a == [("c2", "hf-model-card", "h9")]
    assert only_b == [("c3", "model-card", "i1")]
    i5 = next(p for p in pairs if p.card == "c1" and p.item == "i5")
    assert (i5.state_a, i5.note_a, i5.state_b, i5.note_b) == ("not_applicable", "a says why", "missing", "b")
    assert next(p for p in pairs if p.item == "i6").note_a == ""  # a label without a note


def test_figures_against_hand_counts_and_the_kappa_formula(files: tuple[Path, Path]) -> None:
    pairs, _, _ = pair_labels(load_labels(files[0]), load_labels(files[1]))
    table = by_profile(pairs)
    assert list(table) == ["hf-model-card", "model-card", "ALL"]

    mc = table["model-card"]
    # same state on c1/i1, c1/i3, c1/i6, c2/i1, c2/i2
    assert (mc.items, mc.raw) == (8, 5 / 8)
    # marginals in STATES order (present, not_applicable, placeholder, missing): A 3,1,2,2; B 2,0,1,5
    assert mc.kappa == pytest.approx(kappa_by_formula(5 / 8, [3, 1, 2, 2], [2, 0, 1, 5]))
    assert mc.kappa == pytest.approx(11 / 23)
    # documented-vs-not: A D,D,N,N,D,N,D,N; B D,N,N,N,N,N,D,N -> 6 of 8 alike; marginals A 4/4, B 2/6
    assert mc.documented_raw == 6 / 8
    assert mc.documented_kappa == pytest.approx(kappa_by_formula(6 / 8, [4, 4], [2, 6]))

    hf = table["hf-model-card"]
    assert (hf.items, hf.raw) == (4, 2 / 4)
    assert hf.kappa == pytest.approx(kappa_by_formula(2 / 4, [1, 1, 0, 2], [3, 0, 0, 1]))
    assert hf.kappa == pytest.approx(3 / 11)
    assert hf.documented_raw == 3 / 4
    assert hf.documented_kappa == pytest.approx(kappa_by_formula(3 / 4, [2, 2], [3, 1]))

    overall = table["ALL"]
    assert (overall.items, overall.raw) == (12, 7 / 12)
    assert overall.kappa == pytest.approx(kappa_by_formula(7 / 12, [4, 2, 2, 4], [5, 0, 1, 6]))
    assert overall.kappa == pytest.approx(19 / 49)
    assert overall.documented_raw == 9 / 12
    assert overall.documented_kappa == pytest.approx(0.5)

    # rows A, columns B, counted by hand
    assert overall.confusion == {
        "present": {"present": 3, "not_applicable": 0, "placeholder": 0, "missing": 1},
        "not_applicable": {"present": 1, "not_applicable": 0, "placeholder": 0, "missing": 1},
        "placeholder": {"present": 0, "not_applicable": 0, "placeholder": 1, "missing": 1},
        "missing": {"present": 1, "not_applicable": 0, "placeholder": 0, "missing": 3},
    }


def test_by_card(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    pairs, _, _ = pair_labels(load_labels(files[0]), load_labels(files[1]))
    cards = by_profile(pairs, key="card")
    # c1: 10 paired items, alike on i1, i3, i6, h1, h3; c2: 2 items, both alike (present, placeholder)
    assert (cards["c1"].items, cards["c1"].raw) == (10, 5 / 10)
    # c1 marginals (present, n/a, placeholder, missing): A 3,2,1,4; B 4,0,0,6 -> p_e = 36/100
    assert cards["c1"].kappa == pytest.approx(kappa_by_formula(5 / 10, [3, 2, 1, 4], [4, 0, 0, 6]))
    assert cards["c1"].kappa == pytest.approx((0.5 - 0.36) / (1 - 0.36))
    assert (cards["c2"].items, cards["c2"].raw) == (2, 1.0)
    assert cards["c2"].kappa == pytest.approx(1.0)
    assert main([*map(str, files), "--by-card"]) == 0
    text = capsys.readouterr().out
    assert "-- per card" in text
    assert "c2                               2  100.0%   1.000" in text


def test_kappa_undefined_when_both_readers_use_one_state(files: tuple[Path, Path]) -> None:
    pairs, _, _ = pair_labels(load_labels(files[0]), load_labels(files[1]))
    same = [p for p in pairs if p.state_a == p.state_b == "missing"]
    s = agreement(same)
    assert s.raw == 1.0
    assert math.isnan(s.kappa)
    assert s.as_json()["kappa"] is None
    # one reader constant, the other not: chance agreement < 1, kappa defined (0 here: no agreement
    # beyond what the constant reader's marginal gives)
    mixed = [p for p in pairs if p.state_a == "missing"]  # A missing x4; B missing x3, present x1
    assert agreement(mixed).kappa == pytest.approx(kappa_by_formula(3 / 4, [0, 0, 0, 4], [1, 0, 0, 3]))
    assert agreement(mixed).kappa == pytest.approx(0.0)


def test_cli_prints_table_disagreements_json_and_agreed_file(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_json, agreed = tmp_path / "fig.json", tmp_path / "agreed.yaml"
    argv = [str(files[0]), str(files[1]), "--names", "r1", "r2", "--show-disagreements"]
    assert main([*argv, "--json", str(out_json), "--write-agreed", str(agreed)]) == 0
    text = capsys.readouterr().out
    assert "r1 vs r2" in text
    assert "ALL                             12   58.3%   0.388    75.0%      0.500" in text
    assert "1 item(s) labelled only by r1" in text and "c3/model-card/i1" in text
    # five disagreements, each with both notes
    lines = [ln for ln in text.splitlines() if ln.startswith("  c") and " -> " in ln]
    assert len(lines) == 5
    assert "c1 model-card i2: present -> missing  [r1: a] [r2: b finds nothing]" in text
    figures = json.loads(out_json.read_text("utf-8"))
    assert figures["by_profile"]["ALL"]["raw_agreement"] == pytest.approx(7 / 12)
    kept = load_labels(agreed)
    assert len(kept) == 7
    assert all(state in STATES for state, _ in kept.values())
    assert kept[("c1", "model-card", "i1")] == ("present", "a")


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("cards:\n  c1:\n    model-card:\n      i1: 'presnt | typo'\n", "cards.c1.model-card.i1: unknown state"),
        ("version: 1\n", "cards: expected a mapping"),
        ("cards:\n  c1: [1, 2]\n", "cards.c1: expected a mapping"),
        ("cards: {c1: {p: {i: x}\n", "cannot read label file"),
    ],
)
def test_bad_label_file_is_one_line_exit_2(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, field: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, "utf-8")
    agreed = tmp_path / "agreed.yaml"
    assert main([str(files[0]), str(bad), "--write-agreed", str(agreed)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert str(bad) in err and field in err
    assert not agreed.exists()


def test_bench_cards_compare_labels_runs_the_comparison(files: tuple[Path, Path]) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_cards.py"), "--compare-labels", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "a vs b" in done.stdout
    assert "model-card                       8   62.5%   0.478" in done.stdout


def test_check_states_written_as_labels_score_like_bench_cards(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "tiny.md").write_text(
        "# Tiny model\n\n## Intended use\n\nScoring loan applications for a bank's credit officers.\n\n"
        "## Training data\n\nTrained on 10,000 past applications from 2020-2023.\n",
        "utf-8",
    )
    profile = yaml.safe_load(
        (ROOT / "tef_harness/checks/documentation/profiles/model-card.yaml").read_text("utf-8")
    )
    labels = tmp_path / "labels.yaml"
    labels.write_text(
        yaml.safe_dump({"cards": {"tiny": {"model-card": {i["id"]: "present | x" for i in profile["items"]}}}}),
        "utf-8",
    )
    got, fig = tmp_path / "check.yaml", tmp_path / "fig.json"
    args = ["--cards", str(cards), "--labels", str(labels), "--json", str(fig), "--write-labels", str(got)]
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_cards.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pairs, only_a, only_b = pair_labels(load_labels(labels), load_labels(got))
    assert (len(pairs), only_a, only_b) == (len(profile["items"]), [], [])
    bench = json.loads(fig.read_text("utf-8"))["overall"]["agreement"]
    assert agreement(pairs).raw == pytest.approx(bench)
    # the card documents two of the eleven items and a reader labels all present: neither extreme
    assert 0 < bench < 1
