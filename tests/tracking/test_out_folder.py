"""The report folder holds the audit's documented outputs and nothing the tracking step adds,
and the MLflow run holds this audit's files only: not a user's file, a crashed writer's temp
file, or an earlier audit's output left in the same folder."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tef_harness.reports.sinks.audit_files import audit_files, drop_stale_outputs, listed_outputs
from tests.conftest import Artifacts
from tests.tracking.conftest import Server, tef

#: the outputs the README documents for `tef check --out` (report.pdf needs the pdf extra)
DOCUMENTED = {"report.json", "report.html", "report.md", "junit.xml", "manifest.json", "report.pdf"}


def _manifest(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (folder / name).write_bytes(data)
    rows = [{"path": n, "sha256": hashlib.sha256(d).hexdigest(), "bytes": len(d)} for n, d in files.items()]
    (folder / "manifest.json").write_text(json.dumps({"manifest_version": "1", "outputs": rows}))


def test_only_outputs_the_manifest_vouches_for_are_the_audits(tmp_path: Path) -> None:
    _manifest(tmp_path, {"report.json": b"{}", "report.md": b"# r", "junit.xml": b"<x/>"})
    (tmp_path / "notes.txt").write_text("the user's")
    (tmp_path / ".report.html.k2j3.tmp").write_text("a crashed writer's")
    (tmp_path / "junit.xml").write_bytes(b"<edited/>")  # changed since the manifest was written
    digest = hashlib.sha256(b"{}").hexdigest()
    assert [p.name for p in audit_files(tmp_path, digest)] == ["manifest.json", "report.json", "report.md"]
    # a manifest of another report.json vouches for nothing here
    assert [p.name for p in audit_files(tmp_path, hashlib.sha256(b"[]").hexdigest())] == ["report.json"]
    (tmp_path / "manifest.json").write_text("not json")
    assert [p.name for p in audit_files(tmp_path, digest)] == ["report.json"]


def test_listed_outputs_are_plain_names_in_the_folder(tmp_path: Path) -> None:
    rows = [{"path": p, "sha256": "0" * 64} for p in ("report.json", "../x", "/etc/passwd", "sub/y", "", "..")]
    (tmp_path / "manifest.json").write_text(json.dumps({"outputs": [*rows, "junk", {"path": 3}]}))
    assert listed_outputs(tmp_path) == {"report.json": "0" * 64}


def test_stale_outputs_are_dropped_only_while_unchanged(tmp_path: Path) -> None:
    _manifest(tmp_path, {"report.json": b"{}", "report.md": b"# r", "junit.xml": b"<x/>", "report.pdf": b"%PDF"})
    (tmp_path / "report.pdf").write_bytes(b"%PDF edited by the user")
    (tmp_path / "notes.txt").write_text("the user's")
    # this audit wrote report.json (new bytes) only
    (tmp_path / "report.json").write_bytes(b'{"new": 1}')
    assert drop_stale_outputs(tmp_path, {"report.json"}) == ["junit.xml", "report.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json", "notes.txt", "report.json", "report.pdf"]


@pytest.mark.slow
def test_tracked_check_leaves_only_documented_outputs_and_logs_only_them(
    artifacts: Artifacts, tmp_path: Path, mlflow_server: Server, client
) -> None:
    (tmp_path / "tef.toml").write_text(artifacts.config('[tracking]\nexperiment = "t/out"\n'), encoding="utf-8")
    out = tmp_path / "out"
    first = tef("check", "--only", "performance.metrics", "--no-tracking", cwd=tmp_path)
    assert first.returncode in (0, 1), first.stderr
    earlier = {p.name for p in out.iterdir()}
    assert {"report.json", "report.md", "junit.xml", "manifest.json"} <= earlier <= DOCUMENTED
    # what else may be in a report folder: a user's file, a crashed writer's temp file
    (out / "notes.txt").write_text("mine")
    (out / ".report.json.abc123.tmp").write_text("{")
    proc = tef(
        "check", "--only", "performance.metrics", "--format", "json,html",
        "--tracking-uri", mlflow_server.uri, cwd=tmp_path,
    )
    assert proc.returncode in (0, 1), proc.stderr
    # the earlier audit's report.md and junit.xml (and pdf) are gone: they were not this audit's
    left = {p.name for p in out.iterdir()}
    assert left == {"report.json", "report.html", "manifest.json", "notes.txt", ".report.json.abc123.tmp"}
    dropped = sorted(earlier - {"report.json", "report.html", "manifest.json"})
    for name in dropped:
        assert f"removed {name} of an earlier audit" in proc.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert sorted(o["path"] for o in manifest["outputs"]) == ["report.html", "report.json"]
    # nothing of the tracking step is in the working folder but the embedded-store files it
    # documents, and none here (a server was given)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "tef.toml"]
    # the run holds the manifest's outputs, the manifest and the sink's own files: no stray file
    exp = client.get_experiment_by_name("t/out")
    (run,) = client.search_runs([exp.experiment_id])
    top = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert top == {"report.json", "report.html", "manifest.json", "tef-summary.md", "findings.json", "plots"}
    for name in ("report.json", "report.html", "manifest.json"):
        logged = Path(client.download_artifacts(run.info.run_id, name, str(tmp_path.parent / f"dl-{tmp_path.name}")))
        assert logged.read_bytes() == (out / name).read_bytes()
