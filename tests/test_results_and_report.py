"""Result values validate on construction; masking never leaks; the report round-trips."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tef_harness.reports.schema import ConformityReport
from tef_harness.sdk.dimensions import decode_segment
from tef_harness.sdk.masking import redact
from tef_harness.sdk.results import CheckOutput, Finding, Interval, Metric, mask, metric_name


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_metric_is_rejected(value: float) -> None:
    with pytest.raises(ValidationError, match="finite"):
        Metric(name="x", value=value)


@pytest.mark.parametrize("name", ["a=b", "x:y", "", "é" * 0 + "a" * 251, "tab\tname"])
def test_names_mlflow_rejects_are_rejected(name: str) -> None:
    with pytest.raises(ValidationError):
        Metric(name=name, value=1.0)


@given(st.lists(st.text(min_size=0, max_size=30), min_size=1, max_size=4))
def test_metric_name_is_one_to_one_and_mlflow_accepts_it(parts: list[str]) -> None:
    """Each part is one segment that decodes back to the (masked) part: two different lists of
    parts never share a name (the old sanitiser mapped '61+' and '61-' both to '61_')."""
    name = metric_name(*parts)
    assert re.fullmatch(r"[\w.\-/ ]{1,250}", name)
    if len(name) < 250:
        assert tuple(decode_segment(seg) for seg in name.split("/")) == tuple((redact(p),) for p in parts)


def test_metric_name_examples() -> None:
    assert metric_name("dp_difference", "sex") == "dp_difference/sex"
    assert metric_name("share", "age_group", "F|40+") == "share/age_group/F_x7C40_x2B"
    assert metric_name("share", "age_group", "61+") != metric_name("share", "age_group", "61-")
    assert metric_name("a", "", "  ") == "a/_xFF/  "
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
    with pytest.raises(ValidationError, match="two metrics derive the same name 'a'"):
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
