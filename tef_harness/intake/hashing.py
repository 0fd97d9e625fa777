"""Digests for provenance: the report must let an auditor prove which bytes were tested."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def sha256_tree(path: Path) -> str:
    """Digest of a folder (an MLflow model): relative paths and contents, in sorted order."""
    h = hashlib.sha256()
    for p in sorted(q for q in path.rglob("*") if q.is_file()):
        h.update(p.relative_to(path).as_posix().encode())
        h.update(b"\0")
        h.update(sha256_file(p).encode())
    return h.hexdigest()


def _plain(value: object) -> object:
    # a frozen mapping (a report's config) digests as the dict it stands for; tuples already
    # serialise as arrays; anything else by its text, as before
    return dict(value) if isinstance(value, Mapping) else str(value)


def sha256_json(value: object) -> str:
    """Digest of a JSON-able value in canonical form (sorted keys, no whitespace)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
