"""A new embedded sqlite store, copied from a migrated empty one instead of migrated in place.

MLflow (3.17) creates a sqlite store by creating its initial tables and then running every
alembic migration since (69 of them): several seconds, every time ``tef check`` first runs in
a new folder. The migrated empty database is the same file each time for one MLflow version,
so it is built once per MLflow version in the user's cache folder (with MLflow's own
``_initialize_tables``, the function ``SqlAlchemyStore`` calls) and copied for each new store.
MLflow then finds every table, checks that the schema is at its head revision as it always
does, and adds its default experiment itself, with this store's artifact root.

The template itself is migrated in memory and then written to its file in one step: on a
file, each migration commits (one disk sync each) and many rebuild a table, 4-5 s on this
project's CI machine; the same statements on an in-memory database take under a second
(``benchmarks/tracking_results.md``). Only where the pages are kept changes: the statements,
their order and the resulting schema are MLflow's (tests/tracking/test_store_seed.py checks
the file against a store MLflow creates itself, ``mlflow db upgrade`` and ``mlflow server``).

(Creating the tables from MLflow's ORM models and stamping the alembic head is not an option:
MLflow never does that, and its models do not even compile to valid DDL: 3.17's
``index_trace_tags_request_id`` has no columns in the ORM.)

Anything unexpected (no cache folder, a changed MLflow internal) leaves the store alone, and
MLflow creates it the usual way. Nothing is downloaded: the template is made on this machine.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path
from typing import Any

from tef_harness.reports.sinks.fault_points import fault_point

#: names the harness's cache folder itself (tests point it at a temp folder)
CACHE_ENV = "TEF_CACHE_DIR"


def cache_folder() -> Path:
    """``$TEF_CACHE_DIR``, else ``$XDG_CACHE_HOME/tef-harness`` (default ``~/.cache/tef-harness``)."""
    own = os.environ.get(CACHE_ENV)
    if own:
        return Path(own)
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "tef-harness"


def seed_sqlite_store(db_path: Path) -> bool:
    """Create ``db_path`` as a copy of the migrated empty store when it does not exist yet;
    True when it was seeded. Never overwrites a file (a concurrent audit may have made it)."""
    if db_path.exists():
        return False
    # the temporary name is fixed before the file exists, so the finally removes it whatever
    # interrupts (an exception, KeyboardInterrupt, the worker's SIGTERM turned into SystemExit);
    # with mkstemp, an interruption between its return and the try would leave the file
    tmp = db_path.parent / f".tef-store-{secrets.token_hex(8)}"
    try:
        template = _template()
        db_path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        shutil.copyfile(template, tmp)
        fault_point("store-seed")
        db_path.hardlink_to(tmp)  # fails if the store appeared meanwhile: no clobbering
    except Exception:  # noqa: BLE001 - MLflow then creates and migrates the store itself
        return False
    finally:
        tmp.unlink(missing_ok=True)
    return True


def _template() -> Path:
    """The migrated empty store for the installed MLflow, built on first use."""
    import mlflow

    folder = cache_folder()
    template = folder / f"mlflow-{mlflow.__version__}-empty.db"
    if template.is_file():
        return template
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".mlflow-template-{secrets.token_hex(8)}.db"  # named first, as in seed_sqlite_store
    try:
        _initialize(tmp)
        tmp.replace(template)
    finally:
        tmp.unlink(missing_ok=True)
    return template


def _initialize(path: Path) -> None:
    """Tables and migrations, as ``SqlAlchemyStore`` does for an empty database (MLflow's
    ``_initialize_tables``), run on an in-memory database and then copied page by page to
    ``path`` with sqlite's backup API; no default experiment (its artifact root belongs to the
    store it is copied to). Raises whatever MLflow or sqlite raise."""
    import importlib
    import sqlite3

    import sqlalchemy
    from sqlalchemy.pool import StaticPool

    utils: Any = importlib.import_module("mlflow.store.db.utils")  # private functions, untyped

    # one connection for the engine's life: an in-memory database lives only in its connection
    engine = sqlalchemy.create_engine("sqlite://", poolclass=StaticPool)
    try:
        utils._initialize_tables(engine)
        utils._verify_schema(engine)
        raw = engine.raw_connection()
        try:
            memory: Any = raw.driver_connection  # the sqlite3.Connection under the pool's proxy
            target = sqlite3.connect(path)
            try:
                memory.backup(target)
            finally:
                target.close()
        finally:
            raw.close()
    finally:
        engine.dispose()
