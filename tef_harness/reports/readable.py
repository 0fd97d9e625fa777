"""Metric names and reasons as a person reads them: ``61+``, not its key ``61_x2B``.

A derived metric name encodes each dimension value so MLflow accepts it
(``tef_harness.sdk.dimensions``). The encoded name stays what machines and configs use:
``report.json``, thresholds and waivers, MLflow metric keys. Where a person reads the report
(the console summary, the HTML report and its PDF, ``report.md`` with its baseline table, the
messages of junit.xml a CI shows), names and the judge's reasons that quote them are shown
decoded. The judge (``engine/judge.py``) writes its
reasons with the encoded names; they are decoded here, at rendering, not there.
"""

from __future__ import annotations

from tef_harness.sdk.dimensions import display_name, display_text
from tef_harness.sdk.results import CheckResult


def metric_names(result: CheckResult) -> set[str]:
    """Every metric name ``result`` holds or a threshold of it names."""
    return {m.name for m in result.metrics} | {t.metric for t in result.thresholds}


def readable(result: CheckResult, text: str) -> str:
    """``text`` about ``result`` (its reason, an outcome message) with the metric names it
    quotes decoded (``display_text``)."""
    return display_text(text, metric_names(result)) if text else text


def reason_of(result: CheckResult) -> str:
    """The judge's reason for ``result``, its metric names decoded; empty when it has none."""
    return readable(result, result.reason or "")


__all__ = ["display_name", "metric_names", "readable", "reason_of"]
