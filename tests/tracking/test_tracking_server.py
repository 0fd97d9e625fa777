"""`tef check` against a real MLflow tracking server, read back with MlflowClient.

Every expectation is computed from the report.json the same run wrote (by the test's own code,
not the sink's), so a key, value or tag the sink gets wrong fails here.
"""

from __future__ import annotations

import hashlib
import json
import shlex
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import Artifacts
from tests.tracking.conftest import TEF, Server, free_port, serve, tef, tracking_env

pytestmark = pytest.mark.slow

CHECKS = "performance.metrics,documentation.completeness"


def audit(artifacts: Artifacts, folder: Path, experiment: str, *extra: str, out: str = "out"):
    (folder / "tef.toml").write_text(artifacts.config(f'[tracking]\nexperiment = "{experiment}"\n'), encoding="utf-8")
    return tef("check", "--only", CHECKS, "--out", out, *extra, cwd=folder)


def expected_metrics(report: dict) -> dict[str, float]:
    out = {}
    for r in report["results"]:
        for m in r["metrics"]:
            key = f"{r['check_id']}/{m['name']}"
            out[key] = m["value"]
            if m.get("ci"):
                out[f"{key}/ci_low"] = m["ci"]["low"]
                out[f"{key}/ci_high"] = m["ci"]["high"]
            if m.get("n") is not None:
                out[f"{key}/n"] = float(m["n"])
    return out


def only_run(client, experiment: str):
    exp = client.get_experiment_by_name(experiment)
    assert exp is not None
    runs = client.search_runs([exp.experiment_id])
    return exp, runs


def test_check_logs_one_complete_run(artifacts: Artifacts, tmp_path: Path, mlflow_server: Server, client) -> None:
    proc = audit(artifacts, tmp_path, "t/complete", "--tracking-uri", mlflow_server.uri)
    assert proc.returncode in (0, 1), proc.stderr
    raw = (tmp_path / "out" / "report.json").read_bytes()
    report = json.loads(raw)
    _, runs = only_run(client, "t/complete")
    (run,) = runs
    assert f"MLflow run {run.info.run_id}" in proc.stderr
    assert run.info.status == "FINISHED"
    # --only: the run's name says the audit was partial (the checks selected, of the profile's)
    cov = report["coverage"]
    assert cov["partial"] and cov["checks_selected"] == len(CHECKS.split(","))
    partial = f"partial: {cov['checks_selected']} of {cov['checks_in_profile']} checks"
    assert run.info.run_name == f"model@{report['subject']['model']['sha256'][:8]}: {report['verdict']} ({partial})"
    # metrics: every report metric under <check_id>/<name>, with interval bounds and n
    want = expected_metrics(report)
    assert len(want) > 10
    assert run.data.metrics == pytest.approx(want)
    # tags
    tags = run.data.tags
    assert tags["tef.verdict"] == report["verdict"]
    assert tags["tef.report_digest"] == hashlib.sha256(raw).hexdigest()
    for r in report["results"]:
        assert tags[f"tef.status.{r['check_id']}"] == r["status"]
    assert tags["tef.profile"].startswith(report["profile"]["name"])
    assert f"verdict: {report['verdict']}" in tags["mlflow.note.content"]
    assert len(tags["tef.input_digest"]) == 64
    # params
    params = run.data.params
    assert params["tef.config_digest"] == report["subject"]["config_sha256"]
    assert params["tef.artifact_digest"] == report["subject"]["model"]["sha256"]
    assert params["tef.seed"] == "0"
    assert params["tef.harness_version"] == report["provenance"]["tool_version"]
    for r in report["results"]:
        assert params[f"tef.check.{r['check_id']}"].startswith(r["check_version"])
    # artifacts: report.json byte for byte, the summary, the findings table
    names = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert {"report.json", "tef-summary.md", "findings.json"} <= names
    local = Path(client.download_artifacts(run.info.run_id, "report.json", str(tmp_path / "dl")))
    assert local.read_bytes() == raw
    table_path = client.download_artifacts(run.info.run_id, "findings.json", str(tmp_path / "dl"))
    table = json.loads(Path(table_path).read_text())
    rows = [dict(zip(table["columns"], row, strict=True)) for row in table["data"]]
    want_rows = sorted((r["check_id"], f["code"], f["severity"]) for r in report["results"] for f in r["findings"])
    assert want_rows, "the documentation check on the demo card should report findings"
    assert sorted((row["check_id"], row["code"], row["severity"]) for row in rows) == want_rows
    # the dataset input (mlflow.data.from_pandas): the file's digest and path, schema and size
    (inp,) = [d for d in run.inputs.dataset_inputs if d.dataset.name.startswith("eval:")]
    eval_rec = next(f for f in report["subject"]["files"] if f["role"] == "eval")
    frame = pd.read_csv(artifacts.eval_csv)
    assert inp.dataset.digest == hashlib.sha256(artifacts.eval_csv.read_bytes()).hexdigest()[:32]
    assert inp.dataset.source_type == "local"
    assert json.loads(inp.dataset.source)["uri"] == str(artifacts.eval_csv)
    assert json.loads(inp.dataset.profile) == {"num_rows": len(frame), "num_elements": int(frame.size)}
    colspec = json.loads(inp.dataset.schema)["mlflow_colspec"]
    assert [c["name"] for c in colspec] == list(frame.columns) == eval_rec["columns"]
    kinds = {"O": "string", "f": "double", "i": "long", "b": "boolean"}
    assert [c["type"] for c in colspec] == [kinds[frame[c].dtype.kind] for c in frame.columns]
    # ... and never a value: no cell text of the data appears anywhere in the logged entity
    entity = json.dumps([inp.dataset.name, inp.dataset.source, inp.dataset.schema, inp.dataset.profile])
    cells = {str(v) for c in frame.columns if frame[c].dtype.kind == "O" for v in frame[c].unique()}
    assert cells and not [v for v in cells if len(v) >= 3 and f'"{v}"' in entity and v not in frame.columns]
    # the report's plots, logged as the SVG files log_figure would write, which the UI
    # previews: one per plot the rendered reports show (performance: the metrics with
    # intervals and the reliability curve; documentation: the items), as many as the HTML
    # report draws
    plots = [
        f.path
        for d in client.list_artifacts(run.info.run_id, "plots")
        for f in client.list_artifacts(run.info.run_id, d.path)
    ]
    assert sorted(plots) == [
        "plots/documentation.completeness/01-documentation-items-by-state.svg",
        "plots/performance.metrics/01-metrics-with-intervals.svg",
        "plots/performance.metrics/02-calibration-observed-frequency-by-predicted-probability.svg",
    ]
    assert len(plots) == (tmp_path / "out" / "report.html").read_text().count(' class="plot" role="img"')
    path = "plots/performance.metrics/01-metrics-with-intervals.svg"
    svg = Path(client.download_artifacts(run.info.run_id, path, str(tmp_path / "dl"))).read_text()
    assert "<svg" in svg and "Metrics with intervals" in svg
    # a standalone SVG file, as Figure.savefig writes it: well-formed XML, an intrinsic size
    import xml.etree.ElementTree as ET

    assert svg.startswith("<?xml")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("width", "").endswith("pt") and root.get("height", "").endswith("pt")
    (perf,) = [r for r in report["results"] if r["check_id"] == "performance.metrics"]
    shown = [m["name"] for m in perf["metrics"] if 0 <= m["value"] <= 1 and len(m["name"]) < 24]
    assert shown and all(f">{name}<" in svg for name in shown)  # each rate is a labelled point


def test_same_audit_twice_two_runs_equal_metrics_and_input_digest(
    artifacts: Artifacts, tmp_path: Path, mlflow_server: Server, client
) -> None:
    for out in ("a", "b"):
        proc = audit(artifacts, tmp_path, "t/twice", "--tracking-uri", mlflow_server.uri, out=out)
        assert proc.returncode in (0, 1), proc.stderr
    _, runs = only_run(client, "t/twice")
    assert len(runs) == 2
    a, b = (r.data for r in runs)
    assert a.metrics == b.metrics
    assert a.tags["tef.input_digest"] == b.tags["tef.input_digest"]
    # the reports differ in their timestamps, so their digests do
    assert a.tags["tef.report_digest"] != b.tags["tef.report_digest"]


def test_unreachable_server_keeps_report_then_sync_logs_it_once(
    artifacts: Artifacts, tmp_path: Path, mlflow_server: Server, client
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    proc = audit(artifacts, tmp_path, "t/sync", "--tracking-uri", closed)
    report_path = tmp_path / "out" / "report.json"
    assert report_path.is_file()
    report = json.loads(report_path.read_text())
    failed = [ln for ln in proc.stderr.splitlines() if ln.startswith("tef: tracking failed")]
    assert len(failed) == 1 and closed in failed[0] and "tef report sync" in failed[0], proc.stderr
    # 4 only when the audit itself passed; a failing audit keeps its 1
    assert proc.returncode == (4 if report["verdict"] == "conformant" else 1)
    assert client.get_experiment_by_name("t/sync") is None

    first = tef("report", "sync", str(tmp_path / "out"), "--tracking-uri", mlflow_server.uri, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    _, runs = only_run(client, "t/sync")
    (run,) = runs
    assert run.data.tags["tef.report_digest"] == hashlib.sha256(report_path.read_bytes()).hexdigest()
    assert run.data.metrics == pytest.approx(expected_metrics(report))
    second = tef("report", "sync", str(tmp_path / "out"), "--tracking-uri", mlflow_server.uri, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert f"already logged as MLflow run {run.info.run_id}" in second.stderr
    assert len(only_run(client, "t/sync")[1]) == 1


def test_the_sync_hint_pasted_as_printed_logs_to_the_server_the_audit_asked_for(
    artifacts: Artifacts, tmp_path: Path
) -> None:
    """Before: the hint read ``tef report sync <folder>`` and, pasted, logged to the default
    sqlite store in the working folder. Now it carries the URI (and experiment): the audit's
    server, dead at audit time, then up on the same port, receives the run."""
    port = free_port()
    dead = f"http://127.0.0.1:{port}"
    proc = audit(artifacts, tmp_path, "t/hint", "--tracking-uri", dead)
    (line,) = [ln for ln in proc.stderr.splitlines() if ln.startswith("tef: tracking failed")]
    hint = line.split("(log it later: ", 1)[1].removesuffix(")")
    words = shlex.split(hint)
    assert words[:3] == ["tef", "report", "sync"] and "--tracking-uri" in words
    assert words[words.index("--tracking-uri") + 1] == dead
    assert words[words.index("--experiment") + 1] == "t/hint"
    (tmp_path / "server").mkdir()
    with serve(tmp_path / "server", port=port) as server:
        pasted = subprocess.run(
            [TEF, *words[1:]], cwd=tmp_path, env=tracking_env(), capture_output=True, text=True, timeout=300,
            check=False,
        )
        assert pasted.returncode == 0, pasted.stderr
        from mlflow.tracking import MlflowClient

        client = MlflowClient(tracking_uri=server.uri)
        _, runs = only_run(client, "t/hint")
        (run,) = runs
        raw = (tmp_path / "out" / "report.json").read_bytes()
        assert run.data.tags["tef.report_digest"] == hashlib.sha256(raw).hexdigest()
    # nothing went to the default store in the working folder
    assert not (tmp_path / "mlflow.db").exists()


def test_sync_of_a_non_report_is_an_input_error(tmp_path: Path, mlflow_server: Server) -> None:
    (tmp_path / "report.json").write_text('{"schema_version": "9.9"}')
    proc = tef("report", "sync", str(tmp_path), "--tracking-uri", mlflow_server.uri, cwd=tmp_path)
    assert proc.returncode == 2
    (line,) = [ln for ln in proc.stderr.splitlines() if ln.startswith("tef: error:")]
    assert "report.json" in line and "not a tef conformity report" in line
