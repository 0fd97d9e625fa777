"""Every built-in family end to end through `tef check`, and bad documents as input errors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.cli.test_check_command import assert_input_error, tef, write_config
from tests.conftest import Artifacts


@pytest.mark.slow
def test_every_family_runs_from_the_cli(artifacts: Artifacts, in_tmp: Path) -> None:
    text = artifacts.config().replace("[documents]", f'train_sample = "{artifacts.train_csv}"\n[documents]')
    text = text.replace('profile = "default"', 'profile = "eu-ai-act-high-risk"')
    write_config(in_tmp, text)
    proc = tef("check", "--no-third-party", cwd=in_tmp)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads((in_tmp / "out" / "report.json").read_text())
    jsonschema.validate(report, json.loads(tef("report", "schema", cwd=in_tmp).stdout))
    by = {r["check_id"]: r for r in report["results"]}
    families = {r["family"] for r in report["results"]}
    assert {"performance", "bias", "privacy", "robustness", "documentation"} <= families
    assert not [cid for cid, r in by.items() if r["status"] == "error"], [
        (cid, r["reason"]) for cid, r in by.items() if r["status"] == "error"
    ]
    for cid in (
        "bias.group_fairness",
        "privacy.membership_inference",
        "privacy.pii_in_data",
        "robustness.perturbation",
        "documentation.completeness",
        "performance.metrics",
    ):
        assert by[cid]["status"] in ("passed", "failed", "insufficient_evidence"), (cid, by[cid]["reason"])
    # the profile's thresholds are applied and attributed
    sources = {t["source"] for t in by["bias.group_fairness"]["thresholds"]}
    assert sources == {"profile"}
    assert report["profile"] == {"name": "eu-ai-act-high-risk", "version": "2", "source": "builtin:eu-ai-act-high-risk"}
    rows = {r["id"]: r["status"] for r in report["requirements"]}
    assert rows["EU-AI-Act:Art15(5)"] in ("tested_passed", "tested_failed", "tested_inconclusive")
    assert rows["EU-AI-Act:Art14"] == "not_tested"
    # personal data planted in the notes never reaches the report
    assert "@example.org" not in json.dumps(report)


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        (b"\xff\xfe\x00not utf-8 at all", ["card.md", "documents.card", "not valid UTF-8"]),
        (b"   \n\n", ["card.md", "documents.card", "empty"]),
    ],
    ids=["not-utf8", "empty"],
)
def test_bad_model_card_is_an_input_error(
    content: bytes, needles: list[str], artifacts: Artifacts, in_tmp: Path
) -> None:
    card = in_tmp / "card.md"
    card.write_bytes(content)
    write_config(in_tmp, artifacts.config().replace(str(artifacts.card), str(card)))
    assert_input_error(tef("check", "--only", "documentation.completeness", cwd=in_tmp), *needles)
    assert not (in_tmp / "out").exists()


def test_broken_front_matter_is_a_finding_not_an_input_error(artifacts: Artifacts, in_tmp: Path) -> None:
    """Issue 17: a card whose front matter cannot be read is still assessed; the report says
    what was lost (DOC006, with the line) instead of the run stopping with exit 2."""
    card = in_tmp / "card.md"
    card.write_bytes(b"---\nlicense: [unclosed\n---\n# Card\n\n## Intended use\nScoring.\n")
    write_config(in_tmp, artifacts.config().replace(str(artifacts.card), str(card)))
    proc = tef("check", "--only", "documentation.completeness", cwd=in_tmp)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads((in_tmp / "out" / "report.json").read_text())
    (result,) = [r for r in report["results"] if r["check_id"] == "documentation.completeness"]
    doc006 = [f for f in result["findings"] if f["code"] == "DOC006"]
    assert len(doc006) == 1 and "line 2" in doc006[0]["message"] and doc006[0]["location"].endswith("card.md")


def test_oversized_card_is_refused(artifacts: Artifacts, in_tmp: Path) -> None:
    card = in_tmp / "card.md"
    with card.open("wb") as fh:
        fh.write(b"# Card\n" + b"x" * (50 * 1024 * 1024))
    write_config(in_tmp, artifacts.config().replace(str(artifacts.card), str(card)))
    assert_input_error(tef("check", "--only", "documentation.completeness", cwd=in_tmp), "card.md", "MB")


def test_documentation_profile_with_unknown_key(artifacts: Artifacts, in_tmp: Path) -> None:
    (in_tmp / "mine.yaml").write_text(
        "name: mine\nversion: '1'\ntitle: Mine\nitems:\n  - id: A1\n    title: Purpose\n    hint: why it exists\n"
        "    headings: [Purpose]\n    colour: blue\n",
        encoding="utf-8",
    )
    extra = '[checks."documentation.completeness"]\nparams = { profile = "mine.yaml" }\n'
    write_config(in_tmp, artifacts.config(extra))
    proc = tef("check", "--only", "documentation.completeness", cwd=in_tmp)
    assert_input_error(proc, "mine.yaml", "colour", 'checks."documentation.completeness".params')
    assert not (in_tmp / "out").exists()
