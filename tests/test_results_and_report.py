"""Result values validate on construction; masking never leaks; the report round-trips."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tef_harness.reports.schema import ConformityReport
from tef_harness.sdk.results import CheckOutput, Finding, Interval, Metric, mask, metric_name


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_metric_is_rejected(value: float) -> None:
    with pytest.raises(ValidationError, match="finite"):
        Metric(name="x", value=value)


@pytest.mark.parametrize("name", ["a=b", "x:y", "", "é" * 0 + "a" * 251, "tab\tname"])
def test_names_mlflow_rejects_are_rejected(name: str) -> None:
    with pytest.raises(ValidationError):
        Metric(name=name, value=1.0)


def _naive_metric_name(*parts: str) -> str:
    """metric_name's rule character by character: a run of characters outside letters,
    digits, '_', '.', '-' and space becomes one '_'; an empty part becomes '_'."""
    out = []
    for part in parts:
        chars: list[str] = []
        for ch in part:
            safe = ch.isalnum() or ch in "_.- " if ch.isascii() else re.fullmatch(r"\w", ch) is not None
            if safe:
                chars.append(ch)
            elif not chars or chars[-1] != "\x00":
                chars.append("\x00")
        out.append("".join(chars).replace("\x00", "_").strip() or "_")
    return "/".join(out)[:250]


@given(st.lists(st.text(min_size=0, max_size=30), min_size=1, max_size=4))
def test_metric_name_equals_a_naive_recomputation_and_mlflow_accepts_it(parts: list[str]) -> None:
    name = metric_name(*parts)
    assert name == _naive_metric_name(*parts)
    assert re.fullmatch(r"[\w.\-/ ]{1,250}", name)


def test_metric_name_examples() -> None:
    assert metric_name("dp_difference", "sex_x_age_group") == "dp_difference/sex_x_age_group"
    assert metric_name("share", "age_group", "F|40+") == "share/age_group/F_40_"
    assert metric_name("a", "", "  ") == "a/_/_"
    assert len(metric_name("x" * 300)) == 250


@settings(max_examples=300)
@given(st.text(min_size=1, max_size=80))
def test_mask_never_reveals_more_than_a_quarter(value: str) -> None:
    masked = mask(value)
    assert len(masked) == len(value)
    shown = masked.lstrip("*")
    assert len(shown) <= len(value) // 4
    if len(value) >= 8:
        assert value not in masked


def test_interval_and_finding_validation() -> None:
    with pytest.raises(ValidationError):
        Interval(low=0.5, high=0.4)
    with pytest.raises(ValidationError, match="lint code"):
        Finding(code="bias-1", severity="high", message="m")
    with pytest.raises(ValidationError, match="duplicate metric names"):
        CheckOutput(metrics=(Metric(name="a", value=1), Metric(name="a", value=2)))
    with pytest.raises(ValidationError, match="needs a reason"):
        CheckOutput(status="not_applicable")


def test_report_json_round_trip_and_schema(tmp_path) -> None:
    import jsonschema

    from tef_harness.reports.renderers.json_report import render_json, report_schema
    from tests.engine.report_factory import sample_report

    report = sample_report()
    text = render_json(report)
    again = ConformityReport.model_validate_json(text)
    assert again == report
    jsonschema.validate(json.loads(text), json.loads(report_schema()))
    with pytest.raises(ValidationError):
        ConformityReport.model_validate(report.model_dump() | {"verdict": "maybe"})


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("", ""),
        ("abc", "***"),
        ("abcd", "***d"),
        ("1234567", "******7"),
        ("12345678", "******78"),
        ("a" * 40, "*" * 38 + "aa"),
    ],
)
def test_mask_examples(value: str, masked: str) -> None:
    """Show at most min(2, len // 4) trailing characters."""
    assert mask(value) == masked
    assert mask("12345678", keep=1) == "*******8" and mask("12345678", keep=0) == "********"
