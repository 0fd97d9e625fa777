"""manifest.json and `tef report verify`: 0 intact, 1 tampered, 2 bad input."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from tef_harness.reports.schema import ConformityReport
from tef_harness.sdk.errors import ConfigError
from tests.cli.test_check_command import assert_input_error, tef


def _keypair(folder: Path, name: str) -> tuple[Path, Path]:
    key = Ed25519PrivateKey.generate()
    priv, pub = folder / f"{name}.pem", folder / f"{name}.pub.pem"
    priv.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    pub.write_bytes(key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo))
    return priv, pub


@pytest.fixture()
def keys(tmp_path: Path) -> tuple[Path, Path]:
    return _keypair(tmp_path, "signer")


def _folder(report: ConformityReport, tmp_path: Path, sign_key: Path | None = None) -> Path:
    from tef_harness.reports.commands import write_report_folder

    out = tmp_path / "out"
    write_report_folder(report, out, "json,md,junit", config_file=None, sign_key=sign_key)
    return out


def _verify(folder: Path, *extra: str) -> int:
    proc = tef("report", "verify", str(folder), *extra, cwd=folder.parent)
    assert "Traceback" not in proc.stderr
    return proc.returncode


def test_manifest_lists_every_file_with_its_digest(engine_report: ConformityReport, tmp_path: Path) -> None:
    out = _folder(engine_report, tmp_path)
    manifest = json.loads((out / "manifest.json").read_text())
    listed = {row["path"]: row["sha256"] for row in manifest["outputs"]}
    on_disk = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir() if p.name != "manifest.json"}
    assert listed == on_disk
    assert manifest["report_sha256"] == on_disk["report.json"]
    roles = {row["role"] for row in manifest["inputs"]}
    assert {"eval", "resolved_config"} <= roles
    assert manifest["signature"] is None


def test_intact_unsigned(engine_report: ConformityReport, tmp_path: Path) -> None:
    assert _verify(_folder(engine_report, tmp_path)) == 0


@pytest.mark.parametrize("change", ["edit", "add", "remove", "edit-manifest-digest"])
def test_tampering_is_detected(
    engine_report: ConformityReport, tmp_path: Path, keys: tuple[Path, Path], change: str
) -> None:
    priv, pub = keys
    out = _folder(engine_report, tmp_path, sign_key=priv)
    assert _verify(out, "--key", str(pub)) == 0
    if change == "edit":
        (out / "report.md").write_text((out / "report.md").read_text() + "\nAll good.\n")
    elif change == "add":
        (out / "extra.html").write_text("<p>hello</p>")
    elif change == "remove":
        (out / "junit.xml").unlink()
    else:
        # an attacker edits a file and the manifest's digest to match: the signature catches it
        md = out / "report.md"
        md.write_text("all good\n")
        manifest = json.loads((out / "manifest.json").read_text())
        for row in manifest["outputs"]:
            if row["path"] == "report.md":
                row["sha256"] = hashlib.sha256(md.read_bytes()).hexdigest()
        (out / "manifest.json").write_text(json.dumps(manifest))
    assert _verify(out, "--key", str(pub)) == 1


def test_signature_cases(engine_report: ConformityReport, tmp_path: Path, keys: tuple[Path, Path]) -> None:
    priv, pub = keys
    _, other_pub = _keypair(tmp_path, "other")
    signed = _folder(engine_report, tmp_path / "s", sign_key=priv)
    manifest = json.loads((signed / "manifest.json").read_text())
    assert manifest["signature"]["method"] == "ed25519"
    assert manifest["signature"]["library"].startswith("cryptography ")
    assert _verify(signed) == 0  # checked against the embedded key
    assert _verify(signed, "--key", str(pub)) == 0
    assert _verify(signed, "--key", str(other_pub)) == 1  # signed by someone else
    unsigned = _folder(engine_report, tmp_path / "u")
    assert _verify(unsigned, "--key", str(pub)) == 1  # a key was expected, no signature


def test_bad_input(engine_report: ConformityReport, tmp_path: Path) -> None:
    out = _folder(engine_report, tmp_path)
    assert_input_error(tef("report", "verify", str(tmp_path / "missing"), cwd=tmp_path), "missing")
    bad_key = tmp_path / "bad.pem"
    bad_key.write_text("not a key")
    assert_input_error(tef("report", "verify", str(out), "--key", str(bad_key), cwd=tmp_path), "bad.pem", "--key")
    (out / "manifest.json").write_text("{ truncated")
    assert_input_error(tef("report", "verify", str(out), cwd=tmp_path), "manifest.json", "not valid JSON")
    (out / "manifest.json").unlink()
    assert_input_error(tef("report", "verify", str(out), cwd=tmp_path), "no manifest.json")


def test_bad_signing_key_writes_nothing(engine_report: ConformityReport, tmp_path: Path) -> None:
    bad = tmp_path / "k.pem"
    bad.write_text("nope")
    with pytest.raises(ConfigError, match="--sign-key"):
        _folder(engine_report, tmp_path, sign_key=bad)
    assert not (tmp_path / "out").exists()


def test_report_files_get_ordinary_permissions(engine_report: ConformityReport, tmp_path: Path) -> None:
    import os
    import stat

    umask = os.umask(0o022)
    try:
        out = _folder(engine_report, tmp_path)
    finally:
        os.umask(umask)
    for p in out.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o644, p.name
