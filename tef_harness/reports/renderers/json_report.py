"""JSON rendering: the canonical, machine-readable form of a report."""

from __future__ import annotations

import json
from typing import ClassVar

from tef_harness.reports.schema import SCHEMA_VERSION, ConformityReport


def render_json(report: ConformityReport) -> str:
    return report.model_dump_json(indent=2) + "\n"


def report_schema() -> str:
    """JSON Schema of the report, for consumers that validate what they read."""
    schema = ConformityReport.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://tef-harness.invalid/schema/conformity-report-{SCHEMA_VERSION}.json"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


class JsonRenderer:
    """report.json, the canonical record every other format is rendered from."""

    name: ClassVar[str] = "json"
    filename: ClassVar[str] = "report.json"

    def unavailable(self) -> str | None:
        return None

    def render(self, report: ConformityReport) -> str:
        return render_json(report)
