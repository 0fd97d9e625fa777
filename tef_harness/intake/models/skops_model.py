"""skops: the safe default. skops lists every type in the file that is not on its own safe
list; we refuse to load while any of them is not also approved in ``model.trusted_types``."""

from __future__ import annotations

import logging
from pathlib import Path

from tef_harness.intake.hashing import sha256_file
from tef_harness.intake.models.estimator import EstimatorAdapter
from tef_harness.sdk.errors import IntakeError
from tef_harness.sdk.model import ArtifactInfo, ModelAdapter

log = logging.getLogger(__name__)


def load_skops(path: Path, trusted_types: tuple[str, ...]) -> ModelAdapter:
    import skops.io as sio

    try:
        found = sorted(sio.get_untrusted_types(file=path))
    except Exception as exc:  # noqa: BLE001 - a corrupt archive raises many types
        raise IntakeError(f"not a readable skops file ({type(exc).__name__})", file=path, field="model.path") from None
    refused = [t for t in found if t not in trusted_types]
    if refused:
        raise IntakeError(
            "refusing untrusted types "
            + ", ".join(refused)
            + "; review them and list them under model.trusted_types to allow",
            file=path,
            field="model.trusted_types",
        )
    if found:
        log.warning("loading %s with approved types: %s", path, ", ".join(found))
    try:
        estimator = sio.load(path, trusted=found)
    except Exception as exc:  # noqa: BLE001
        raise IntakeError(
            f"cannot load skops file ({type(exc).__name__}: {exc})", file=path, field="model.path"
        ) from None
    info = ArtifactInfo(
        adapter="skops",
        path=str(path),
        sha256=sha256_file(path),
        description=_describe(estimator),
        metadata=_metadata(path, found),
    )
    try:
        return EstimatorAdapter(estimator, info)
    except TypeError as exc:
        raise IntakeError(str(exc), file=path, field="model.path") from None


def _metadata(path: Path, approved: list[str]) -> dict[str, str]:
    """What the archive says about how it was written (its schema records the skops version)."""
    import json
    import zipfile

    meta: dict[str, str] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            schema = json.loads(archive.read("schema.json"))
        if isinstance(schema.get("_skops_version"), str):
            meta["skops"] = schema["_skops_version"]
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        pass
    if approved:
        meta["approved_types"] = ", ".join(approved)
    return meta


def _describe(estimator: object) -> str:
    steps = getattr(estimator, "steps", None)
    if steps:
        return "Pipeline(" + " -> ".join(type(s).__name__ for _, s in steps) + ")"
    return type(estimator).__name__
