"""``tef doc check``'s text wraps at word boundaries only: at any width, the words printed are
the words of the unwrapped text (before, 60 columns printed 'cross-' and 'validation' on two
lines, and a word longer than the line was cut)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tef_harness.reports.renderers.doc_check import check_card, render_text

ROOT = Path(__file__).resolve().parents[2]
DEMO_CARD = ROOT / "examples" / "credit" / "MODEL_CARD.md"


@pytest.mark.parametrize("profile", ["model-card", "hf-model-card", "eu-ai-act-annex-iv"])
@pytest.mark.parametrize("width", [30, 40, 60, 80])
def test_the_words_are_the_unwrapped_words(tmp_path: Path, profile: str, width: int) -> None:
    # a file name longer than a 30- or 40-column line: it must stay whole
    card = tmp_path / "credit-scoring-model-card-for-the-eu-registry.md"
    shutil.copyfile(DEMO_CARD, card)
    out = check_card(card, profile)
    wide, narrow = render_text(out, width=10_000), render_text(out, width=width)
    assert narrow.split() == wide.split()
    for line in narrow.splitlines():
        # only an item's state and id (never cut) or a word too long for a line may overrun it
        assert len(line) <= width or len(line.split()) <= 2 or any(len(w) > width // 2 for w in line.split()), line


def test_hyphenated_words_stay_on_one_line() -> None:
    text = render_text(check_card(DEMO_CARD, "model-card"), width=60)
    assert "'cross-validation'" in text
    assert not any(line.endswith("-") for line in text.splitlines())


def test_a_state_has_one_name_in_the_header_and_the_rows() -> None:
    """Before, the header counted '4 placeholder' and the rows said UNFILLED: the rows of a state
    that needs work name it as report.json and the header do (in capitals)."""
    out = check_card(DEMO_CARD, "eu-ai-act-annex-iv")
    text = render_text(out, width=160)
    header, rows = text.splitlines()[0], text.splitlines()[1:]
    states = [str(r["state"]) for r in out.details["items"]]  # type: ignore[union-attr]
    for state in ("placeholder", "missing"):
        n = states.count(state)
        assert n > 0 and f"{n} {state}" in header
        assert sum(row.split()[0] == state.upper() for row in rows if row.strip()) == n, text
    assert "UNFILLED" not in text
