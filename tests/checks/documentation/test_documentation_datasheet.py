"""documentation.datasheet, registration, and bad input at intake."""

from __future__ import annotations

import pytest
from documentation_testkit import context

from tef_harness.checks.documentation.datasheet import DatasheetCompleteness, DatasheetParams
from tef_harness.engine.registry import discover
from tef_harness.intake.documents import read_document
from tef_harness.sdk.errors import IntakeError
from tef_harness.sdk.results import Severity
from tef_harness.testing import assert_check_contract


def run(datasheet):
    return DatasheetCompleteness().run(context({"datasheet": datasheet}), DatasheetParams())


def test_contract():
    assert assert_check_contract(DatasheetCompleteness) is None  # no datasheet: not applicable
    assert assert_check_contract(DatasheetCompleteness, context({"datasheet": "datasheet.md"})) is not None


def test_complete_datasheet():
    out = run("datasheet.md")
    assert out.metrics[0].value == 1.0 and not out.findings


def test_partial_yaml_datasheet():
    out = run("datasheet_partial.yaml")
    states = {r["id"]: r["state"] for r in out.details["items"]}
    assert states == {
        "DS-motivation": "present",
        "DS-composition": "present",
        "DS-collection": "placeholder",  # TBD
        "DS-preprocessing": "placeholder",  # key with no value
        "DS-uses": "placeholder",  # a bare N/A
        "DS-distribution": "missing",
        "DS-maintenance": "missing",
    }
    high = sorted(f.data["item"] for f in out.findings if f.severity is Severity.HIGH)
    assert high == ["DS-collection", "DS-preprocessing"]  # the Annex IV 2(d) sections
    assert all(f.data["requirement"] == "EU-AI-Act:AnnexIV-2(d)" for f in out.findings if f.severity is Severity.HIGH)


def test_documentation_checks_are_registered():
    found = discover().by_id()
    for check_id in ("documentation.completeness", "documentation.consistency", "documentation.datasheet"):
        assert check_id in found and found[check_id].builtin
        assert_check_contract(found[check_id].cls)


# -- bad input is refused at intake (tef_harness.intake.documents) ----------------------------------------
def test_non_utf8_card(tmp_path):
    path = tmp_path / "card.md"
    path.write_bytes(b"# Card\n\nCaf\xe9 au lait\n")
    with pytest.raises(IntakeError, match=r"not valid UTF-8 \(line 3") as err:
        read_document(path, role="card", field="documents.card")
    assert err.value.file == str(path)


def test_empty_card(tmp_path):
    path = tmp_path / "card.md"
    path.write_text("  \n\n")
    with pytest.raises(IntakeError, match="empty"):
        read_document(path, role="card", field="documents.card")


def test_oversized_card(tmp_path):
    path = tmp_path / "card.md"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    with pytest.raises(IntakeError, match="over the 5 MB limit"):
        read_document(path, role="card", field="documents.card")
