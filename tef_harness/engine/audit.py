"""One audit as one function: ``run_audit(spec) -> ConformityReport``.

Everything that crosses a process boundary is plain, frozen data: the ``AuditSpec`` going in
(the resolved config, where it came from, the folder its relative paths resolve against) and
the deep-frozen report coming out, so both pickle (a batch runner's worker, a ``spawn``
process). The live state of an audit (the model client with its locks and caches, the loaded
frames, the worker pool) is built inside the call and dropped at its end; nothing holds it
across the boundary.

The CLI, the pytest plugin, the MLflow evaluator and ``tef_harness.audit(...)`` call this;
what they do around it (tracking, rendering, exit codes) is theirs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from tef_harness.config.schema import LoadedConfig, TefConfig
from tef_harness.reports.schema import ConformityReport

if TYPE_CHECKING:
    from tef_harness.engine.runner import Intake, Progress


class AuditSpec(BaseModel):
    """What one audit is, as data: the config with every command-line override applied
    (model, data, card, ``plugins.only``, ``model.trust_artifact``, ``seed``, ``jobs``, ...).

    ``source`` names the config file in error messages (None: built from arguments alone);
    relative paths in ``config`` resolve against ``base_dir``. Frozen and picklable.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    config: TefConfig
    source: str | None = None
    base_dir: Path
    #: warnings found while loading the config (deprecated keys), for the report
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_loaded(cls, lc: LoadedConfig) -> AuditSpec:
        """The spec of a loaded config (``tef_harness.config.loader.load_config``)."""
        return cls(config=lc.config, source=lc.source, base_dir=lc.base_dir, warnings=lc.warnings)

    def loaded(self) -> LoadedConfig:
        return LoadedConfig(config=self.config, source=self.source, base_dir=self.base_dir, warnings=self.warnings)


def run_audit(spec: AuditSpec, *, progress: Progress | None = None, intake: Intake | None = None) -> ConformityReport:
    """Plan, take in the inputs, bind, run every planned check, judge, and return the report.

    ``progress`` (called before and after each check with its id and, after, its result) is
    for a console; ``intake`` replaces reading the files the config names with objects the
    caller already holds in this process (``tef_harness.audit``). Raises ``TefError`` (a
    ``ConfigError`` or ``IntakeError``, one line naming file and field) for a bad input, before
    any check runs; a check's own failure is an ``error`` result in the report, never a raise.
    """
    from tef_harness.engine.runner import prepare, run

    lc = spec.loaded()
    prepared = prepare(lc, intake=intake)
    return run(lc, prepared, progress=progress)


__all__ = ["AuditSpec", "run_audit"]
