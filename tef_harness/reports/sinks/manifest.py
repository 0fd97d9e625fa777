"""Tamper evidence for a report folder (Annex IV 2(g) asks for dated and signed test reports).

``manifest.json`` lists the sha256 of every file ``tef check`` wrote and of every input it
read (model artifact, data, documents, config file), and the digest of report.json. With a
signing key it carries an Ed25519 signature over its own canonical JSON (sorted keys, no
whitespace, the ``signature`` member left out), made with ``cryptography``.

Why not OpenSSF's ``model-signing`` (evaluated, version 1.1.1, November 2026): it does sign
and verify a folder offline with a private key (the bundle's tlogEntries stay empty) and it
caught an edited file; but it takes only NIST P-256/384/521 keys (an Ed25519 key fails with
AttributeError), its wheel imports pyOpenSSL without declaring it (a fresh install fails on
import), and it brings 39 packages (sigstore, tuf, protobuf, ...) for one signature over one
small document. The manifest records the method, so a later version can add model-signing
and still verify old folders.

``verify_folder`` answers: intact and authenticated (0), tampered (1: a file edited, added or
removed, a bad or missing signature), bad input (raises IntakeError -> exit 2), or intact but
unauthenticated (4).

Why "intact" is not enough without a trusted key: whoever can edit the folder can also rewrite
manifest.json with matching digests, and sign it with a key of their own, which they embed in
it. Checking the signature against the embedded key therefore proves only that the folder is
self-consistent, never who produced it. So authenticity needs a public key the verifier already
trusts (``--key`` or ``TEF_VERIFY_KEY``); without one, the digests and the embedded signature
are still checked (an inconsistency is tampering, exit 1), and a consistent folder is exit 4,
"unauthenticated", never 0, so that ``tef report verify DIR && publish`` cannot be satisfied by
a forgery.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tef_harness import __version__
from tef_harness.intake.hashing import sha256_file
from tef_harness.reports.schema import ConformityReport
from tef_harness.sdk.errors import ConfigError, IntakeError

MANIFEST = "manifest.json"
MANIFEST_VERSION = "1"
SIGNATURE_METHOD = "ed25519"


def canonical(payload: dict[str, Any]) -> bytes:
    """The bytes that are signed: the manifest without its signature, canonical JSON."""
    body = {k: v for k, v in payload.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def input_records(report: ConformityReport, config_file: Path | None) -> list[dict[str, str]]:
    """Every input the run read, with the digest taken when it was read (from the report)."""
    rows: list[dict[str, str]] = []
    if report.subject.model is not None:
        m = report.subject.model
        rows.append({"role": "model", "path": m.path, "sha256": m.sha256})
    rows += [{"role": f.role, "path": f.path, "sha256": f.sha256} for f in report.subject.files]
    if config_file is not None and config_file.is_file():
        rows.append({"role": "config", "path": str(config_file), "sha256": sha256_file(config_file)})
    rows.append({"role": "resolved_config", "path": "(report.json: config)", "sha256": report.subject.config_sha256})
    return rows


def build_manifest(
    report: ConformityReport, folder: Path, outputs: list[Path], config_file: Path | None = None
) -> dict[str, Any]:
    """The manifest (unsigned) for files already written in ``folder``."""
    files = sorted(outputs, key=lambda p: p.name)
    report_json = folder / "report.json"
    return {
        "manifest_version": MANIFEST_VERSION,
        "tool": f"tef-harness {__version__}",
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "run_id": report.run_id,
        "verdict": report.verdict.value,
        "report_sha256": sha256_file(report_json) if report_json.is_file() else None,
        "outputs": [
            {"path": p.relative_to(folder).as_posix(), "sha256": sha256_file(p), "bytes": p.stat().st_size}
            for p in files
        ],
        "inputs": input_records(report, config_file),
        "signature": None,
    }


def load_private_key(path: Path) -> Any:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise ConfigError("no such file", file=path, field="--sign-key") from None
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"not an unencrypted PEM private key ({exc})", file=path, field="--sign-key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError("not an Ed25519 key (openssl genpkey -algorithm ed25519)", file=path, field="--sign-key")
    return key


def _public_key(path: Path, field: str = "--key") -> Any:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    try:
        key = load_pem_public_key(path.read_bytes())
    except FileNotFoundError:
        raise IntakeError("no such file", file=path, field=field) from None
    except (ValueError, TypeError) as exc:
        raise IntakeError(f"not a PEM public key ({exc})", file=path, field=field) from None
    if not isinstance(key, Ed25519PublicKey):
        raise IntakeError("not an Ed25519 public key", file=path, field=field)
    return key


def _raw_public(key: Any) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw: bytes = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return raw


def sign_manifest(manifest: dict[str, Any], key_path: Path) -> dict[str, Any]:
    """A copy of ``manifest`` with an Ed25519 signature over its canonical form."""
    import hashlib
    from importlib.metadata import version

    key = load_private_key(key_path)
    public = _raw_public(key.public_key())
    signed = dict(manifest)
    signed["signature"] = {
        "method": SIGNATURE_METHOD,
        "library": f"cryptography {version('cryptography')}",
        "public_key": base64.b64encode(public).decode(),
        "public_key_sha256": hashlib.sha256(public).hexdigest(),
        "value": base64.b64encode(key.sign(canonical(manifest))).decode(),
    }
    return signed


def write_manifest(manifest: dict[str, Any], folder: Path) -> Path:
    from tef_harness.reports.sinks.files import write_atomic

    return write_atomic(folder / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")


# --- verification --------------------------------------------------------------------------


@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: the signature is valid under a key the verifier trusts (given, not read from the manifest)
    authenticated: bool = False

    @property
    def intact(self) -> bool:
        return not self.problems


def _read_manifest(folder: Path) -> dict[str, Any]:
    if not folder.is_dir():
        raise IntakeError("not a folder (give the report folder that holds manifest.json)", file=folder)
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IntakeError("no manifest.json in this folder", file=folder) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IntakeError(f"not valid JSON ({exc})", file=path) from None
    outputs = data.get("outputs") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("manifest_version") != MANIFEST_VERSION or not isinstance(outputs, list):
        raise IntakeError(f"not a tef-harness manifest (version {MANIFEST_VERSION} with outputs)", file=path)
    for i, row in enumerate(outputs):
        if not (isinstance(row, dict) and isinstance(row.get("path"), str) and isinstance(row.get("sha256"), str)):
            raise IntakeError("each output needs a path and a sha256", file=path, field=f"outputs[{i}]")
    return data


def verify_folder(folder: Path, public_key: Path | None = None, *, key_field: str = "--key") -> Verification:
    """Check every listed file, look for unlisted ones, and check the signature; with
    ``public_key`` (a trusted key) the folder can be authenticated, without it never.

    Raises IntakeError for bad input (no folder, no or unreadable manifest, unreadable key).
    """
    data = _read_manifest(folder)
    key = _public_key(public_key, key_field) if public_key is not None else None
    v = Verification()
    listed: set[str] = set()
    for row in data["outputs"]:
        rel = row["path"]
        listed.add(rel)
        target = folder / rel
        # a manifest naming a path outside the folder is itself tampering
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            v.problems.append(f"{rel}: path outside the report folder")
            continue
        if not target.is_file():
            v.problems.append(f"{rel}: removed")
        elif sha256_file(target) != row["sha256"]:
            v.problems.append(f"{rel}: edited (sha256 differs)")
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_file() and rel != MANIFEST and rel not in listed:
            v.problems.append(f"{rel}: added (not in the manifest)")
    report_sha = data.get("report_sha256")
    row = next((r for r in data["outputs"] if r["path"] == "report.json"), None)
    if report_sha is not None and (row is None or row["sha256"] != report_sha):
        v.problems.append("report_sha256 does not match the listed report.json")
    _check_signature(data, key, v)
    return v


def _check_signature(data: dict[str, Any], key: Any, v: Verification) -> None:
    import hashlib

    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    sig = data.get("signature")
    if not sig:
        if key is not None:
            v.problems.append("signature: missing (a key was given, the manifest is unsigned)")
        else:
            v.notes.append("the manifest is not signed: authenticity unverified")
        return
    if not isinstance(sig, dict) or sig.get("method") != SIGNATURE_METHOD:
        v.problems.append(
            f"signature: unknown method {str(sig.get('method') if isinstance(sig, dict) else sig)[:40]!r}"
        )
        return
    try:
        value = base64.b64decode(str(sig.get("value", "")), validate=True)
        embedded = base64.b64decode(str(sig.get("public_key", "")), validate=True)
    except ValueError:
        v.problems.append("signature: not base64")
        return
    if key is None:
        try:
            key = Ed25519PublicKey.from_public_bytes(embedded)
        except ValueError:
            v.problems.append("signature: the embedded public key is malformed")
            return
        fingerprint = hashlib.sha256(embedded).hexdigest()[:16]
        v.notes.append(
            f"signature consistent with the key the manifest itself names (sha256 {fingerprint}…), "
            "which anyone who rewrote the folder could have put there: authenticity unverified; "
            "pass --key (or set TEF_VERIFY_KEY) with the signer's public key"
        )
        trusted = False
    else:
        trusted = True
        if _raw_public(key) != embedded:
            v.notes.append("the manifest names a different public key than the trusted one")
    try:
        key.verify(value, canonical(data))
    except InvalidSignature:
        v.problems.append("signature: does not match the manifest (bad signature or edited manifest)")
        return
    v.authenticated = trusted
    if trusted:
        v.notes.append("signature valid under the trusted key")
