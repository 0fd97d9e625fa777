"""Keep the heavy libraries off the network and out of $HOME (see offline-stack.md).

Called by the CLI before any heavy import; values already set by the user win.
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
    "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
}


def apply_offline_defaults() -> None:
    for key, value in _DEFAULTS.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("TLDEXTRACT_CACHE", str(Path(tempfile.gettempdir()) / "tef-harness-tldextract"))
