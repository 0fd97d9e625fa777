"""Keep the heavy libraries off the network and out of $HOME (see offline-stack.md).

The one place the harness sets environment variables. It is applied once per process, at
process start: by the ``tef`` command before anything heavy is imported, and by the engine
before it takes in inputs (for programs that call the engine directly); nothing sets them at
import time. A value the user has already set wins.

presidio's e-mail recognizer calls ``tldextract``, which fetches the public-suffix list on its
first match unless told not to; tldextract reads its variables when it is first imported,
which happens lazily, inside the first PII scan, so setting them here is early enough.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_DEFAULTS = {
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "ORT_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    # tldextract: the bundled suffix list, never a download
    "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
    # MLflow's HTTP client retries 7 times with exponential back-off by default (minutes against
    # a dead tracking server); an audit in CI should say "tracking failed" within seconds
    "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "2",
    "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR": "1",
    "MLFLOW_HTTP_REQUEST_TIMEOUT": "30",
}

_applied = False


def apply_offline_defaults() -> None:
    """Set each variable above unless the environment already has it; later calls do nothing."""
    global _applied
    if _applied:
        return
    for key, value in _DEFAULTS.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("TLDEXTRACT_CACHE", str(Path(tempfile.gettempdir()) / "tef-harness-tldextract"))
    _applied = True
