"""Read a saved report.json back into a ConformityReport, for ``tef report render``.

The file may come from anywhere (an artifact store, an e-mail), so every way it can be wrong
is an IntakeError naming the file and what is wrong: not JSON (often a truncated copy), not a
report, a report of a newer schema than this version reads, a field that does not validate.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from tef_harness.reports.schema import SCHEMA_VERSION, ConformityReport
from tef_harness.sdk.errors import IntakeError

#: a report is a few MB at most; refuse to parse something far larger
MAX_BYTES = 200 * 1024 * 1024


def _version(text: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(p) for p in text.split("."))
    except ValueError:
        return None


def load_report(path: Path) -> ConformityReport:
    """Parse and validate ``path``. Raises IntakeError (one line, naming the file) on any problem."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise IntakeError(f"{size / 1e6:.0f} MB is too large for a report", file=path)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise IntakeError("no such file", file=path) from None
    except IsADirectoryError:
        raise IntakeError("is a folder; give the report.json inside it", file=path) from None
    except OSError as exc:
        raise IntakeError(f"cannot read: {exc.strerror}", file=path) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise IntakeError("not UTF-8 text, so not a report.json", file=path) from None
    except json.JSONDecodeError as exc:
        hint = " (the file looks truncated)" if exc.pos >= len(raw.rstrip()) - 1 else ""
        raise IntakeError(f"not valid JSON at line {exc.lineno} column {exc.colno}{hint}", file=path) from None
    if not isinstance(data, dict) or "schema_version" not in data or "verdict" not in data:
        raise IntakeError("not a tef-harness report (no schema_version and verdict at the top level)", file=path)
    found = data["schema_version"]
    found_v = _version(str(found))
    ours = _version(SCHEMA_VERSION)
    if found_v is None:
        raise IntakeError(f"unreadable schema version {str(found)[:20]!r}", file=path, field="schema_version")
    if ours is not None and found_v > ours:
        raise IntakeError(
            f"report schema {found} is newer than this tef-harness reads ({SCHEMA_VERSION}); upgrade tef-harness",
            file=path,
            field="schema_version",
        )
    if found_v != ours:
        # an older schema's fields meant other things (or were missing): refuse rather than guess
        raise IntakeError(
            f"report schema {found} is older than this tef-harness reads ({SCHEMA_VERSION}); "
            "render it with the tef-harness version that wrote it, or re-run the audit",
            file=path,
            field="schema_version",
        )
    try:
        return ConformityReport.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise IntakeError(f"{err['msg']}{more}", file=path, field=where) from None
