"""Read a baseline report: a ``report.json`` (or its folder), or the one logged in an MLflow run.

It is read before the audit starts, so a baseline that is not a report, is of another schema
version or cannot be fetched is a one-line input error (exit 2) before any work is done.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from tef_harness.config.schema import LoadedConfig
from tef_harness.config.tracking_uri import TrackingTarget
from tef_harness.reports.schema import ConformityReport
from tef_harness.sdk.errors import ConfigError, TefError

_RUN_ID = re.compile(r"^(?:runs:/)?(?P<id>[0-9a-f]{32})/?(?:report\.json)?$")


def load_baseline(spec: str, target: TrackingTarget | None, *, field: str = "--baseline") -> ConformityReport:
    """The baseline named by ``spec``: a path, ``runs:/<run id>`` or a bare 32-hex run id.

    A run id is looked up in ``target``'s store (the one this audit logs to). Raises TefError."""
    from tef_harness.reports.sinks.mlflow_sink import read_report

    path = Path(spec).expanduser()
    if path.exists():
        return read_report(path)[0]
    m = _RUN_ID.match(spec.strip())
    if m is None:
        raise ConfigError("no such file or folder (nor an MLflow run id)", file=spec, field=field)
    if target is None:
        raise ConfigError("a run id as baseline needs tracking (drop --no-tracking)", file=spec, field=field)
    with tempfile.TemporaryDirectory(prefix="tef-baseline-") as tmp:
        try:
            from tef_harness.engine.offline import apply_offline_defaults

            apply_offline_defaults()
            from mlflow.tracking import MlflowClient

            client = MlflowClient(tracking_uri=target.uri)
            local = client.download_artifacts(m["id"], "report.json", tmp)
        except Exception as exc:  # noqa: BLE001 - MLflow raises many types
            raise TefError(
                f"cannot fetch report.json of run {m['id']} from {target.uri} ({type(exc).__name__})", field=field
            ) from None
        return read_report(Path(local))[0]


def baseline_spec(lc: LoadedConfig, flag: str | None) -> tuple[str, str] | None:
    """(spec, where it came from): ``--baseline`` beats ``baseline.path``; a path in the config
    is relative to the config's folder, a run id is kept as written."""
    if flag is not None:
        return flag, "--baseline"
    value = lc.config.baseline.path
    if value is None:
        return None
    if _RUN_ID.match(value.strip()):
        return value, "baseline.path"
    return str(lc.path(value)), "baseline.path"


def gate(baseline: ConformityReport, candidate: ConformityReport, lc: LoadedConfig) -> tuple[list[str], bool]:
    """Lines to print and whether the baseline gate passed (a failed comparison fails it)."""
    from tef_harness.reports.report_diff import compare, diff_reports, different_model

    lines = []
    if different_model(baseline, candidate):
        lines.append("baseline is of a different model artifact; compared anyway")
    d = diff_reports(baseline, candidate)
    if d.partial_sides:
        # a check left out by --only on one side has no metric there: it is not compared
        lines.append(
            f"partial comparison: {'; '.join(d.partial_sides)}: not compared: {', '.join(d.not_compared_checks)}"
        )
    results = compare(baseline, candidate, lc.config.baseline.thresholds)
    lines += [r.describe() for r in results]
    if not lc.config.baseline.thresholds:
        lines.append("no [baseline] thresholds configured: nothing gated (see tef report diff for the changes)")
    return lines, all(r.passed for r in results)
