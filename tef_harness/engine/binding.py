"""Bind: every planned check sees the taken-in inputs once, before any check runs.

A check either applies, declares itself not applicable (with the reason), or rejects the
inputs. A rejection is a bad input and stops the run (exit 2) before a single check has spent
time; its field is relative to the check's params, and this module is the one place that
turns it into the config's dotted path, so every such message names the field the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from tef_harness.engine.planning import Plan
from tef_harness.sdk.context import RunContext
from tef_harness.sdk.errors import ConfigError, TefError

BindKind = Literal["not_applicable", "error"]


@dataclass(frozen=True)
class Unbound:
    """Why a planned check will not run: it does not apply, or ``bind`` itself failed."""

    kind: BindKind
    reason: str


def params_field(check_id: str, field: str | None) -> str:
    """``checks."<id>".params`` followed by the check's own relative field."""
    return f'checks."{check_id}".params' + (f".{field}" if field else "")


def bind_checks(plan: Plan, ctx: RunContext, source: str) -> dict[str, Unbound]:
    """Call ``bind`` of every planned check whose ``requires`` the context meets.

    Returns the checks that will not run, by id. Raises ConfigError (field prefixed, file the
    config unless the check named another) or the check's IntakeError unchanged. A check whose
    ``bind`` raises anything else is recorded as an ``error`` (a bug in the check must not
    take the run down), and the others still bind.
    """
    unbound: dict[str, Unbound] = {}
    for planned in plan.checks:
        cls = planned.cls
        if not cls.requires <= ctx.capabilities:
            continue  # the runner reports the missing capabilities
        try:
            reason = cls().bind(ctx, planned.params)
        except ConfigError as exc:
            raise ConfigError(exc.detail, file=exc.file or source, field=params_field(cls.id, exc.field)) from None
        except TefError:
            raise  # an IntakeError names its own file and field
        except Exception as exc:  # noqa: BLE001 - a bug in a check's bind is data
            message = str(exc).splitlines()[0][:300] if str(exc) else ""
            unbound[cls.id] = Unbound("error", f"bind: {type(exc).__name__}: {message}")
            continue
        if reason is not None:
            unbound[cls.id] = Unbound("not_applicable", str(reason))
    return unbound


def _aliases(plan: Plan, setting: str) -> list[tuple[str, Any]]:
    """(dotted field, value) of every set check param that is a deprecated alias of ``setting``."""
    found = []
    for planned in plan.checks:
        for param, target in planned.cls.run_setting_aliases:
            value = getattr(planned.params, param, None)
            if target == setting and value is not None:
                found.append((params_field(planned.cls.id, param), value))
    return found


def worker_count(plan: Plan, jobs: int) -> tuple[int, list[str]]:
    """The run's worker count: ``jobs``, or the largest deprecated per-check alias of it when
    ``jobs`` is left at 1 (with a warning for the report)."""
    warnings = []
    count = jobs
    for field, value in _aliases(plan, "jobs"):
        warnings.append(f"{field} is deprecated: set jobs (or --jobs); it sizes the workers every check shares")
        if jobs == 1:
            count = max(count, int(value))
    return count, warnings


def decision_threshold(plan: Plan, configured: float | None, source: str) -> tuple[float | None, list[str]]:
    """The run's decision threshold: ``model.decision_threshold``, or a check's deprecated
    alias of it (with a warning for the report). Raises ConfigError when the two disagree."""
    threshold, warnings = configured, []
    for field, value in _aliases(plan, "model.decision_threshold"):
        if threshold is not None and threshold != value:
            raise ConfigError(
                f"{value:g} contradicts model.decision_threshold = {threshold:g} (one threshold per run)",
                file=source,
                field=field,
            )
        threshold = value
        warnings.append(
            f"{field} is deprecated: set model.decision_threshold = {value:g}; it applies to every check's labels"
        )
    return threshold, warnings


def bind_model(ctx: RunContext, threshold: float | None, source: str) -> None:
    """A decision threshold needs a binary classifier that gives probabilities."""
    if threshold is None:
        return
    if ctx.task != "binary" or "probabilities" not in ctx.capabilities:
        what = f"a {ctx.task} task" if ctx.task != "binary" else "a model without probabilities"
        raise ConfigError(
            f"a decision threshold applies to binary classifiers with probabilities; this run has {what}",
            file=source,
            field="model.decision_threshold",
        )
