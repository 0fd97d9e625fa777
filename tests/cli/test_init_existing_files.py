"""``tef init`` never overwrites a file; when one is in the way its one-line error says both
ways out (``--force``, or another file by the flag that names it), and following it works: a
card template added to a project that already has a tef.toml. Real ``tef init`` runs."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_check_command import tef

CARD = ("--card", "MODEL_CARD.md", "--card-template", "hf-model-card")


def test_an_existing_config_names_force_and_path(tmp_path: Path) -> None:
    (tmp_path / "tef.toml").write_text('profile = "default"\n', encoding="utf-8")
    proc = tef("init", *CARD, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "tef: error: tef.toml: file exists; pass --force to overwrite it, or name another file with --path"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tef.toml"]  # nothing written, not even the card
    # what the message says works: the card template and a second config beside the first
    proc = tef("init", *CARD, "--path", "tef.card.toml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "tef.toml").read_text(encoding="utf-8") == 'profile = "default"\n'
    assert (tmp_path / "MODEL_CARD.md").read_text(encoding="utf-8").startswith("---\n")
    assert 'card = "MODEL_CARD.md"' in (tmp_path / "tef.card.toml").read_text(encoding="utf-8")


def test_an_existing_card_names_force_and_card(tmp_path: Path) -> None:
    (tmp_path / "MODEL_CARD.md").write_text("# mine\n", encoding="utf-8")
    proc = tef("init", *CARD, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "tef: error: MODEL_CARD.md: file exists; pass --force to overwrite it, or name another file with --card"
    ]
    assert (tmp_path / "MODEL_CARD.md").read_text(encoding="utf-8") == "# mine\n"
    assert not (tmp_path / "tef.toml").exists()


def test_the_readme_says_it_where_tef_init_is_described() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `tef init"))
    assert "--force" in row and "--path" in row
