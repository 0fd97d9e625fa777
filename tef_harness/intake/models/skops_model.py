"""skops: the safe default. skops lists every type in the file that is not on its own safe
list; we refuse to load while any of them is not also approved in ``model.trusted_types``
(or ``--trust-type``) or on the shipped allow-list below.

The allow-list holds scikit-learn's own tree structures, which every tree model (random
forest, extra trees, gradient boosting, histogram gradient boosting) stores and which skops
leaves off its default safe list. skops does not unpickle them: it rebuilds a ``Tree`` by
calling the Cython constructor with three integers and restoring its node and value arrays
through its own array loader, and a ``TreePredictor`` by filling its ``nodes`` record array
and two binning arrays; no module, function or attribute name from the file is looked up
for them. Allowing exactly these type names (not a module prefix) lets a user audit a tree
model from flags alone without widening what a file can make the loader import; every
other type still needs a reviewed ``trusted_types`` entry. When the list is used the report
says so (``ModelRecord.metadata["allow_listed_types"]`` and a warning).
"""

from __future__ import annotations

import logging
from pathlib import Path

from tef_harness.intake.hashing import sha256_file
from tef_harness.intake.models.estimator import EstimatorAdapter
from tef_harness.sdk.errors import IntakeError
from tef_harness.sdk.model import ArtifactInfo, ModelAdapter

log = logging.getLogger(__name__)

#: ArtifactInfo.metadata key naming the allow-listed types a loaded file held
ALLOW_LISTED_KEY = "allow_listed_types"
#: scikit-learn's internal types that skops rebuilds from arrays (see the module docstring);
#: exact names, reviewed against scikit-learn 1.3-1.9 and skops 0.9-0.16
SKLEARN_INTERNAL_TYPES: tuple[str, ...] = (
    "sklearn.tree._tree.Tree",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
)


def untrusted_types(path: Path) -> list[str]:
    """skops' list of the file's types that are not on its own safe list, sorted.
    Raises IntakeError for a file skops cannot read."""
    import skops.io as sio

    try:
        return sorted(sio.get_untrusted_types(file=path))
    except Exception as exc:  # noqa: BLE001 - a corrupt archive raises many types
        raise IntakeError(f"not a readable skops file ({type(exc).__name__})", file=path, field="model.path") from None


def load_skops(path: Path, trusted_types: tuple[str, ...]) -> ModelAdapter:
    import skops.io as sio

    found = untrusted_types(path)
    allow_listed = [t for t in found if t in SKLEARN_INTERNAL_TYPES and t not in trusted_types]
    refused = [t for t in found if t not in trusted_types and t not in SKLEARN_INTERNAL_TYPES]
    if refused:
        raise IntakeError(
            "refusing untrusted types "
            + ", ".join(refused)
            + "; review them and list them under model.trusted_types (or pass --trust-type) to allow",
            file=path,
            field="model.trusted_types",
        )
    approved = [t for t in found if t not in allow_listed]
    if approved:
        log.warning("loading %s with approved types: %s", path, ", ".join(approved))
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
        metadata=_metadata(path, approved, allow_listed),
    )
    try:
        return EstimatorAdapter(estimator, info)
    except TypeError as exc:
        raise IntakeError(str(exc), file=path, field="model.path") from None


def _metadata(path: Path, approved: list[str], allow_listed: list[str]) -> dict[str, str]:
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
    if allow_listed:
        meta[ALLOW_LISTED_KEY] = ", ".join(allow_listed)
    return meta


def _describe(estimator: object) -> str:
    steps = getattr(estimator, "steps", None)
    if steps:
        return "Pipeline(" + " -> ".join(type(s).__name__ for _, s in steps) + ")"
    return type(estimator).__name__
