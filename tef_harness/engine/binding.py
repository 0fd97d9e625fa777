"""Bind: every planned check sees the taken-in inputs once, before any check runs.

A check either applies, declares itself not applicable (with the reason), or rejects the
inputs. A rejection is a bad input and stops the run (exit 2) before a single check has spent
time; its field is relative to the check's params, and this module is the one place that
turns it into the config's dotted path, so every such message names the field the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
