"""The masking door as a property of the whole command: personal data planted in every column
of the data, in column names and in the model card never appears in any file `tef check`
writes or in anything it prints, whichever check handles it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.pii_planting import as_float_text, card_text, planted_frame, train_text_model
from tests.cli.test_check_command import write_config
from tests.tracking.conftest import tef, tracking_env


def _leaks(text: str, needles: tuple[str, ...]) -> list[str]:
    return [v for v in needles if v in text]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1], ids=["seed0", "seed1"])
def test_no_planted_value_reaches_any_output(seed: int, tmp_path: Path) -> None:
    planted = planted_frame(280, seed)
    frame = planted.frame
    frame.iloc[:200].to_csv(tmp_path / "eval.csv", index=False)
    frame.iloc[200:].to_csv(tmp_path / "train.csv", index=False)
    trusted = train_text_model(frame.iloc[200:].reset_index(drop=True), tmp_path / "model.skops", planted.named_columns)
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
                # a sensitive column NAMED after a person: its name reaches the bias checks' typed
                # views (group tables by sensitive set) and the report's subject
                f"sensitive = {json.dumps(['sex', planted.named_columns[1]])}",
                "[documents]",
                'card = "card.md"',
            ]
        )
        + "\n",
    )
    # tracking on (the embedded sqlite store beside the config): MLflow params, tags, metrics,
    # dataset schemas and table artifacts are outputs too
    proc = tef("check", "--no-third-party", "--json", cwd=tmp_path, env=tracking_env())
    assert proc.returncode == 1, proc.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["verdict"] == "non_conformant"  # the planted PII fails privacy.pii_in_data
    assert {r["check_id"]: r["status"] for r in report["results"]}["privacy.pii_in_data"] == "failed"
    by = {r["check_id"]: r for r in report["results"]}
    errors = {cid: r["reason"] for cid, r in by.items() if r["status"] == "error"}
    assert not errors, errors
    # the PII check did see the planted data: the door did not blind it
    pii = by["privacy.pii_in_data"]
    found = {f["data"]["entity_type"] for f in pii["findings"] if f["code"] == "PRIV001"}
    assert {"EMAIL_ADDRESS", "IBAN_CODE", "PHONE_NUMBER"} <= found, found
    # the columns named after a person reached the report, masked: the door did not drop them
    eval_record = next(f for f in report["subject"]["files"] if f["role"] == "eval")
    assert len(eval_record["columns"]) == frame.shape[1]
    assert len(report["subject"]["model"]["features"]) == frame.shape[1] - 1
    # the typed views carry the sensitive sets, masked (the property covers them too)
    views = [v for r in report["results"] for v in r.get("views", ())]
    sets = {tuple(v["sensitive_set"]) for v in views if v.get("kind") == "group_table"}
    assert ("sex",) in sets and any(len(s) == 1 and s[0] not in ("sex",) for s in sets), sets
    needles = planted.values + as_float_text(planted.values)
    outputs = {"stdout": proc.stdout, "stderr": proc.stderr}
    inputs = {"eval.csv", "train.csv", "model.skops", "card.md", "tef.toml"}
    for path in sorted(tmp_path.rglob("*")):
        if path.is_file() and path.name not in inputs:
            outputs[str(path.relative_to(tmp_path))] = path.read_text(encoding="utf-8", errors="replace")
    assert "out/report.json" in outputs and "mlflow.db" in outputs, sorted(outputs)
    assert any(name.startswith("mlartifacts/") for name in outputs), sorted(outputs)
    leaked = {name: _leaks(text, needles)[:5] for name, text in outputs.items() if _leaks(text, needles)}
    assert not leaked, leaked
