"""Which files of a report folder belong to the audit: what the MLflow sink logs, and what an
earlier audit left that a new one removes.

A report folder is shared with whatever else is in it: a file the user put there, a temp file
of a crashed writer, or an output of an earlier audit that this one did not render (a
``report.pdf`` from a run with the pdf extra, beside a newer ``report.json``). Only the
outputs the folder's ``manifest.json`` lists belong to its audit, and only while their bytes
still have the listed sha256, so a file is never logged, or deleted, on its name alone.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

REPORT = "report.json"
MANIFEST = "manifest.json"


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def listed_outputs(folder: Path) -> dict[str, str]:
    """``{file name: sha256}`` of the outputs ``folder/manifest.json`` lists (empty without a
    readable manifest). Only plain names in the folder itself: a listed path that is absolute or
    has a folder part is not the writer's and is left out."""
    try:
        data: Any = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    rows = data.get("outputs") if isinstance(data, dict) else None
    listed: dict[str, str] = {}
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        name, sha = row.get("path"), row.get("sha256")
        if isinstance(name, str) and isinstance(sha, str) and name == Path(name).name and name not in ("", ".", ".."):
            listed[name] = sha
    return listed


def audit_files(folder: Path, report_sha256: str) -> list[Path]:
    """The files to log for the report whose bytes have ``report_sha256``: ``report.json``, and,
    when the folder's manifest lists ``report.json`` with that sha256, every other output it
    lists whose bytes still match, and the manifest itself. Sorted by name."""
    files = [folder / REPORT]
    listed = listed_outputs(folder)
    if listed.get(REPORT) != report_sha256:
        return files  # no manifest, or another audit's: nothing else is known to be this report's
    files += [folder / name for name, sha in listed.items() if name != REPORT and _sha256(folder / name) == sha]
    files.append(folder / MANIFEST)
    return sorted(files, key=lambda p: p.name)


def drop_stale_outputs(folder: Path, written: set[str]) -> list[str]:
    """Delete the outputs the folder's current (earlier) manifest lists that this audit did not
    write again (``written``: the names it wrote), each only while its bytes are the listed
    ones: a file edited or replaced since is the user's and stays. Call after the new outputs
    are written and before the new manifest is. Returns the names deleted."""
    dropped = []
    for name, sha in listed_outputs(folder).items():
        path = folder / name
        if name in written or name == MANIFEST or not path.is_file() or _sha256(path) != sha:
            continue
        path.unlink(missing_ok=True)
        dropped.append(name)
    return sorted(dropped)
