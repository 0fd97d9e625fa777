"""The masking door as a property of the whole command: personal data planted in every column
of the data (and in the model card) never appears in any file `tef check` writes or in
anything it prints, whichever check handles it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.pii_planting import as_float_text, card_text, planted_frame, train_text_model
from tests.cli.test_check_command import tef, write_config


def _leaks(text: str, needles: tuple[str, ...]) -> list[str]:
    return [v for v in needles if v in text]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1], ids=["seed0", "seed1"])
def test_no_planted_value_reaches_any_output(seed: int, tmp_path: Path) -> None:
    planted = planted_frame(280, seed)
    frame = planted.frame
    frame.iloc[:200].to_csv(tmp_path / "eval.csv", index=False)
    frame.iloc[200:].to_csv(tmp_path / "train.csv", index=False)
    trusted = train_text_model(frame.iloc[200:].reset_index(drop=True), tmp_path / "model.skops")
    (tmp_path / "card.md").write_text(card_text(planted), encoding="utf-8")
    write_config(
        tmp_path,
        "\n".join(
            [
                'profile = "eu-ai-act-high-risk"',
                f"seed = {seed}",
                'out = "out"',
                "[model]",
                'path = "model.skops"',
                f"trusted_types = {json.dumps(trusted)}",
                "[data]",
                'path = "eval.csv"',
                'train_sample = "train.csv"',
                'target = "default"',
                'sensitive = ["sex"]',
                "[documents]",
                'card = "card.md"',
            ]
        )
        + "\n",
    )
    proc = tef("check", "--no-third-party", "--json", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    by = {r["check_id"]: r for r in report["results"]}
    errors = {cid: r["reason"] for cid, r in by.items() if r["status"] == "error"}
    assert not errors, errors
    # the PII check did see the planted data: the door did not blind it
    pii = by["privacy.pii_in_data"]
    found = {f["data"]["entity_type"] for f in pii["findings"] if f["code"] == "PRIV001"}
    assert {"EMAIL_ADDRESS", "IBAN_CODE", "PHONE_NUMBER"} <= found, found
    needles = planted.values + as_float_text(planted.values)
    outputs = {"stdout": proc.stdout, "stderr": proc.stderr}
    for path in sorted((tmp_path / "out").rglob("*")):
        if path.is_file():
            outputs[str(path.relative_to(tmp_path))] = path.read_text(encoding="utf-8", errors="replace")
    assert "report.json" in "".join(outputs)
    leaked = {name: _leaks(text, needles)[:5] for name, text in outputs.items() if _leaks(text, needles)}
    assert not leaked, leaked
