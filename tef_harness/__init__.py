"""tef-harness: pre-market conformity testing for machine-learning models.

The public plugin API lives in :mod:`tef_harness.api`. ``tef_harness.audit(...)`` runs an
audit on objects already in memory (see :mod:`tef_harness.engine.in_memory`); it is imported on
first use, so ``import tef_harness`` (and ``tef --help``) stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from tef_harness.engine.in_memory import audit as audit


def __getattr__(name: str) -> Any:
    if name == "audit":
        from tef_harness.engine.in_memory import audit

        return audit
    raise AttributeError(f"module 'tef_harness' has no attribute {name!r}")
