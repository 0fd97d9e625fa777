"""The embedded store's template (``reports/sinks/mlflow_store_seed.py``): migrated in memory,
written once, copied for each new store. MLflow must accept a copy unchanged: the same schema
and rows as a store MLflow creates itself, ``mlflow db upgrade`` finds nothing to do, and a real
``mlflow server`` serves it."""

from __future__ import annotations

import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tef_harness.reports.sinks.mlflow_store_seed import CACHE_ENV, cache_folder, seed_sqlite_store
from tests.tracking.conftest import BIN, serve, tracking_env


def _clauses(sql: str) -> list[str]:
    """The top-level comma-separated parts of a CREATE statement's parentheses, whitespace
    normalised and sorted: columns, keys, foreign keys and CHECK constraints, in any order
    (a migration that rebuilds a table may list its constraints in another order)."""
    body = sql[sql.index("(") + 1 : sql.rindex(")")]
    parts, depth, current = [], 0, []
    for ch in body:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return sorted(re.sub(r"\s+", " ", p).strip() for p in parts)


def store_contents(db: Path, *, skip_rows: tuple[str, ...] = ()) -> dict[str, object]:
    """Every table (its columns and constraints), index, trigger and view, and every table's
    rows (but those of ``skip_rows``); ``alembic_version`` is a table like the others."""
    with sqlite3.connect(db) as con:
        out: dict[str, object] = {}
        for kind, name, table, sql in con.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ):
            if kind == "table":
                out[f"table {name}"] = _clauses(sql)
                if name not in skip_rows:
                    out[f"rows {name}"] = sorted(map(repr, con.execute(f'SELECT * FROM "{name}"')))
            else:
                out[f"{kind} {name}"] = (table, re.sub(r"\s+", " ", sql or ""))
        return out


def test_cache_folder_is_the_harness_variable_then_xdg_then_home(monkeypatch: pytest.MonkeyPatch) -> None:
    # the session's autouse fixture points it at a temp folder: never the user's cache
    assert Path.home() / ".cache" not in cache_folder().parents
    monkeypatch.setenv(CACHE_ENV, "/somewhere/own")
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/xdg")
    assert cache_folder() == Path("/somewhere/own")
    monkeypatch.delenv(CACHE_ENV)
    assert cache_folder() == Path("/somewhere/xdg/tef-harness")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_folder() == Path.home() / ".cache" / "tef-harness"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new store seeded from a template built in this module's own cache folder."""
    folder = tmp_path_factory.mktemp("seeded")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(CACHE_ENV, str(folder / "cache"))
        assert seed_sqlite_store(folder / "mlflow.db")
        assert not seed_sqlite_store(folder / "mlflow.db")  # never overwrites
    return folder / "mlflow.db"


@pytest.mark.slow
def test_template_equals_a_store_mlflow_creates_itself(seeded: Path, tmp_path: Path) -> None:
    """Same tables, columns, keys, CHECK constraints, indexes, alembic revision and seed rows
    (MLflow's default workspace) as the file MLflow's own store creation migrates on disk;
    only MLflow's default experiment, which MLflow adds when it opens the copy, is not there yet."""
    from mlflow.tracking import MlflowClient

    reference = tmp_path / "reference.db"
    MlflowClient(tracking_uri=f"sqlite:///{reference}").search_experiments()  # MLflow migrates a file
    expected = store_contents(reference, skip_rows=("experiments",))
    from mlflow.store.db.base_sql_model import Base  # every table MLflow's ORM maps (imported by the client)

    assert {f"table {t}" for t in Base.metadata.tables} <= set(expected)
    assert store_contents(seeded, skip_rows=("experiments",)) == expected
    with sqlite3.connect(seeded) as con:
        assert con.execute("SELECT count(*) FROM experiments").fetchone() == (0,)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # opened by MLflow: nothing migrated, its default experiment added
    client = MlflowClient(tracking_uri=f"sqlite:///{seeded}")
    assert [e.experiment_id for e in client.search_experiments()] == ["0"]
    assert store_contents(seeded, skip_rows=("experiments",)) == expected


@pytest.mark.slow
def test_mlflow_db_upgrade_finds_nothing_to_do(seeded: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(seeded.read_bytes())
    before = store_contents(copy)
    proc = subprocess.run(
        [str(BIN / "mlflow"), "db", "upgrade", f"sqlite:///{copy}"],
        env=tracking_env(), capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert store_contents(copy) == before


@pytest.mark.slow
def test_a_real_mlflow_server_serves_a_seeded_store(seeded: Path, tmp_path: Path) -> None:
    from mlflow.tracking import MlflowClient

    store = tmp_path / "served.db"
    store.write_bytes(seeded.read_bytes())
    with serve(tmp_path, f"sqlite:///{store}") as server:
        client = MlflowClient(tracking_uri=server.uri, registry_uri=server.uri)
        exp = client.create_experiment("seeded")
        run = client.create_run(exp)
        client.log_metric(run.info.run_id, "m", 0.25)
        client.set_terminated(run.info.run_id)
        client.create_registered_model("seeded-model")
        client.create_model_version("seeded-model", source=f"runs:/{run.info.run_id}/model", run_id=run.info.run_id)
        assert client.get_run(run.info.run_id).data.metrics == {"m": 0.25}
        assert client.get_model_version("seeded-model", "1").run_id == run.info.run_id
    # written by the server into the file itself (not only served from memory)
    read = MlflowClient(tracking_uri=f"sqlite:///{store}")
    assert read.get_run(run.info.run_id).info.status == "FINISHED"


def _wait_for(pattern: str, folder: Path, proc: subprocess.Popen[bytes], timeout: float = 120) -> list[Path]:
    """The files matching ``pattern`` in ``folder`` once one appears (the process paused there)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(folder.glob(pattern))
        if found:
            return found
        assert proc.poll() is None, "the process ended before reaching the fault point"
        time.sleep(0.02)
    raise AssertionError(f"no {pattern} in {folder} after {timeout} s")


@pytest.mark.slow
def test_a_worker_stopped_while_creating_the_store_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``tef check`` interrupted while its tracking worker copies a new store: ``close`` (its
    ``finally``) stops the worker, whose temporary copy must not stay beside the store."""
    from tef_harness.config.tracking_uri import TrackingTarget
    from tef_harness.reports.sinks.fault_points import FAULT_ENV
    from tef_harness.reports.tracking_worker import TrackingWorker

    monkeypatch.setenv(FAULT_ENV, "store-seed:wait")  # the worker pauses with the copy written
    store = tmp_path / "store"
    target = TrackingTarget(
        uri=f"sqlite:///{store / 'mlflow.db'}", experiment="t/seed", register_alias=None,
        artifact_root=tmp_path / "art", embedded=True,
    )
    worker = TrackingWorker(target).start()
    try:
        assert worker._proc is not None
        (tmp,) = _wait_for(".tef-store-*", store, worker._proc)  # type: ignore[arg-type]
        assert tmp.stat().st_size > 0  # the template's bytes are in it
    finally:
        worker.close()
    assert sorted(p.name for p in store.iterdir()) == []  # neither the copy nor a half store


@pytest.mark.slow
def test_ctrl_c_while_seeding_in_process_leaves_no_temporary_file(tmp_path: Path) -> None:
    """The in-process opener (no worker): KeyboardInterrupt at the same point."""
    import signal
    import sys

    from tef_harness.reports.sinks.fault_points import FAULT_ENV

    store = tmp_path / "store"
    script = (
        "from pathlib import Path\n"
        "from tef_harness.reports.sinks.mlflow_store_seed import seed_sqlite_store\n"
        f"seed_sqlite_store(Path({str(store / 'mlflow.db')!r}))\n"
    )
    store.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", script], env={**tracking_env(), FAULT_ENV: "store-seed:wait"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        _wait_for(".tef-store-*", store, proc)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert b"KeyboardInterrupt" in err
    assert list(store.iterdir()) == []
