"""tef_harness.audit on live objects, and the report's notebook views."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
import pytest

import tef_harness
from tests.conftest import Artifacts


@pytest.mark.slow
def test_audit_in_memory(artifacts: Artifacts, eval_frame: pd.DataFrame, tmp_path: Path) -> None:
    import skops.io as sio

    model = sio.load(artifacts.skops, trusted=sio.get_untrusted_types(file=artifacts.skops))
    report = tef_harness.audit(
        model=model,
        data=eval_frame,
        target="default",
        sensitive_features=["sex"],
        card=artifacts.card,
        only=["performance.metrics", "bias.group_fairness"],
    )
    assert {r.check_id for r in report.results} == {"performance.metrics", "bias.group_fairness"}
    assert report.subject.model is not None and report.subject.model.trusted
    assert any("tef_harness.audit()" in w for w in report.warnings)
    # the measured accuracy is the estimator's own, computed independently here
    acc = report.result("performance.metrics").metric("accuracy")  # type: ignore[union-attr]
    expected = (model.predict(eval_frame[artifacts.features]) == eval_frame["default"]).mean()
    assert acc is not None and acc.value == pytest.approx(expected)
    # a function works as a model too, and equal inputs give equal run ids
    again = tef_harness.audit(
        model=model, data=eval_frame, target="default", sensitive_features=["sex"], only=["performance.metrics"]
    )
    assert again.run_id == tef_harness.audit(
        model=model, data=eval_frame, target="default", sensitive_features=["sex"], only=["performance.metrics"]
    ).run_id
    fn_report = tef_harness.audit(
        model=lambda X: model.predict(X[artifacts.features]),
        data=eval_frame,
        target="default",
        only=["performance.metrics"],
    )
    fn_acc = fn_report.result("performance.metrics").metric("accuracy")  # type: ignore[union-attr]
    assert fn_acc is not None and fn_acc.value == pytest.approx(expected)

    page = report._repr_html_()
    assert page.startswith("<iframe srcdoc=") and "<script" not in html.unescape(page)
    saved = report.save_html(tmp_path / "r.html")
    assert f'data-verdict="{report.verdict.value}"' in saved.read_text()
