"""The tracking worker process (``reports/tracking_worker.py``): it logs the report out of
``tef``'s process, it never outlives ``tef check`` (an exception, a Ctrl-C), and when it cannot be
started the report is logged in-process. Real processes and a real sqlite store, no mocks."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Artifacts
from tests.tracking.conftest import TEF, tef, tracking_env

WORKER = "tef_harness.reports.sinks.mlflow_worker"


def _target(db: Path, folder: Path) -> object:
    from tef_harness.config.tracking_uri import TrackingTarget

    return TrackingTarget(
        uri=f"sqlite:///{db}", experiment="tef/worker", register_alias=None, artifact_root=folder, embedded=True
    )


def _written_report(artifacts: Artifacts, folder: Path) -> Path:
    (folder / "tef.toml").write_text(artifacts.config(), encoding="utf-8")
    proc = tef("check", "--only", "performance.metrics", "--no-tracking", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    return folder / "out"


def _alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _runs(db: Path) -> list[object]:
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=f"sqlite:///{db}")
    exp = client.get_experiment_by_name("tef/worker")
    return list(client.search_runs([exp.experiment_id])) if exp is not None else []


@pytest.mark.slow
def test_the_worker_logs_the_report_and_the_parent_never_imports_mlflow(
    artifacts: Artifacts, tmp_path: Path
) -> None:
    out = _written_report(artifacts, tmp_path)
    db = tmp_path / "store" / "mlflow.db"
    script = f"""
import json, sys
from pathlib import Path
from tef_harness.config.tracking_uri import TrackingTarget
from tef_harness.reports.tracking_commands import track_check
from tef_harness.reports.tracking_worker import TrackingWorker

target = TrackingTarget(uri={f"sqlite:///{db}"!r}, experiment="tef/worker", register_alias=None,
                        artifact_root=Path({str(tmp_path / "art")!r}), embedded=True)
with TrackingWorker(target) as worker:
    worker.start()
    ok = track_check(Path({str(out)!r}), target, {{}}, worker)
    assert worker.fallback is None
print(json.dumps({{"ok": ok, "mlflow": "mlflow" in sys.modules}}))
"""
    proc = subprocess.run(
        [sys.executable, "-c", script], env=tracking_env(), capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"ok": True, "mlflow": False}
    (run,) = _runs(db)
    report = json.loads((out / "report.json").read_text())
    assert run.data.tags["tef.verdict"] == report["verdict"]
    roc = next(m["value"] for m in report["results"][0]["metrics"] if m["name"] == "roc_auc")
    assert run.data.metrics["performance.metrics/roc_auc"] == roc


@pytest.mark.slow
def test_a_worker_that_cannot_start_falls_back_to_logging_in_process(artifacts: Artifacts, tmp_path: Path) -> None:
    from tef_harness.reports.tracking_commands import track_check
    from tef_harness.reports.tracking_worker import TrackingWorker

    out = _written_report(artifacts, tmp_path)
    db = tmp_path / "store" / "mlflow.db"
    target = _target(db, tmp_path / "art")
    with TrackingWorker(target, executable=str(tmp_path / "no-such-python")) as worker:  # type: ignore[arg-type]
        worker.start()
        assert worker.pid is None and worker.fallback is not None
        assert track_check(out, target, {}, worker)  # type: ignore[arg-type]
    (run,) = _runs(db)
    assert run.info.status == "FINISHED" and run.data.tags["tef.report_digest"]


def test_an_exception_kills_the_worker(tmp_path: Path) -> None:
    from tef_harness.reports.tracking_worker import TrackingWorker

    target = _target(tmp_path / "mlflow.db", tmp_path / "art")
    pid = None
    with pytest.raises(RuntimeError), TrackingWorker(target) as worker:  # type: ignore[arg-type]
        worker.start()
        pid = worker.pid
        assert pid is not None and _alive(pid)
        raise RuntimeError("a check crashed")
    assert pid is not None and not _alive(pid)


def _worker_of(parent: int) -> int | None:
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            status = (entry / "status").read_text()
        except OSError:
            continue
        ppid = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("PPid:")), None)
        if ppid == parent and WORKER.encode() in cmdline:
            return int(entry.name)
    return None


@pytest.mark.slow
def test_ctrl_c_during_the_audit_leaves_no_worker(artifacts: Artifacts, tmp_path: Path) -> None:
    (tmp_path / "tef.toml").write_text(artifacts.config(), encoding="utf-8")
    proc = subprocess.Popen(
        [TEF, "check"], cwd=tmp_path, env=tracking_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        worker = None
        deadline = time.monotonic() + 120
        while worker is None and proc.poll() is None and time.monotonic() < deadline:
            worker = _worker_of(proc.pid)
            time.sleep(0.01)
        assert worker is not None, "the worker was never seen"
        os.kill(proc.pid, signal.SIGINT)
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0
    assert not _alive(worker)


@pytest.mark.slow
def test_a_worker_that_dies_before_answering_is_replaced_by_in_process_logging(
    artifacts: Artifacts, tmp_path: Path
) -> None:
    from tef_harness.reports.tracking_commands import track_check
    from tef_harness.reports.tracking_worker import TrackingWorker

    out = _written_report(artifacts, tmp_path)
    db = tmp_path / "store" / "mlflow.db"
    target = _target(db, tmp_path / "art")
    with TrackingWorker(target) as worker:  # type: ignore[arg-type]
        worker.start()
        assert worker.pid is not None
        os.killpg(worker.pid, signal.SIGKILL)
        time.sleep(0.2)
        assert track_check(out, target, {}, worker)  # type: ignore[arg-type]
    (run,) = _runs(db)
    assert run.info.status == "FINISHED"
    assert run.data.tags["tef.verdict"] == json.loads((out / "report.json").read_text())["verdict"]


@pytest.mark.slow
def test_a_worker_that_dies_after_creating_its_run_leaves_a_failed_run_linked_to_the_logged_one(
    artifacts: Artifacts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker exits (as a crash would: no cleanup) right after creating its run and telling
    ``tef``. Its run must not stay RUNNING: it is marked FAILED and points at the run ``tef``
    logged itself, which holds every file; the model file is registered once."""
    from mlflow.tracking import MlflowClient

    from tef_harness.reports.sinks.audit_files import audit_files
    from tef_harness.reports.sinks.fault_points import FAULT_ENV
    from tef_harness.reports.sinks.mlflow_register import RegisterRequest
    from tef_harness.reports.tracking_commands import track_check
    from tef_harness.reports.tracking_worker import TrackingWorker

    out = _written_report(artifacts, tmp_path)
    db = tmp_path / "store" / "mlflow.db"
    target = _target(db, tmp_path / "art")
    name = "tef-worker-crash"
    register = RegisterRequest(name, artifacts.skops, "skops", "tef/worker")
    monkeypatch.setenv(FAULT_ENV, "run-created:exit")
    with TrackingWorker(target, register) as worker:  # type: ignore[arg-type]
        worker.start()
        assert track_check(out, target, {}, worker)  # type: ignore[arg-type]
        failed_id = worker.unfinished_run
    assert failed_id is not None
    runs = {r.info.status: r for r in _runs(db)}
    assert sorted(runs) == ["FAILED", "FINISHED"]
    failed, finished = runs["FAILED"], runs["FINISHED"]
    assert failed.info.run_id == failed_id
    assert failed.data.tags["tef.superseded_by"] == finished.info.run_id
    assert finished.data.tags["tef.supersedes"] == failed_id
    assert "tef.failure" in failed.data.tags
    # the logged run is complete: the report's bytes, every file the manifest vouches for
    raw = (out / "report.json").read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    assert finished.data.tags["tef.report_digest"] == digest
    client = MlflowClient(tracking_uri=f"sqlite:///{db}", registry_uri=f"sqlite:///{db}")
    logged = {a.path for a in client.list_artifacts(finished.info.run_id)}
    expected = {p.name for p in audit_files(out, digest)}
    assert {"report.json", "manifest.json"} <= expected <= logged
    got = Path(client.download_artifacts(finished.info.run_id, "report.json", str(tmp_path / "dl")))
    assert got.read_bytes() == raw
    # registered by the worker before it died, reused (and tagged) rather than registered again
    (mv,) = [v for v in client.search_model_versions() if v.name == name]
    assert mv.tags["tef.run_id"] == finished.info.run_id


@pytest.mark.slow
def test_a_worker_stopped_while_logging_marks_its_run_failed(
    artifacts: Artifacts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``tef check`` interrupted (its ``finally`` closes the worker) while the worker fills its
    run: the run is marked FAILED, not left RUNNING (SIGTERM, raised as SystemExit in it)."""
    import threading

    from tef_harness.reports.sinks.fault_points import FAULT_ENV
    from tef_harness.reports.tracking_worker import TrackingWorker

    out = _written_report(artifacts, tmp_path)
    db = tmp_path / "store" / "mlflow.db"
    monkeypatch.setenv(FAULT_ENV, "run-created:wait")
    worker = TrackingWorker(_target(db, tmp_path / "art")).start()  # type: ignore[arg-type]
    logging = threading.Thread(target=lambda: worker.log(out))
    logging.start()
    try:
        deadline = time.monotonic() + 120
        while worker.unfinished_run is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert worker.unfinished_run is not None, "the worker never created its run"
    finally:
        worker.close()
        logging.join(timeout=30)
    (run,) = _runs(db)
    assert run.info.status == "FAILED"
