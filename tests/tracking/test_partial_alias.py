"""A partial audit (``--only``) never moves ``register_alias`` onto a model version: deployment
pulls by alias, and a version audited on 1 of 16 checks has not passed the gate. It still tags
the version (with ``tef.coverage`` saying partial), leaves an alias already on that version
there, removes it when non-conformant, and says in one stderr line that it did not move it,
through ``tef check`` (tracking worker), ``tef report sync`` and a worker driven directly."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Artifacts
from tests.tracking.conftest import Server, free_port, register_versions, tef, tracking_env

pytestmark = pytest.mark.slow

NAME = "tef-partial-alias"
ALIAS = "tef-conformant"
FAIL = '[checks."performance.metrics"]\nthresholds = [{ metric = "accuracy", min = 0.9999 }]\n'


@pytest.fixture(scope="module")
def versions(artifacts: Artifacts, mlflow_server: Server) -> list[str]:
    import joblib

    return register_versions(joblib.load(artifacts.pickle), mlflow_server, NAME, "t/partial-alias-setup", 2)


def _partial_check(
    artifacts: Artifacts, folder: Path, model_uri: str, *args: str, extra_toml: str = "", env: dict | None = None
):
    folder.mkdir()
    cfg = artifacts.config(f'[tracking]\nregister_alias = "{ALIAS}"\n' + extra_toml)
    (folder / "tef.toml").write_text(cfg, encoding="utf-8")
    return tef(
        "check", "--model-uri", model_uri, "--trust-artifact", "--only", "performance.metrics", *args, cwd=folder,
        env=env,
    )


def _partial(folder: Path) -> tuple[str, dict]:
    """``N of M`` as the report's coverage gives it (checked partial, one check selected), and the report."""
    report = json.loads((folder / "out" / "report.json").read_text())
    cov = report["coverage"]
    assert cov["partial"] is True and cov["checks_selected"] == 1
    # every check the profile runs is selected or left out by --only, none twice
    assert "performance.metrics" not in cov["not_selected"]
    assert cov["checks_in_profile"] == 1 + len(cov["not_selected"]) > 1
    return f"1 of {cov['checks_in_profile']}", report


def _alias(client, name: str) -> str | None:
    found = client.get_registered_model(name).aliases.get(ALIAS)
    return None if found is None else str(found)


def test_partial_conformant_audit_tags_the_version_but_leaves_the_alias(
    artifacts: Artifacts, tmp_path: Path, mlflow_server: Server, client, versions: list[str]
) -> None:
    v1, v2 = versions
    client.set_registered_model_alias(NAME, ALIAS, v1)
    proc = _partial_check(artifacts, tmp_path / "a", f"models:/{NAME}/{v2}", "--tracking-uri", mlflow_server.uri)
    assert proc.returncode == 0, proc.stderr  # the judge's exit code: --only on purpose can pass
    of, report = _partial(tmp_path / "a")
    assert report["verdict"] == "conformant"
    mv = client.get_model_version(NAME, v2)
    raw = (tmp_path / "a" / "out" / "report.json").read_bytes()
    assert mv.tags["tef.verdict"] == "conformant"
    assert mv.tags["tef.coverage"] == f"partial: {of} checks"
    assert mv.tags["tef.report_digest"] == hashlib.sha256(raw).hexdigest()
    assert _alias(client, NAME) == v1  # still on the version a full audit put it on
    lines = proc.stderr.splitlines()
    tagged = lines.index(f"tef: tagged model version {NAME}/{v2}")
    assert lines[tagged + 1] == f"tef: alias '{ALIAS}' not moved onto {NAME}/{v2}: partial audit ({of} checks)"

    # the alias already on the audited version: a partial conformant run leaves it there
    client.set_registered_model_alias(NAME, ALIAS, v2)
    again = _partial_check(artifacts, tmp_path / "b", f"models:/{NAME}@{ALIAS}", "--tracking-uri", mlflow_server.uri)
    assert again.returncode == 0, again.stderr
    of, _ = _partial(tmp_path / "b")
    assert _alias(client, NAME) == v2
    assert (
        f"tef: alias '{ALIAS}' stays on {NAME}/{v2}, where it already was: not moved by a partial audit ({of} checks)"
        in again.stderr.splitlines()
    )
    assert "not moved onto" not in again.stderr


def test_partial_non_conformant_audit_removes_the_alias_from_the_version(
    artifacts: Artifacts, tmp_path: Path, mlflow_server: Server, client, versions: list[str]
) -> None:
    v1, v2 = versions
    client.set_registered_model_alias(NAME, ALIAS, v2)
    proc = _partial_check(
        artifacts, tmp_path / "bad", f"models:/{NAME}/{v2}", "--tracking-uri", mlflow_server.uri, extra_toml=FAIL
    )
    assert proc.returncode == 1, proc.stderr
    of, report = _partial(tmp_path / "bad")
    assert report["verdict"] == "non_conformant"
    mv = client.get_model_version(NAME, v2)
    assert (mv.tags["tef.verdict"], mv.tags["tef.coverage"]) == ("non_conformant", f"partial: {of} checks")
    assert _alias(client, NAME) is None  # evidence against is evidence against
    assert f"tef: tagged model version {NAME}/{v2}" in proc.stderr
    assert f"alias '{ALIAS}'" not in proc.stderr

    # on another version, the alias is not this run's business
    client.set_registered_model_alias(NAME, ALIAS, v1)
    other = _partial_check(
        artifacts, tmp_path / "bad2", f"models:/{NAME}/{v2}", "--tracking-uri", mlflow_server.uri, extra_toml=FAIL
    )
    assert other.returncode == 1, other.stderr
    assert _alias(client, NAME) == v1


def test_sync_of_a_partial_report_registers_and_tags_but_sets_no_alias(
    artifacts: Artifacts, tmp_path: Path, mlflow_server: Server, client
) -> None:
    name = "tef-partial-sync"
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "tef.toml").write_text(artifacts.config(f'[tracking]\nregister_alias = "{ALIAS}"\n'), encoding="utf-8")
    closed = f"http://127.0.0.1:{free_port()}"
    proc = tef(
        "check", "--only", "performance.metrics", "--tracking-uri", closed, "--register-as", name, cwd=folder
    )
    assert proc.returncode == 4, proc.stderr  # conformant, not tracked
    of, _ = _partial(folder)
    for attempt in range(2):  # the second is sync's retry of an already logged report: same answer
        sync = tef("report", "sync", str(folder / "out"), "--tracking-uri", mlflow_server.uri, cwd=folder)
        assert sync.returncode == 0, sync.stderr
        assert ("already logged as" in sync.stderr) == (attempt == 1)
        (mv,) = client.search_model_versions(f"name = '{name}'")
        assert (mv.tags["tef.verdict"], mv.tags["tef.coverage"]) == ("conformant", f"partial: {of} checks")
        assert ALIAS not in client.get_registered_model(name).aliases
        assert (
            f"tef: alias '{ALIAS}' not moved onto {name}/{mv.version}: partial audit ({of} checks)"
            in sync.stderr.splitlines()
        )


def test_the_tracking_worker_passes_the_alias_note_back(
    artifacts: Artifacts, tmp_path: Path, mlflow_server: Server, client, versions: list[str]
) -> None:
    """The worker process logs and tags; its answer (JSON) carries the note to the parent's stderr."""
    v1, v2 = versions
    client.set_registered_model_alias(NAME, ALIAS, v1)
    proc = _partial_check(
        artifacts, tmp_path / "w", f"models:/{NAME}/{v2}", "--no-tracking",
        env=tracking_env(MLFLOW_TRACKING_URI=mlflow_server.uri),
    )
    assert proc.returncode == 0, proc.stderr
    of, _ = _partial(tmp_path / "w")
    script = f"""
import json, sys
from pathlib import Path
from tef_harness.config.tracking_uri import TrackingTarget
from tef_harness.reports.tracking_commands import track_check
from tef_harness.reports.tracking_worker import TrackingWorker

target = TrackingTarget(uri={mlflow_server.uri!r}, experiment="tef/partial-worker", register_alias={ALIAS!r},
                        artifact_root=None, embedded=False)
with TrackingWorker(target) as worker:
    worker.start()
    ok = track_check(Path({str(tmp_path / "w" / "out")!r}), target, {{}}, worker)
    assert worker.fallback is None
print(json.dumps({{"ok": ok, "mlflow": "mlflow" in sys.modules}}))
"""
    run = subprocess.run(
        [sys.executable, "-c", script], env=tracking_env(), capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"ok": True, "mlflow": False}  # logged by the worker, not here
    assert client.get_model_version(NAME, v2).tags["tef.coverage"] == f"partial: {of} checks"
    assert _alias(client, NAME) == v1
    assert (
        f"tef: alias '{ALIAS}' not moved onto {NAME}/{v2}: partial audit ({of} checks)" in run.stderr.splitlines()
    )
