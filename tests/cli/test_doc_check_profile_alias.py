"""``tef doc check --profile`` was an alias of ``--doc-profile`` that read like ``tef check
--profile`` (the policy profile). It keeps working for a release, with a one-line deprecation
notice on stderr, and is no longer listed in ``--help``."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_check_command import tef

CARD = Path(__file__).resolve().parents[2] / "examples" / "credit" / "MODEL_CARD.md"


def test_the_old_flag_works_with_a_notice(tmp_path: Path) -> None:
    new = tef("doc", "check", str(CARD), "--doc-profile", "model-card", cwd=tmp_path)
    old = tef("doc", "check", str(CARD), "--profile", "model-card", cwd=tmp_path)
    assert old.returncode == new.returncode and old.stdout == new.stdout
    assert new.stderr == ""
    assert old.stderr.splitlines() == [
        "tef: warning: 'tef doc check --profile' is deprecated: use --doc-profile "
        "(--profile is tef check's policy profile)"
    ]


def test_both_flags_is_a_usage_error(tmp_path: Path) -> None:
    proc = tef("doc", "check", str(CARD), "--profile", "model-card", "--doc-profile", "model-card", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    expected = "tef: error: --profile: give --doc-profile only (--profile is its deprecated name)"
    assert proc.stderr.splitlines()[-1] == expected


def test_help_lists_doc_profile_only(tmp_path: Path) -> None:
    text = tef("doc", "check", "--help", cwd=tmp_path).stdout
    assert "--doc-profile" in text and "--profile " not in text.replace("--doc-profile", "")
    assert "eu-ai-act-annex-iv" in text  # the default is still shown
