"""What an audit looks like in an experiment tracker, computed from the report alone (no mlflow).

``qualified_metrics`` is the one adapter from a ``ConformityReport`` to tracker keys: each
metric's name (derived one-to-one from its dimensions) qualified once with its check id
(``Metric.qualified_name``). Everything
else here — params, tags, the findings table, run and experiment names, the two digests —
is a pure function of the report, so ``tef check`` and a later ``tef report sync`` of the
same ``report.json`` log exactly the same run.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from tef_harness.intake.hashing import sha256_json
from tef_harness.reports.coverage import coverage_of, partial_label, verdict_label
from tef_harness.reports.readable import reason_of
from tef_harness.reports.schema import ConformityReport
from tef_harness.reports.views import PlotSpec, view_of

#: MLflow's limits (mlflow/utils/validation.py): key length, param and tag value lengths
MAX_KEY = 250
#: params are meant to be short and filterable; anything longer goes to ``tef-params.json``
MAX_PARAM_VALUE = 500
MAX_TAG_VALUE = 8000
_MLFLOW_KEY = re.compile(r"^[/\w.\- :]*$")
_REGISTERED = re.compile(r"^models:/(?P<name>[^/@]+)(?:/(?P<version>[^/@]+)|@(?P<alias>[^/@]+))/?$")
#: config sections that do not change what is measured: a repeat logged elsewhere, or written
#: to another folder, is still the same audit
_NOT_AN_INPUT = ("out", "tracking", "baseline")


@dataclass(frozen=True)
class QualifiedMetric:
    """One report metric under its tracker key, with its interval bounds and sample size."""

    check_id: str
    name: str
    key: str
    value: float
    ci_low: float | None
    ci_high: float | None
    n: int | None
    greater_is_better: bool | None


@dataclass(frozen=True)
class RegisteredModelRef:
    """A ``models:/name/version`` or ``models:/name@alias`` URI taken apart."""

    name: str
    version: str | None
    alias: str | None
    #: the version the alias pointed to when the model was audited (recorded by intake)
    resolved_version: str | None = None


@dataclass(frozen=True)
class TrackingView:
    experiment: str
    run_name: str
    params: dict[str, str]
    #: params too long for a param value, logged as ``tef-params.json``
    long_params: dict[str, str]
    metrics: dict[str, float]
    tags: dict[str, str]
    summary: str
    findings: list[dict[str, str]]
    input_digest: str
    report_digest: str
    registered: RegisteredModelRef | None
    datasets: list[dict[str, str | int | None]] = field(default_factory=list)
    #: the report's plots by artifact path (``plots/<check id>/<nn>-<title>.svg``)
    plots: dict[str, PlotSpec] = field(default_factory=dict)


def tracker_key(name: str) -> str:
    """``name`` if MLflow accepts it as a metric/param/tag key, else a sanitised, one-to-one form.

    MLflow rejects characters outside ``[/\\w.\\- :]``, keys over 250 characters and keys that
    are not a normalised relative path (``a//b``, ``./a``, ``a/..``). A changed key ends with
    ``~`` and 8 hex digits of the original's sha256, so two originals cannot meet."""
    if len(name) <= MAX_KEY and _MLFLOW_KEY.fullmatch(name) and _normalised(name):
        return name
    cleaned = re.sub(r"[^/\w.\- :]", "_", name)
    segments = [s if s not in ("", ".", "..") else "_" for s in cleaned.split("/")]
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    head = "/".join(segments)[: MAX_KEY - 10].rstrip("/") or "_"
    return f"{head}-{digest}"


def _normalised(key: str) -> bool:
    norm = posixpath.normpath(key)
    return norm == key and norm != "." and not norm.startswith(("..", "/"))


def qualified_metrics(report: ConformityReport) -> Iterator[QualifiedMetric]:
    """Every metric of every check under its qualified name ``<check_id>/<metric name>``."""
    for result in report.results:
        for m in result.metrics:
            yield QualifiedMetric(
                check_id=result.check_id,
                name=m.name,
                key=tracker_key(m.qualified_name(result.check_id)),
                value=m.value,
                ci_low=m.ci.low if m.ci else None,
                ci_high=m.ci.high if m.ci else None,
                n=m.n,
                greater_is_better=m.greater_is_better,
            )


def flat_metrics(report: ConformityReport) -> dict[str, float]:
    """Tracker metrics: each value, plus ``…/ci_low``, ``…/ci_high`` and ``…/n`` where known."""
    out: dict[str, float] = {}
    for q in qualified_metrics(report):
        out[q.key] = q.value
        for suffix, extra in (("ci_low", q.ci_low), ("ci_high", q.ci_high), ("n", q.n)):
            if extra is not None:
                out[tracker_key(f"{q.check_id}/{q.name}/{suffix}")] = float(extra)
    return out


def input_digest(report: ConformityReport) -> str:
    """sha256 over what was tested: model bytes, every input file (data, card, ...) and the
    resolved config minus the sections that do not change a measurement (out, tracking,
    baseline). Two audits of the same inputs share it; the harness version is a param."""
    config = {k: v for k, v in report.config.items() if k not in _NOT_AN_INPUT}
    model = report.subject.model
    return sha256_json(
        {
            "model": model.sha256 if model else None,
            "files": sorted([f.role, f.sha256] for f in report.subject.files),
            "config": config,
        }
    )


def registered_model(report: ConformityReport) -> RegisteredModelRef | None:
    model = report.subject.model
    if model is None:
        return None
    m = _REGISTERED.match(model.path)
    if m is None:
        return None
    resolved = model.metadata.get("registered_version") if m["alias"] else None
    return RegisteredModelRef(m["name"], m["version"], m["alias"], str(resolved) if resolved else None)


def file_stem(path: str) -> str:
    """A model file's name without its suffixes (``credit.v2.skops`` -> ``credit``)."""
    return PurePosixPath(path.rstrip("/").replace("\\", "/")).name.split(".")[0]


def default_experiment(model_path: str, adapter: str) -> str:
    """The experiment of an audit of a model file when none is configured (as ``build_view``)."""
    return f"tef/{file_stem(model_path) or adapter}"


def model_label(report: ConformityReport) -> tuple[str, str]:
    """(model name, version) for run and experiment names: the registered name and version or
    alias, else the artifact's file stem and the first 8 hex digits of its sha256."""
    reg = registered_model(report)
    if reg is not None:
        return reg.name, reg.version or reg.alias or "?"
    model = report.subject.model
    if model is not None:
        stem = file_stem(model.path) or model.adapter
        if model.path.startswith("runs:/"):
            stem = model.path.removeprefix("runs:/").split("/")[0][:8]
        return stem, model.sha256[:8]
    data = next((f for f in report.subject.files if f.role == "eval"), None)
    if data is not None:
        return PurePosixPath(data.path.replace("\\", "/")).name.split(".")[0], data.sha256[:8]
    return "unnamed", "-"


def summary_text(report: ConformityReport, report_path: str | None = None) -> str:
    """The console summary as plain Markdown: the run description (``mlflow.note.content``)
    and ``tef-summary.md``. Reasons are the engine's words; they never carry data values."""
    name, version = model_label(report)
    lines = [
        f"**verdict: {report.verdict.value}** — {'; '.join(report.verdict_reasons)}",
        "",
        f"model `{name}@{version}`, profile `{report.profile.name}` {report.profile.version}, "
        f"tef-harness {report.provenance.tool_version}, seed {report.provenance.seed}",
        "",
        "| check | status | why |",
        "|---|---|---|",
    ]
    for r in report.results:
        why = reason_of(r).replace("|", "\\|").replace("\n", " ")  # read by people: 61+, not 61_x2B
        lines.append(f"| {r.check_id} | {r.status.value} | {why} |")
    lines += [f"- plugin failed to load: {f.entry_point}: {f.error}" for f in report.plugin_failures]
    lines += [f"- warning: {w}" for w in report.warnings]
    if report_path:
        lines += ["", f"report: {report_path}"]
    return "\n".join(lines) + "\n"


def findings_rows(report: ConformityReport) -> list[dict[str, str]]:
    """One row per finding: check, code, severity, gated, location, message.

    Messages and locations are the checks' own words, which the plugin contract keeps free of
    raw values; ``evidence`` (masked, but still derived from data) is left out of the run."""
    rows = []
    for r in report.results:
        for f in r.findings:
            rows.append(
                {
                    "check_id": r.check_id,
                    "code": f.code,
                    "severity": f.severity.value,
                    "gated": "yes" if f.code in r.gated_findings else "no",
                    "location": f.location or "",
                    "message": f.message,
                }
            )
    return rows


def plot_specs(report: ConformityReport) -> dict[str, PlotSpec]:
    """Every plot the rendered reports show, under an artifact path that sorts by check and order."""
    out: dict[str, PlotSpec] = {}
    for r in report.results:
        for i, spec in enumerate(view_of(r).plots, 1):
            slug = re.sub(r"[^A-Za-z0-9]+", "-", spec.title).strip("-").lower()[:60] or "plot"
            out[f"plots/{re.sub(r'[^A-Za-z0-9._-]', '_', r.check_id)}/{i:02d}-{slug}.svg"] = spec
    return out


def build_view(report: ConformityReport, report_bytes: bytes, experiment: str | None = None) -> TrackingView:
    """Everything the sink logs. ``report_bytes`` are ``report.json`` as written (its sha256 is
    the idempotency key of ``tef report sync``)."""
    name, version = model_label(report)
    model = report.subject.model
    params: dict[str, str] = {
        "tef.config_digest": report.subject.config_sha256,
        "tef.artifact_digest": model.sha256 if model else "none",
        "tef.model_adapter": model.adapter if model else "none",
        "tef.profile": report.profile.name,
        "tef.profile_version": report.profile.version,
        "tef.harness_version": report.provenance.tool_version,
        "tef.seed": str(report.provenance.seed),
        "tef.report_run_id": report.run_id,
    }
    for f in report.subject.files:
        params[tracker_key(f"tef.file.{f.role}.sha256")] = f.sha256
    for r in report.results:
        params[tracker_key(f"tef.check.{r.check_id}")] = (
            f"{r.check_version} ({r.distribution} {r.distribution_version})"
        )
    long_params = {k: v for k, v in params.items() if len(v) > MAX_PARAM_VALUE}
    for k in long_params:
        params[k] = "(long: see tef-params.json)"
    digest_in = input_digest(report)
    digest_report = hashlib.sha256(report_bytes).hexdigest()
    summary = summary_text(report)
    tags: dict[str, str] = {
        "tef.verdict": report.verdict.value,
        "tef.input_digest": digest_in,
        "tef.report_digest": digest_report,
        "tef.profile": f"{report.profile.name} {report.profile.version}",
        "tef.model": f"{name}@{version}",
        "mlflow.note.content": summary[:MAX_TAG_VALUE],
        # "full", or "partial: 1 of 16 checks" (--only) with the ids left out: tef.verdict keeps
        # the judge's word, so a search on it still works, and this says how much it covers
        "tef.coverage": partial_label(report) or "full",
    }
    if left := coverage_of(report).not_selected:
        tags["tef.checks_not_selected"] = ", ".join(left)[:MAX_TAG_VALUE]
    for r in report.results:
        tags[tracker_key(f"tef.status.{r.check_id}")] = r.status.value
    datasets: list[dict[str, str | int | None]] = [
        {
            "role": f.role,
            "path": f.path,
            "sha256": f.sha256,
            "rows": f.rows,
            "columns": ",".join(f.columns or ()),
            # [[column, pandas dtype], ...] as JSON, for the dataset's schema (None before 2.0)
            "dtypes": json.dumps([list(p) for p in zip(f.columns or (), f.dtypes, strict=True)]) if f.dtypes else None,
        }
        for f in report.subject.files
        if f.rows is not None
    ]
    return TrackingView(
        experiment=experiment or f"tef/{name}",
        run_name=f"{name}@{version}: {verdict_label(report)}",
        params=params,
        long_params=long_params,
        metrics=flat_metrics(report),
        tags=tags,
        summary=summary,
        findings=findings_rows(report),
        input_digest=digest_in,
        report_digest=digest_report,
        registered=registered_model(report),
        datasets=datasets,
        plots=plot_specs(report),
    )
