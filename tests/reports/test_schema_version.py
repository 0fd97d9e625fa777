"""``tef report schema`` moves with the report: version 2.0 and the fields it added."""

from __future__ import annotations

import json
from pathlib import Path

from tef_harness.reports.schema import SCHEMA_VERSION
from tests.cli.test_check_command import tef


def test_the_printed_schema_is_the_current_version(tmp_path: Path) -> None:
    proc = tef("report", "schema", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    schema = json.loads(proc.stdout)
    assert SCHEMA_VERSION == "2.0"
    assert schema["$id"].endswith("conformity-report-2.0.json")
    assert schema["properties"]["schema_version"]["const"] == "2.0"
    assert "not_run" in schema["properties"]
    defs = schema["$defs"]
    assert "description" in defs["CheckResult"]["properties"]
    assert "dtypes" in defs["FileRecord"]["properties"]
    assert set(defs["NotRunReason"]["enum"]) == {"not_selected", "disabled", "not_applicable"}
    # issue 13's fields, which came without a bump, are in this version's schema
    assert {"insufficient", "exclusive", "basis"} <= set(defs["ThresholdOutcome"]["properties"])
    assert "undefined" in defs["CheckResult"]["properties"]
