"""The MLflow sink: one run per audit, logged from a written ``report.json`` (checks never call MLflow).

The sink reads the report folder, not the in-memory report, so ``tef check`` and a later
``tef report sync`` log the same bytes and the same ``tef.report_digest``. The run is created,
filled, and only then marked FINISHED; a failure half-way marks it FAILED, so
``tef report sync`` (which skips only FINISHED runs with the same digest) logs it again.

mlflow is imported here, inside the functions, only when tracking runs: ``tef --help`` and
``tef check --no-tracking`` never pay for it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import shutil
import socket
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tef_harness.config.tracking_uri import TrackingTarget, is_http
from tef_harness.engine.offline import apply_offline_defaults
from tef_harness.reports.coverage import coverage_of
from tef_harness.reports.schema import SCHEMA_VERSION, ConformityReport, Coverage
from tef_harness.reports.tracking_view import TrackingView, build_view
from tef_harness.sdk.errors import TefError
from tef_harness.sdk.masking import redact

if TYPE_CHECKING:
    import pandas as pd

    from tef_harness.reports.sinks.mlflow_register import RegisterRequest

#: MLflow's per-request batch limits (log_batch): 1000 metrics, 100 params, 100 tags
_BATCH = {"metrics": 1000, "params": 100, "tags": 100}
CONNECT_TIMEOUT_S = 5.0


class TrackingFailed(TefError):
    """Logging to the tracking store failed; the local report is unaffected."""


@dataclass(frozen=True)
class LoggedRun:
    run_id: str
    experiment_id: str
    experiment: str
    #: True when a FINISHED run with the same report digest already existed (nothing logged)
    already_logged: bool
    #: model-version tags set (``name/version``), when the model is a registered one
    model_version: str | None = None
    #: why ``register_alias`` was not moved onto that version although it was conformant (a
    #: partial audit), one sentence for stderr; None when the alias followed the verdict
    alias_note: str | None = None


def read_report(report_dir: Path) -> tuple[ConformityReport, bytes]:
    """The report in ``report_dir`` and its exact bytes. Raises TefError if it is not a report."""
    from pydantic import ValidationError

    path = report_dir / "report.json" if report_dir.is_dir() else report_dir
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TefError(f"cannot read report ({type(exc).__name__})", file=path) from None
    try:
        return ConformityReport.model_validate_json(raw), raw
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise TefError(
            f"not a tef conformity report of schema {SCHEMA_VERSION}: {where}: {first['msg']}", file=path
        ) from None


def log_report(
    report_dir: Path,
    target: TrackingTarget,
    *,
    frames: Mapping[str, pd.DataFrame] | None = None,
    skip_if_logged: bool = False,
    client: object | None = None,
    register: RegisterRequest | None = None,
    registered: Any | None = None,
    plots_dir: Path | None = None,
    on_run_created: Callable[[str], None] | None = None,
) -> LoggedRun:
    """Log the report in ``report_dir`` (``report.json`` and the outputs its manifest lists) as one run.

    ``frames`` maps a file role (``eval``, ``train``) to its loaded data, used only for the
    dataset input's schema and row count; rows are never logged. With ``skip_if_logged``,
    an existing FINISHED run with the same ``tef.report_digest`` is returned and nothing is
    logged. ``client`` is an already opened ``MlflowClient`` for ``target`` (see ``open_client``).
    With ``register``, the audited file is (or, as ``registered``, already was) registered as a
    new model version, which is then tagged like a ``models:/`` model's.

    ``skip_if_logged`` is ``tef report sync``'s retry: what an earlier attempt left undone is
    done, what it did is not done twice. An existing FINISHED run is kept and the model version
    is (re)tagged (the tags and alias are set to the same values again); with ``register``, a
    version of the audited bytes that no report has finished tagging, or that this report
    tagged, is reused rather than registered again.
    ``plots_dir`` holds the plots already drawn as SVG files at their artifact paths (the
    tracking worker's case: another process drew them for the HTML report); without it they
    are drawn here (``plots.svg_file``, cached when the HTML report was rendered in this process).
    ``on_run_created`` is called with the new run's id before anything is logged into it (the
    tracking worker tells its parent, which can close the run if the worker dies).
    Raises TrackingFailed (store unreachable or refusing) and TefError (not a report)."""
    report, raw = read_report(report_dir)
    view = build_view(report, raw, target.experiment)
    if is_http(target.uri):
        probe(target.uri)
    audited = report.subject.model.sha256 if report.subject.model else None
    try:
        client = client or open_client(target)
        experiment_id = _experiment(client, view.experiment, target)
        existing = _finished_run_with_digest(client, experiment_id, view.report_digest) if skip_if_logged else None
        model = _registered_version(client, view)
        if register is not None:
            if registered is None and skip_if_logged and audited is not None:
                registered = _untagged_version(client, register.name, audited, view.report_digest)
            model = registered or register_model_file(client, target, register)
            if dict(model.tags).get("tef.artifact_digest") != audited:
                # the file changed between the audit reading it and its registration
                raise ValueError(f"registered {model.name}/{model.version} does not hold the audited bytes")
        coverage = coverage_of(report)
        if existing is not None:
            version, note = _tag_model_version(client, view, model, existing, target.register_alias, coverage)
            return LoggedRun(
                existing, experiment_id, view.experiment, already_logged=True, model_version=version, alias_note=note
            )
        run_id = _log_run(client, experiment_id, view, report_dir, frames or {}, model, plots_dir, on_run_created)
        version, note = _tag_model_version(client, view, model, run_id, target.register_alias, coverage)
    except TefError:
        raise
    except Exception as exc:  # noqa: BLE001 - MLflow raises many types (REST, SQL, OS)
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        raise TrackingFailed(f"{type(exc).__name__}: {first}", file=target.uri) from None
    return LoggedRun(
        run_id, experiment_id, view.experiment, already_logged=False, model_version=version, alias_note=note
    )


def import_mlflow(target: TrackingTarget) -> None:
    """Import what logging to ``target`` needs (the slow part of a first call; no I/O)."""
    apply_offline_defaults()  # before mlflow's import: its telemetry reads the environment then
    # the dataset inputs' from_pandas (most of a second on its own)
    import mlflow.data.pandas_dataset
    import mlflow.entities
    import mlflow.tracking

    if not is_http(target.uri):
        import mlflow.store.tracking.sqlalchemy_store  # noqa: F401


def open_client(target: TrackingTarget) -> Any:
    """An ``MlflowClient`` on ``target`` whose store is open (a new sqlite store created and
    migrated). Raises whatever MLflow raises."""
    apply_offline_defaults()  # also cuts MLflow's HTTP retries (see engine/offline.py)
    # MLflow's INFO lines (database creation, migrations) would interleave with the summary
    logging.getLogger("mlflow").setLevel(logging.WARNING)
    from mlflow.tracking import MlflowClient

    if target.uri.startswith("sqlite:///"):
        from tef_harness.reports.sinks.mlflow_store_seed import seed_sqlite_store

        seed_sqlite_store(Path(target.uri.removeprefix("sqlite:///")))  # a new store: copied, not migrated
    client = MlflowClient(tracking_uri=target.uri, registry_uri=target.uri)
    if not is_http(target.uri):
        client.search_experiments(max_results=1)  # opens the store: creates and migrates a new database
    return client


def register_model_file(client: Any, target: TrackingTarget, request: RegisterRequest) -> Any:
    """Register the audited file unchanged (see ``mlflow_register``); its ``ModelVersion``."""
    from tef_harness.reports.sinks.mlflow_register import register_file

    return register_file(client, target.uri, _experiment(client, request.experiment, target), request)


def open_store(target: TrackingTarget, register: RegisterRequest | None) -> tuple[Any | None, Any | None]:
    """Import mlflow, open (for a new local store: create) the store and, with a ``register``
    request, register the audited file: the client and the ``ModelVersion``, each None when its
    step failed. A failure is only swallowed here: the logging step meets it again, retries it
    and reports it. Run ahead of the logging, in the tracking worker or ``Warmup``'s thread."""
    client = version = None
    try:
        import_mlflow(target)
        client = open_client(target)
        if register is not None:
            if is_http(target.uri):
                # a server that is down fails here in one connect, not in MLflow's request
                # (whose retry warning would reach stderr beside the one-line failure)
                probe(target.uri)
            version = register_model_file(client, target, register)
    except Exception:  # noqa: BLE001 - reported by the logging step, which retries it
        pass
    return client, version


def probe(uri: str) -> None:
    """Fail in seconds when nothing listens at a server URI (MLflow would retry for minutes)."""
    parts = urlsplit(uri)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=CONNECT_TIMEOUT_S):
            pass
    except OSError as exc:
        raise TrackingFailed(f"tracking server unreachable ({type(exc).__name__})", file=uri) from None


def _experiment(client: Any, name: str, target: TrackingTarget) -> str:
    found = client.get_experiment_by_name(name)
    if found is not None:
        return str(found.experiment_id)
    location = None
    if target.artifact_root is not None:
        target.artifact_root.mkdir(parents=True, exist_ok=True)
        location = target.artifact_root.as_uri()
    try:
        return str(client.create_experiment(name, artifact_location=location))
    except Exception:
        # another audit created it between our lookup and create
        again = client.get_experiment_by_name(name)
        if again is None:
            raise
        return str(again.experiment_id)


def _finished_run_with_digest(client: Any, experiment_id: str, digest: str) -> str | None:
    runs = client.search_runs(
        [experiment_id],
        filter_string=f"tags.`tef.report_digest` = '{digest}' and attributes.status = 'FINISHED'",
        max_results=1,
    )
    return str(runs[0].info.run_id) if runs else None


def _log_run(
    client: Any,
    experiment_id: str,
    view: TrackingView,
    report_dir: Path,
    frames: Mapping[str, pd.DataFrame],
    model: Any | None,
    plots_dir: Path | None = None,
    on_run_created: Callable[[str], None] | None = None,
) -> str:
    run = client.create_run(experiment_id, run_name=view.run_name)
    run_id = str(run.info.run_id)
    try:
        if on_run_created is not None:
            on_run_created(run_id)
        fill_run(client, run_id, view, report_dir, frames, model_id=_logged_model_id(model), plots_dir=plots_dir)
        client.set_terminated(run_id, "FINISHED")
    except BaseException:
        # the store is already failing: keep the first error, not this one
        with contextlib.suppress(Exception):
            client.set_terminated(run_id, "FAILED")
        raise
    return run_id


def fill_run(
    client: Any,
    run_id: str,
    view: TrackingView,
    report_dir: Path,
    frames: Mapping[str, pd.DataFrame] | None,
    *,
    own_run: bool = True,
    model_id: str | None = None,
    plots_dir: Path | None = None,
) -> None:
    """Log ``view`` and the files of ``report_dir`` into the existing run ``run_id``.

    With ``model_id`` (an MLflow 3 logged model behind the audited registered version), the
    metrics are linked to that model and to the evaluation dataset, and the model is logged as
    the run's input, so the model's page lists its audits.

    ``own_run=False`` (the evaluator, logging into its caller's run) leaves the run's name and
    description alone, and the dataset inputs to ``mlflow.evaluate``, which logs its own."""
    from mlflow.entities import LoggedModelInput, Metric, Param, RunTag

    now = int(time.time() * 1000)
    link: dict[str, str] = {}
    evaluation = next((d for d in view.datasets if d["role"] == "eval"), None)
    if model_id is not None:
        link["model_id"] = model_id
        if evaluation is not None:
            link["dataset_name"] = _dataset_name(evaluation)
            link["dataset_digest"] = str(evaluation["sha256"])[:32]
    metrics = [Metric(k, v, now, 0, **link) for k, v in view.metrics.items()]
    params = [Param(k, v) for k, v in view.params.items()]
    tags = [RunTag(k, v) for k, v in view.tags.items() if own_run or not k.startswith("mlflow.")]
    # as few requests as the batch limits allow (one for a typical audit)
    rounds = max(
        -(-len(metrics) // _BATCH["metrics"]), -(-len(params) // _BATCH["params"]), -(-len(tags) // _BATCH["tags"])
    )
    for i in range(rounds):
        client.log_batch(
            run_id,
            metrics=metrics[i * _BATCH["metrics"] : (i + 1) * _BATCH["metrics"]],
            params=params[i * _BATCH["params"] : (i + 1) * _BATCH["params"]],
            tags=tags[i * _BATCH["tags"] : (i + 1) * _BATCH["tags"]],
        )
    if own_run:
        _log_datasets(client, run_id, view, frames or {})
    if model_id is not None:
        client.log_inputs(run_id, models=[LoggedModelInput(model_id)])
    _log_files(client, run_id, view, report_dir, plots_dir)


def _log_files(client: Any, run_id: str, view: TrackingView, report_dir: Path, plots_dir: Path | None) -> None:
    import pandas as pd

    from tef_harness.reports.sinks.audit_files import audit_files

    with tempfile.TemporaryDirectory(prefix="tef-run-") as tmp:
        folder = Path(tmp)
        # only this audit's files: the report and the outputs its manifest vouches for, never
        # whatever else sits in the folder (audit_files.py)
        for path in audit_files(report_dir, view.report_digest):
            shutil.copyfile(path, folder / path.name)
        (folder / "tef-summary.md").write_text(view.summary, encoding="utf-8")
        if view.long_params:
            (folder / "tef-params.json").write_text(json.dumps(view.long_params, indent=2), encoding="utf-8")
        _write_plots(folder, view, plots_dir)
        client.log_artifacts(run_id, str(folder))
    columns = ["check_id", "code", "severity", "gated", "location", "message"]
    client.log_table(run_id, data=pd.DataFrame(view.findings, columns=columns), artifact_file="findings.json")


def _write_plots(folder: Path, view: TrackingView, drawn: Path | None = None) -> None:
    """Each plot of the rendered reports as the SVG file ``Figure.savefig`` writes for it (what
    MLflow's ``log_figure`` uploads; the reports' settings: text stays text, so the labels are
    searchable), at its artifact path under ``folder``; the MLflow UI previews ``.svg``. The
    drawing is the one the HTML report already made in this process (``plots.svg_file``), and
    the files go up with the run's other files in one ``log_artifacts`` call: one
    ``log_figure`` per plot redrew each figure and made one upload each (1.4 s for six under
    load, most of the step on an existing store)."""
    if not view.plots:
        return
    from tef_harness.reports.renderers.plots import svg_file

    for artifact_file, spec in view.plots.items():
        path = folder / artifact_file
        path.parent.mkdir(parents=True, exist_ok=True)
        if drawn is not None and (drawn / artifact_file).is_file():
            shutil.copyfile(drawn / artifact_file, path)  # drawn by the parent process (tracking worker)
        else:
            path.write_text(svg_file(spec), encoding="utf-8")


def write_plot_files(folder: Path, view: TrackingView) -> None:
    """The plots of ``view`` as SVG files at their artifact paths under ``folder`` (no mlflow
    import): what the tracking worker uploads instead of drawing them again in its process."""
    _write_plots(folder, view)


def _log_datasets(client: Any, run_id: str, view: TrackingView, frames: Mapping[str, pd.DataFrame]) -> None:
    """Dataset inputs: name, digest (the file's sha256), source path, schema and size; never a row.

    Built with ``mlflow.data.from_pandas``, which stores the frame's schema (column names and
    MLflow types) and profile (row and element counts), not its values. The digest is the
    file's sha256 (what names the tested bytes), not MLflow's hash of a sample of rows.
    The frame is the audited file read again when it still has the audited sha256. Without
    it, or when MLflow cannot infer a schema for it, the entity has the same name, digest and
    source, and the schema built from the column dtypes the report records (none for an older
    report, rather than a guess)."""
    from mlflow.entities import Dataset, DatasetInput, InputTag

    inputs = []
    for d in view.datasets:
        role, path, sha = str(d["role"]), str(d["path"]), str(d["sha256"])
        frame = frames.get(role)
        if frame is None:
            frame = _reread(Path(path), sha)
        entity = None
        if frame is not None:
            # column names can be personal data: through the masking door, as in the report
            # (a frame whose masked names collide gets the recorded dtypes' schema instead)
            masked = frame.rename(columns=lambda c: redact(str(c)))
            if masked.columns.is_unique:
                entity = _from_pandas(masked, name=_dataset_name(d), source=path, digest=sha[:32])
        if entity is None:
            schema, profile = None, json.dumps({"num_rows": d["rows"]})
            if d.get("dtypes") and isinstance(d["rows"], int):
                # no frame (tef report sync): the report records each column's dtype (schema
                # 2.0), so the same schema without the data; an older report logs no schema
                # rather than a wrong one
                pairs = json.loads(str(d["dtypes"]))
                colspec = [{"type": _mlflow_type(_dtype(t)), "name": str(c), "required": True} for c, t in pairs]
                schema = json.dumps({"mlflow_colspec": colspec})
                profile = json.dumps({"num_rows": d["rows"], "num_elements": d["rows"] * len(pairs)})
            entity = Dataset(
                name=_dataset_name(d),
                digest=sha[:32],  # MLflow stores at most 36 characters
                source_type="local",
                source=json.dumps({"uri": path}),
                schema=schema,
                profile=profile,
            )
        inputs.append(DatasetInput(entity, tags=[InputTag("mlflow.data.context", role)]))
    if inputs:
        client.log_inputs(run_id, datasets=inputs)


def _reread(path: Path, sha256: str) -> pd.DataFrame | None:
    """The audited table read again for its schema, when the file still holds the audited bytes
    (``tef check`` keeps no frame past the audit; ``tef report sync`` may run much later)."""
    from tef_harness.intake.hashing import sha256_file
    from tef_harness.intake.tables import read_table

    try:
        if not path.is_file() or sha256_file(path) != sha256:
            return None
        return read_table(path, field="data.path")
    except Exception:  # noqa: BLE001 - then the schema comes from the recorded dtypes
        return None


def _from_pandas(frame: pd.DataFrame, *, name: str, source: str, digest: str) -> Any | None:
    """MLflow's dataset entity for ``frame`` (``mlflow.data.from_pandas``), or None when MLflow
    cannot infer a schema for it (a column of mixed types)."""
    from mlflow.data.pandas_dataset import from_pandas

    try:
        # MLflow warns about integer columns (a model-signature hint) and about a local path
        # two of its source types accept: neither applies to a record of audited data
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dataset = from_pandas(frame, source=source, name=name, digest=digest)
            # the entity MLflow's own mlflow.log_input logs; its fields are name, digest, source
            # (type and URI), schema and profile (counts), never the frame's values. Inside the
            # filter: the schema is inferred lazily here, and that is where the hint is raised
            return dataset._to_mlflow_entity()
    except Exception:  # noqa: BLE001 - schema inference raises MlflowException or TypeError
        return None


def _dataset_name(record: Mapping[str, object]) -> str:
    return f"{record['role']}:{Path(str(record['path'])).name}"


def _dtype(name: str) -> Any:
    """The pandas dtype a recorded dtype name stands for (``object`` when unknown here)."""
    import pandas as pd

    try:
        return pd.api.types.pandas_dtype(name)
    except (TypeError, ValueError):
        return None


def _mlflow_type(dtype: Any) -> str:
    """MLflow's column type for a pandas dtype (mlflow.types.DataType names)."""
    kind = getattr(dtype, "kind", "O")
    if kind == "b":
        return "boolean"
    if kind in "iu":
        return "long"
    if kind == "f":
        return "double"
    if kind == "M":
        return "datetime"
    return "string"


def _registered_version(client: Any, view: TrackingView) -> Any | None:
    """The audited registered-model version (a ``ModelVersion``), or None for a file model."""
    reg = view.registered
    if reg is None:
        return None
    if reg.version is not None and reg.version.isdigit():
        return client.get_model_version(reg.name, reg.version)
    if reg.alias is not None:
        if reg.resolved_version is not None and reg.resolved_version.isdigit():
            # the version audited, not the one the alias points to now (it may have moved)
            return client.get_model_version(reg.name, reg.resolved_version)
        return client.get_model_version_by_alias(reg.name, reg.alias)  # a report older than the record
    latest = versions_of(client, reg.name, newest_only=True)
    return latest[0] if latest else None


def versions_of(client: Any, name: str, *, newest_only: bool = False) -> list[Any]:
    """The versions (``ModelVersion``) of the registered model ``name``, newest first; only
    the newest with ``newest_only``.

    MLflow's search filter (``SearchModelVersionUtils``) strips a value's outer quotes and
    unescapes nothing, so a name is quoted with the quote it does not contain (``'`` or ``"``).
    A name holding both cannot be written as one literal: it is then found with ``LIKE``, every
    quote (and ``\\``, an escape on some databases) a one-character wildcard, and the exact
    name picked here. Raises whatever MLflow raises."""
    newest = ["version_number DESC"]
    if "'" not in name or '"' not in name:
        quote = "'" if "'" not in name else '"'
        found = client.search_model_versions(
            f"name = {quote}{name}{quote}", order_by=newest, **({"max_results": 1} if newest_only else {})
        )
        return list(found)
    pattern = re.sub(r"['\"\\]", "_", name)
    found = [v for v in client.search_model_versions(f"name LIKE '{pattern}'", order_by=newest) if v.name == name]
    return found[:1] if newest_only else found


def _untagged_version(client: Any, name: str, artifact_sha256: str, report_digest: str) -> Any | None:
    """The newest version of ``name`` registered from the audited bytes that no report finished
    tagging (``tef.report_digest`` is set last) or that this report tagged; None if none."""
    from mlflow.exceptions import MlflowException

    try:
        versions = versions_of(client, name)
    except MlflowException:
        return None
    for mv in sorted(versions, key=lambda v: int(v.version), reverse=True):
        tags = dict(mv.tags)
        same_bytes = tags.get("tef.artifact_digest") == artifact_sha256
        if same_bytes and tags.get("tef.report_digest") in (None, report_digest):
            return mv
    return None


def _logged_model_id(model: Any | None) -> str | None:
    """The MLflow 3 logged model behind a registered version: its ``model_id``, or, where the
    server leaves that empty, the id in a ``models:/<model id>`` source. None for older models."""
    if model is None:
        return None
    found = getattr(model, "model_id", None)
    if found:
        return str(found)
    source = str(getattr(model, "source", "") or "")
    m = re.fullmatch(r"models:/(m-[0-9a-f]+)", source)
    return m.group(1) if m else None


def _tag_model_version(
    client: Any, view: TrackingView, model: Any | None, run_id: str, alias: str | None, coverage: Coverage
) -> tuple[str | None, str | None]:
    """Tag the audited registered-model version with the verdict, coverage, run and report
    digest; move ``alias`` onto it when conformant, off it when not (deployment pulls by alias).

    A partial audit (``--only``) never moves the alias onto the version: it was audited on some
    checks, not passed the gate. It leaves an alias already on the version there (a partial
    conformant run is no evidence against it) and still removes it when non-conformant
    (evidence against is evidence against). Returns ``name/version`` (None without a registered
    model) and, when a conformant partial run left the alias alone, the sentence saying so."""
    if model is None:
        return None, None
    name, version = str(model.name), str(model.version)
    verdict = view.tags["tef.verdict"]
    # tef.coverage: a version audited by a partial run (--only) says so where it is deployed from
    for key, value in (
        ("tef.verdict", verdict),
        ("tef.coverage", view.tags.get("tef.coverage", "full")),
        ("tef.run_id", run_id),
        ("tef.report_digest", view.report_digest),
    ):
        client.set_model_version_tag(name, version, key, value)
    if not alias:
        return f"{name}/{version}", None
    if verdict == "conformant" and not coverage.partial:
        client.set_registered_model_alias(name, alias, version)
        return f"{name}/{version}", None
    current = client.get_registered_model(name).aliases.get(alias)
    on_this = current is not None and str(current) == version
    note = None
    if verdict != "conformant":
        if on_this:
            client.delete_registered_model_alias(name, alias)
    else:
        partial = f"partial audit ({coverage.checks_selected} of {coverage.checks_in_profile} checks)"
        note = (
            f"alias {alias!r} stays on {name}/{version}, where it already was: not moved by a {partial}"
            if on_this
            else f"alias {alias!r} not moved onto {name}/{version}: {partial}"
        )
    return f"{name}/{version}", note
