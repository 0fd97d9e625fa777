"""``tef init`` writes a commented stub for ``bias.data_representation``'s reference population,
so a first audit can declare it instead of always being insufficient evidence there. Real
``tef init`` and ``tef check`` runs on a tiny data set and model."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

from tests.cli.test_check_command import tef

HEADER = '# [checks."bias.data_representation".params.reference]'


def _filled(text: str, shares: dict[str, dict[str, float]]) -> str:
    """The stub filled in as its comment says: every SHARE replaced by the source's figure,
    then the table header and its lines uncommented."""
    lines = text.splitlines()
    start = lines.index(HEADER)
    out = [*lines[:start], HEADER[2:]]
    i = start + 1
    while lines[i].startswith('# "'):
        line = lines[i][2:]
        column = json.loads(line.split(" = ", 1)[0])
        for group, share in shares[column].items():
            line = line.replace(f'"{group}" = SHARE', f'"{group}" = {share}')
        assert "SHARE" not in line, line  # the data's labels were all listed
        out.append(line)
        i += 1
    return "\n".join(out + lines[i:]) + "\n"


def _status(folder: Path) -> tuple[str, str | None]:
    report = json.loads((folder / "tef-report" / "report.json").read_text(encoding="utf-8"))
    result = next(r for r in report["results"] if r["check_id"] == "bias.data_representation")
    return result["status"], result["reason"]


def test_the_stub_parses_and_once_filled_in_the_check_runs(in_tmp: Path) -> None:
    import skops.io as sio
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    n = 300
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "sex": rng.choice(["female", "male"], n),
            "age_group": rng.choice(["18-40", "41+"], n),
        }
    )
    frame["y"] = (frame["x"] + rng.normal(0, 1, n) > 0).astype(int)
    frame.to_csv(in_tmp / "eval.csv", index=False)
    sio.dump(LogisticRegression().fit(frame[["x"]], frame["y"]), in_tmp / "model.skops")
    proc = tef(
        "init", "--model", "model.skops", "--data", "eval.csv", "--target", "y",
        "--sensitive", "sex", "--sensitive", "age_group", cwd=in_tmp,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    text = (in_tmp / "tef.toml").read_text(encoding="utf-8")
    tomllib.loads(text)  # as generated, it parses
    # the stub explains itself and names the data's own groups
    stub = text[text.index("# Representativeness") : text.index(HEADER)]
    for needle in ("reference population", "fraction in [0, 1]", "sum to at most 1", "SHARE"):
        assert needle in re.sub(r"\s*\n#\s*", " ", stub), needle
    assert '# "sex" = { "female" = SHARE, "male" = SHARE }' in text
    assert '# "age_group" = { "18-40" = SHARE, "41+" = SHARE }' in text

    args = ("check", "--only", "bias.data_representation", "--no-third-party")
    tef(*args, cwd=in_tmp)
    status, reason = _status(in_tmp)
    assert status == "insufficient_evidence", reason  # the first audit, as before: nothing declared

    shares = {"sex": {"female": 0.5, "male": 0.5}, "age_group": {"18-40": 0.45, "41+": 0.55}}
    filled = _filled(text, shares)
    config = tomllib.loads(filled)
    assert config["checks"]["bias.data_representation"]["params"]["reference"] == shares
    (in_tmp / "tef.toml").write_text(filled, encoding="utf-8")
    checked = tef(*args, cwd=in_tmp)
    status, reason = _status(in_tmp)
    assert status in ("passed", "failed"), (status, reason, checked.stderr)


def test_without_a_data_file_the_placeholders_say_what_they_stand_for(in_tmp: Path) -> None:
    proc = tef("init", "--data", "missing.csv", "--sensitive", "sex", cwd=in_tmp)
    assert proc.returncode == 0, proc.stderr
    text = (in_tmp / "tef.toml").read_text(encoding="utf-8")
    tomllib.loads(text)
    assert '# "sex" = { "GROUP_A" = SHARE, "GROUP_B" = SHARE }' in text
    assert "GROUP_A, GROUP_B: the labels of that column in your data" in text
