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


def _verify(folder: Path, *extra: str, env_key: Path | None = None) -> int:
    import os
    import subprocess

    from tests.cli.test_check_command import TEF

    env = {k: v for k, v in os.environ.items() if k != "TEF_VERIFY_KEY"}
    if env_key is not None:
        env["TEF_VERIFY_KEY"] = str(env_key)
    proc = subprocess.run(
        [TEF, "report", "verify", str(folder), *extra], cwd=folder.parent, env=env, capture_output=True, text=True
    )
    assert "Traceback" not in proc.stderr
    if proc.returncode == 4:
        assert "UNVERIFIED" in proc.stderr
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


def test_intact_unsigned_is_unauthenticated(engine_report: ConformityReport, tmp_path: Path) -> None:
    """Digests match, but an unsigned manifest is what a forger writes too: exit 4, never 0."""
    assert _verify(_folder(engine_report, tmp_path)) == 4


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
    assert _verify(signed) == 4  # consistent with its embedded key, but no trusted key: unverified
    assert _verify(signed, "--key", str(pub)) == 0
    assert _verify(signed, env_key=pub) == 0  # the trusted key from the environment
    assert _verify(signed, env_key=other_pub) == 1
    assert _verify(signed, "--key", str(other_pub)) == 1  # signed by someone else
    unsigned = _folder(engine_report, tmp_path / "u")
    assert _verify(unsigned, "--key", str(pub)) == 1  # a key was expected, no signature


def test_a_forger_who_re_signs_is_caught_only_by_a_trusted_key(
    engine_report: ConformityReport, tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    """Edit a file, rewrite the manifest's digest and re-sign it with the forger's own key
    (embedded in the manifest): self-consistent, so without a trusted key it is exit 4
    (never 0); with the signer's real public key it is tampered (1)."""
    import base64

    from tef_harness.reports.sinks.manifest import sign_manifest

    priv, pub = keys
    forger_priv, _ = _keypair(tmp_path, "forger")
    out = _folder(engine_report, tmp_path, sign_key=priv)
    md = out / "report.md"
    md.write_text("## Conformity report: **conformant**\n")
    manifest = json.loads((out / "manifest.json").read_text())
    for row in manifest["outputs"]:
        if row["path"] == "report.md":
            row["sha256"] = hashlib.sha256(md.read_bytes()).hexdigest()
    forged = sign_manifest({**manifest, "signature": None}, forger_priv)
    assert base64.b64decode(forged["signature"]["public_key"]) != base64.b64decode(manifest["signature"]["public_key"])
    (out / "manifest.json").write_text(json.dumps(forged))
    assert _verify(out) == 4
    assert _verify(out, "--key", str(pub)) == 1
    assert _verify(out, env_key=pub) == 1


def test_bad_input(engine_report: ConformityReport, tmp_path: Path) -> None:
    out = _folder(engine_report, tmp_path)
    assert_input_error(tef("report", "verify", str(tmp_path / "missing"), cwd=tmp_path), "missing")
    bad_key = tmp_path / "bad.pem"
    bad_key.write_text("not a key")
    assert_input_error(tef("report", "verify", str(out), "--key", str(bad_key), cwd=tmp_path), "bad.pem", "--key")
    import os
    import subprocess

    from tests.cli.test_check_command import TEF

    env = {**os.environ, "TEF_VERIFY_KEY": str(bad_key)}
    proc = subprocess.run([TEF, "report", "verify", str(out)], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert_input_error(proc, "bad.pem", "TEF_VERIFY_KEY")
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
