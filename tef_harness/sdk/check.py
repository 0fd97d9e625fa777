"""The check contract: class-level metadata the engine can read without running anything,
and one pure method that measures.

A check measures; the engine judges. A check never prints, writes files, logs to MLflow or
reads the clock; thresholds and waivers are the config's business, so a policy change never
touches check code.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from tef_harness.sdk.context import CAPABILITIES, RunContext
from tef_harness.sdk.results import CheckOutput

CHECK_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


class Params(BaseModel):
    """Base for a check's parameters: frozen and strict, so a typo in the config is an
    error before the run, not a silently ignored key. A field with an alias is accepted
    under either name (``schema`` or ``feature_schema``). Numbers are finite: TOML spells
    ``inf`` and ``nan``, and an infinite tolerance or timeout passes a lower bound while
    making the check vacuous (nothing counts as changed) or crash (no timer takes it)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False)


class Check(ABC):
    """Subclass, fill in the metadata, implement ``run`` (and ``bind`` when the check's
    parameters must agree with the data), and register the class under the entry-point group
    ``tef_harness.checks`` with the entry-point name equal to ``id``.

    The engine calls ``bind`` for every planned check after intake and before the first
    ``run``, so a parameter that does not fit the data stops the run before any check has
    spent time, and ``run`` never raises a configuration error.
    """

    #: ``family.name`` in lower snake case, e.g. ``bias.group_fairness``
    id: ClassVar[str]
    #: the family, equal to the part of ``id`` before the dot
    family: ClassVar[str]
    title: ClassVar[str]
    #: bump when the meaning of a metric changes, so reports stay comparable
    version: ClassVar[str] = "1"
    description: ClassVar[str] = ""
    #: capability names from ``tef_harness.api.CAPABILITIES``
    requires: ClassVar[frozenset[str]] = frozenset()
    #: requirement ids this check gives evidence for, e.g. ``EU-AI-Act:Art15(1)``
    evidence_for: ClassVar[tuple[str, ...]] = ()
    #: check ids (or ``family.*`` patterns) whose results this check reads from ``ctx.results``
    run_after: ClassVar[tuple[str, ...]] = ()
    #: every metric name ``run`` can report, whatever the task and data, as ``fnmatch``
    #: patterns where a name holds a data value (``dp_difference/*``); None when the names are
    #: only known after a run. A config threshold on a plain name outside them is refused
    #: before the run (a misspelt ``roc_aucc`` would otherwise bound nothing)
    metric_names: ClassVar[tuple[str, ...] | None] = None
    Params: ClassVar[type[Params]] = Params
    #: deprecated params that are aliases of a run-wide setting: (param, dotted config field)
    #: pairs. The engine applies a set alias to the whole run and warns in the report. Known
    #: settings: ``model.decision_threshold``.
    run_setting_aliases: ClassVar[tuple[tuple[str, str], ...]] = ()

    def bind(self, ctx: RunContext, params: Any) -> str | None:
        """Decide, before any check runs, whether this check applies to these inputs.

        Returns the reason it does not apply (the result is then ``not_applicable`` with that
        reason and ``run`` is not called), or None when it applies. Raises ``ConfigError`` when
        a parameter contradicts the data, with ``field`` relative to the check's params
        (``"schema.age"``; the engine prefixes ``checks."<id>".params.``), or ``IntakeError``
        naming an input file and its config field (``data.sensitive``) when the input cannot
        be judged. Called only when ``requires`` is met. Must not call the model (it may
        inspect ``ctx.model``'s attributes) and must be cheap: it runs for every check first.
        """
        return None

    @abstractmethod
    def run(self, ctx: RunContext, params: Any) -> CheckOutput:
        """Measure. ``params`` is an instance of ``self.Params``, already validated, and
        ``bind`` accepted both. Raises nothing a user can fix: an exception here becomes an
        ``error`` result."""


def metadata_problems(cls: type[Any]) -> list[str]:
    """Why a class is not a valid check; empty when it is. Used by the registry and the
    plugin contract suite, so a bad plugin is reported as data rather than crashing a run."""
    if not (isinstance(cls, type) and issubclass(cls, Check)):
        return [f"{cls!r} is not a subclass of tef_harness.api.Check"]
    problems: list[str] = []
    cid = getattr(cls, "id", None)
    if not isinstance(cid, str) or not CHECK_ID.fullmatch(cid):
        problems.append(f"id {cid!r} must be 'family.name' in lower snake case")
    elif getattr(cls, "family", None) != cid.split(".")[0]:
        problems.append(f"family {getattr(cls, 'family', None)!r} must equal {cid.split('.')[0]!r}")
    if not isinstance(getattr(cls, "title", None), str) or not cls.title.strip():
        problems.append("title must be a non-empty string")
    unknown = set(cls.requires) - set(CAPABILITIES)
    if unknown:
        problems.append(f"requires unknown capabilities: {', '.join(sorted(unknown))}")
    if not (isinstance(cls.Params, type) and issubclass(cls.Params, Params)):
        problems.append("Params must subclass tef_harness.api.Params")
    else:
        cfg = cls.Params.model_config
        if cfg.get("extra") != "forbid" or not cfg.get("frozen"):
            problems.append("Params must be frozen with extra='forbid'")
        try:
            cls.Params()
        except Exception as exc:  # noqa: BLE001 - any failure is a contract problem
            problems.append(f"Params() must be constructible with defaults: {exc}")
    if cls.__abstractmethods__:
        problems.append("run() is not implemented")
    if not all(isinstance(e, str) and e for e in cls.evidence_for):
        problems.append("evidence_for must be a tuple of non-empty strings")
    return problems
