"""Names and street addresses in the data (which the offline masking door cannot recognise)
never reach any file `tef check` writes or what it prints: example rows show a free-text
column's cells as their length only, and a level seen fewer than five times as a rare level."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from faker import Faker

from tef_harness.reports.renderers.pdf_report import weasyprint_problem
from tests.cli.test_check_command import tef, write_config


def _frame(n: int, seed: int) -> pd.DataFrame:
    fake = Faker(["en_GB", "de_DE", "fr_FR", "pl_PL", "it_IT"])
    fake.seed_instance(seed)
    rng = np.random.default_rng(seed)
    names = [fake.unique.name() for _ in range(n)]
    # each person has their own propensity: the model learns the name, so swapping names
    # between rows (robustness's category swap) flips predictions and gives example rows
    lean = rng.uniform(size=n) < 0.5
    income = rng.uniform(1_000, 9_000, n).round(2)
    return pd.DataFrame(
        {
            "applicant": names,
            "street": [fake.street_address() for _ in range(n)],
            "income": income,
            "sex": rng.choice(["F", "M"], n),
            "default": (lean ^ (rng.uniform(size=n) < 0.1)).astype(int),
        }
    )


def _train(frame: pd.DataFrame, path: Path) -> list[str]:
    import skops.io as sio
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    pipe = Pipeline(
        [
            (
                "pre",
                ColumnTransformer(
                    [
                        ("cat", OneHotEncoder(handle_unknown="ignore"), ["applicant", "street", "sex"]),
                        ("num", StandardScaler(), ["income"]),
                    ]
                ),
            ),
            ("clf", LogisticRegression(C=100.0, max_iter=2000)),
        ]
    )
    pipe.fit(frame[["applicant", "street", "sex", "income"]], frame["default"])
    sio.dump(pipe, path)
    return [str(t) for t in sio.get_untrusted_types(file=path)]


@pytest.mark.slow
def test_names_and_addresses_reach_no_output(tmp_path: Path) -> None:
    frame = _frame(300, seed=7)
    frame.to_csv(tmp_path / "eval.csv", index=False)
    trusted = _train(frame, tmp_path / "model.skops")
    formats = "json,html,md,junit" + ("" if weasyprint_problem() else ",pdf")
    write_config(
        tmp_path,
        "\n".join(
            [
                'out = "out"',
                "[model]",
                'path = "model.skops"',
                f"trusted_types = {json.dumps(trusted)}",
                "[data]",
                'path = "eval.csv"',
                'target = "default"',
                'sensitive = ["sex"]',
                '[checks."robustness.perturbation"]',
                'params = { families = ["category_swap", "missing_values"], severities = [3, 5] }',
            ]
        )
        + "\n",
    )
    proc = tef("check", "--no-third-party", "--only", "robustness.perturbation", "--format", formats, cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    (result,) = [r for r in report["results"] if r["check_id"] == "robustness.perturbation"]
    examples = [v for v in result["views"] if v["kind"] == "example_rows"]
    # the test is about something: the swapped names are in the example rows, as lengths, or,
    # since each name is seen once, as a withheld rare level (small-cell suppression)
    shown = [
        cell for e in examples for row in e["rows"] for c, cell in zip(e["columns"], row, strict=True)
        if c in ("applicant", "street")
    ]  # fmt: skip
    assert shown and all("‹text, " in cell or "(a rare level)" in cell for cell in shown), shown
    outputs = {"stdout": proc.stdout, "stderr": proc.stderr}
    for path in sorted((tmp_path / "out").iterdir()):
        outputs[path.name] = path.read_text(encoding="utf-8", errors="replace")
    if (tmp_path / "out" / "report.pdf").exists():
        assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is not installed"
        outputs["report.pdf text"] = subprocess.run(
            ["pdftotext", str(tmp_path / "out" / "report.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
    assert {"report.json", "report.html", "report.md", "junit.xml"} <= set(outputs)
    # a whole name or street, and each of its words of four letters or more (a surname)
    needles = {v for col in ("applicant", "street") for v in frame[col]}
    needles |= {w for v in list(needles) for w in v.replace(",", " ").split() if len(w) >= 4 and w.isalpha()}
    # words the harness's own text prints whatever the data (the Wilson interval)
    needles -= {w for w in needles if w.lower() in _REPORT_WORDS}
    import re

    leaked = {
        name: [
            (n, text[max(0, m.start() - 40) : m.end() + 40])
            for n in sorted(needles)
            for m in re.finditer(rf"\b{re.escape(n)}\b", text)
        ][:5]
        for name, text in outputs.items()
    }
    assert not any(leaked.values()), leaked


#: words of the harness's own text that a name may hold (compared lower-case)
_REPORT_WORDS = {"wilson"}
