"""Where the tracking step's time goes: each phase of logging one demo audit to a sqlite store,
timed on its own in one process (so the first line includes importing mlflow).

Phases: importing what the sink needs; opening an existing store; creating a new store the
MLflow way (tables + every migration) against copying the migrated template; and, for one run,
create_run, the metrics in one log_batch against one log_metric call per metric, the report
folder's files, the findings table, the plots (drawn and logged as files, against one log_figure each), the
dataset inputs (from_pandas),
and set_terminated.

Usage: python benchmarks/bench_tracking_phases.py [--checks performance.metrics,...|all]
Needs the demo (`make demo` or `python examples/credit/build_demo.py`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_tracking import TEF, demo_config  # noqa: E402


def timed(label: str, fn: Callable[[], Any]) -> Any:
    t0 = time.perf_counter()
    out = fn()
    print(f"{label:<44} {time.perf_counter() - t0:7.3f} s")
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", default="performance.metrics,documentation.completeness,bias.group_fairness")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="tef-phases-") as tmp:
        folder = Path(tmp)
        demo_config(folder)
        cmd = [TEF, "check", "--no-third-party", "--no-tracking"]
        if args.checks != "all":
            cmd += ["--only", args.checks]
        subprocess.run(cmd, cwd=folder, capture_output=True, check=False)
        report_dir = folder / "out"
        os.environ["XDG_CACHE_HOME"] = str(folder / "cache")
        os.environ["TEF_CACHE_DIR"] = str(folder / "cache" / "tef-harness")

        from tef_harness.config.tracking_uri import TrackingTarget
        from tef_harness.reports.sinks import mlflow_sink as sink

        def target(db: Path) -> TrackingTarget:
            return TrackingTarget(f"sqlite:///{db}", None, None, folder / "mlartifacts", embedded=True)

        timed("import mlflow (what the sink needs)", lambda: sink.import_mlflow(target(folder / "x.db")))
        import pandas as pd
        from mlflow.entities import Metric
        from mlflow.tracking import MlflowClient

        timed(
            "new store, MLflow's way (tables + migrations)",
            lambda: MlflowClient(f"sqlite:///{folder / 'm.db'}").search_experiments(),
        )
        from tef_harness.reports.sinks import mlflow_store_seed as seed

        timed("template alone, migrated in memory", lambda: seed._initialize(folder / "alone.db"))
        timed("new store, template built (first ever)", lambda: sink.open_client(target(folder / "t1.db")))
        timed("new store, copied from the template", lambda: sink.open_client(target(folder / "t2.db")))
        client = timed("existing store, opened", lambda: sink.open_client(target(folder / "t2.db")))

        report, raw = timed("read and validate report.json", lambda: sink.read_report(report_dir))
        view = timed("build the view (pure)", lambda: sink.build_view(report, raw))
        exp = sink._experiment(client, view.experiment, target(folder / "t2.db"))
        run_id = timed("create_run", lambda: client.create_run(exp, run_name=view.run_name).info.run_id)
        now = int(time.time() * 1000)
        metrics = [Metric(k, v, now, 0) for k, v in view.metrics.items()]
        timed(f"{len(metrics)} metrics, one log_batch", lambda: client.log_batch(run_id, metrics=metrics))
        other = client.create_run(exp).info.run_id
        timed(
            f"{len(metrics)} metrics, one log_metric each",
            lambda: [client.log_metric(other, m.key, m.value, m.timestamp) for m in metrics],
        )
        frames = {"eval": pd.read_csv(ROOT / "examples" / "credit" / "generated" / "eval.csv")}
        timed("dataset inputs (from_pandas, first call)", lambda: sink._log_datasets(client, run_id, view, frames))
        timed("dataset inputs (from_pandas, again)", lambda: sink._log_datasets(client, other, view, frames))
        timed("report folder files (log_artifacts)", lambda: client.log_artifacts(run_id, str(report_dir)))
        table = pd.DataFrame(view.findings)
        timed("findings table (log_table)", lambda: client.log_table(run_id, data=table, artifact_file="f.json"))
        def plots_logged(run: str) -> None:
            with tempfile.TemporaryDirectory() as plots_tmp:
                sink._write_plots(Path(plots_tmp), view)
                client.log_artifacts(run, plots_tmp)

        timed(f"{len(view.plots)} plots, drawn and logged (sync)", lambda: plots_logged(run_id))
        timed(f"{len(view.plots)} plots, drawn already (tef check)", lambda: plots_logged(other))

        def log_figures() -> None:  # what the sink did before: one log_figure per plot
            from tef_harness.reports.renderers.plots import build_figure, plot_settings

            for artifact_file, spec in view.plots.items():
                with plot_settings():
                    client.log_figure(other, build_figure(spec)[0], "old/" + artifact_file)

        timed(f"{len(view.plots)} plots, one log_figure each", log_figures)
        timed("set_terminated", lambda: client.set_terminated(run_id, "FINISHED"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
