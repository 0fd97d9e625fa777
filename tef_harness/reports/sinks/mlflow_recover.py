"""Logging a report in-process after the tracking worker died, without a second unexplained run.

The worker creates its run, tells ``tef`` the run id, then fills it. If it dies before
answering (killed, out of memory), ``tef`` logs the report itself. What happens to the
worker's run:

* it is FINISHED (the worker died after finishing it, before answering): it is the audit's
  run; nothing is logged twice (the retry of ``tef report sync``: ``skip_if_logged``);
* otherwise it is marked FAILED and tagged ``tef.failure``, the report is logged as a new run,
  and the two are linked: ``tef.superseded_by`` on the failed run, ``tef.supersedes`` on the
  new one.

Why not resume the worker's run instead: it died at an unknown point of the filling, so the run
may hold part of the metrics, parameters, dataset inputs and files. Logging the report into
it again would add every metric a second time with another timestamp (MLflow keeps both as
history), and any half-uploaded file would be indistinguishable from a complete one. An
operator auditing a shared server wants each run to be either a complete record or visibly
FAILED, and wants to see that an attempt failed and where its replacement is; a run left
RUNNING reads as an audit still in progress, forever.

The registration done by the worker (``--register-as``) is reused, not repeated: the version of
the audited bytes that no report has finished tagging (``skip_if_logged``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tef_harness.config.tracking_uri import TrackingTarget, is_http

if TYPE_CHECKING:
    import pandas as pd

    from tef_harness.reports.sinks.mlflow_register import RegisterRequest
    from tef_harness.reports.sinks.mlflow_sink import LoggedRun

FAILURE = "the tracking worker process died while logging this run; the report was logged again by tef itself"


def log_after_dead_worker(
    report_dir: Path,
    target: TrackingTarget,
    *,
    frames: Mapping[str, pd.DataFrame],
    register: RegisterRequest | None,
    unfinished_run: str | None,
) -> tuple[LoggedRun, str | None]:
    """Log the report in ``report_dir`` in this process after the worker died; ``unfinished_run``
    is the run it created, if it got that far. The logged run, and the id of the worker's run
    when it was marked FAILED (see the module docstring), else None.
    Raises TrackingFailed and TefError as ``log_report`` does."""
    from tef_harness.reports.sinks.mlflow_sink import TrackingFailed, log_report, open_client, probe

    client: Any = None
    failed: str | None = None
    if unfinished_run is not None:
        try:
            if is_http(target.uri):
                probe(target.uri)
            client = open_client(target)
            if client.get_run(unfinished_run).info.status != "FINISHED":
                client.set_terminated(unfinished_run, "FAILED")
                client.set_tag(unfinished_run, "tef.failure", FAILURE)
                failed = unfinished_run
        except TrackingFailed:
            raise
        except Exception as exc:  # noqa: BLE001 - MLflow raises many types (REST, SQL, OS)
            first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
            raise TrackingFailed(f"{type(exc).__name__}: {first}", file=target.uri) from None
    logged = log_report(report_dir, target, frames=frames, skip_if_logged=True, client=client, register=register)
    if failed is not None and logged.run_id != failed:
        # the link is best effort: both runs are already what they should be
        with contextlib.suppress(Exception):
            client.set_tag(failed, "tef.superseded_by", logged.run_id)
            client.set_tag(logged.run_id, "tef.supersedes", failed)
    return logged, failed
