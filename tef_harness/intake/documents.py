"""Text documents (model card, technical documentation, datasheet) taken in once, safely.

A card is read as strict UTF-8 with a size cap: an auditor's tool must not hang on a 50 MB
file or guess at an encoding and then quote mojibake back as evidence.
"""

from __future__ import annotations

from pathlib import Path

from tef_harness.intake.hashing import sha256_file
from tef_harness.sdk.data import TextDocument
from tef_harness.sdk.errors import IntakeError

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


def read_document(path: Path, *, role: str, field: str, max_bytes: int = MAX_DOCUMENT_BYTES) -> TextDocument:
    if not path.exists():
        raise IntakeError("file not found", file=path, field=field)
    if not path.is_file():
        raise IntakeError("not a regular file", file=path, field=field)
    size = path.stat().st_size
    if size > max_bytes:
        raise IntakeError(
            f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit for a document",
            file=path,
            field=field,
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise IntakeError(
            f"not valid UTF-8 (line {line}, byte offset {exc.start}); save the file as UTF-8",
            file=path,
            field=field,
        ) from None
    if not text.strip():
        raise IntakeError("document is empty", file=path, field=field)
    return TextDocument(role=role, path=str(path), sha256=sha256_file(path), text=text)
