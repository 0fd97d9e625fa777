"""The plan: which checks run, with which validated Params and thresholds, in which order.

Everything here happens before any data is read, so a typo in a check id or a parameter
stops the run in a second with a one-line error instead of after a long first check.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Literal

from pydantic import ValidationError

from tef_harness.config.loader import describe_validation_error
from tef_harness.config.policy import Profile, merge_settings
from tef_harness.config.schema import CheckSettings, LoadedConfig
from tef_harness.engine.registry import Discovery, LoadedPlugin, LoadFailure
from tef_harness.engine.threshold_names import check_threshold_names
from tef_harness.sdk.check import Check, Params
from tef_harness.sdk.errors import ConfigError, TefError


@dataclass(frozen=True)
class PlannedCheck:
    plugin: LoadedPlugin
    params: Params
    settings: CheckSettings
    #: per threshold index: "profile" or "config"
    threshold_sources: dict[int, str]
    required: bool

    @property
    def cls(self) -> type[Check]:
        return self.plugin.cls


@dataclass(frozen=True)
class LeftOut:
    """A registered check the plan leaves out: ``not_selected`` (``plugins.only``) or
    ``disabled`` (``enabled = false``), with the sentence a report shows."""

    plugin: LoadedPlugin
    reason: Literal["not_selected", "disabled"]
    detail: str


@dataclass(frozen=True)
class Plan:
    checks: tuple[PlannedCheck, ...]
    #: load failures that matter to this run (all of them, or those named by --only)
    failures: tuple[LoadFailure, ...]
    #: required by the profile or config but not run (not installed, disabled, or left out)
    missing_required: tuple[str, ...]
    #: registered checks the plan leaves out, by id
    left_out: tuple[LeftOut, ...] = ()


def make_plan(lc: LoadedConfig, profile: Profile, discovery: Discovery) -> Plan:
    cfg = lc.config
    source = lc.source or "command line"
    available = discovery.by_id()
    failed = {f.name: f for f in discovery.failures}
    known = set(available) | set(failed)
    only = cfg.plugins.only
    for where, ids in (("plugins.only", only or ()), ("checks", tuple(cfg.checks))):
        unknown = sorted(set(ids) - known)
        if unknown:
            raise ConfigError(
                f"unknown check id(s) {', '.join(unknown)} (installed: {', '.join(sorted(known)) or 'none'})",
                file=source,
                field=where,
            )
    planned: list[PlannedCheck] = []
    left_out: list[LeftOut] = []
    for check_id, plugin in available.items():
        settings, sources = merge_settings(profile.checks.get(check_id), cfg.checks.get(check_id))
        required = settings.required if settings.required is not None else check_id in profile.required_checks
        # disabled before not selected: a disabled check is outside the audit the profile and
        # config define, so --only leaving it out does not make a run partial (coverage.py)
        if not settings.enabled:
            user = cfg.checks.get(check_id)
            where = "the config" if user is not None and "enabled" in user.model_fields_set else "the profile"
            left_out.append(LeftOut(plugin, "disabled", f"enabled = false in {where}"))
            continue
        if only is not None and check_id not in only:
            left_out.append(LeftOut(plugin, "not_selected", f"not among plugins.only ({', '.join(only)})"))
            continue
        try:
            params = plugin.cls.Params.model_validate(settings.params)
        except ValidationError as exc:
            # the failing field whole (checks."id".params.n_boot), as every other error names it
            raise ConfigError(describe_validation_error(exc, f'checks."{check_id}".params'), file=source) from None
        except TefError as exc:  # a Params validator that reads a file (a profile, a schema)
            field = f'checks."{check_id}".params' + (f".{exc.field}" if exc.field else "")
            raise ConfigError(exc.detail, file=exc.file or source, field=field) from None
        check_threshold_names(check_id, plugin.cls, cfg.checks.get(check_id), source)
        planned.append(PlannedCheck(plugin, params, settings, sources, required))
    ran = {p.plugin.check_id for p in planned}
    required_ids = {
        cid for cid in profile.required_checks if cfg.checks.get(cid, CheckSettings()).required is not False
    }
    required_ids |= {cid for cid, s in cfg.checks.items() if s.required}
    failures = tuple(f for f in discovery.failures if only is None or f.name in only)
    return Plan(
        checks=_order(planned),
        failures=failures,
        missing_required=tuple(sorted(required_ids - ran)),
        left_out=tuple(left_out),
    )


def _order(planned: list[PlannedCheck]) -> tuple[PlannedCheck, ...]:
    """Sorted by id, except that a check runs after the checks its ``run_after`` names.
    A cycle (two checks waiting on each other) falls back to id order for the rest."""
    remaining = sorted(planned, key=lambda p: p.plugin.check_id)
    ordered: list[PlannedCheck] = []
    while remaining:
        ids = [p.plugin.check_id for p in remaining]
        ready = next(
            (p for p in remaining if not any(_waits_on(p, other) for other in ids if other != p.plugin.check_id)),
            remaining[0],
        )
        ordered.append(ready)
        remaining.remove(ready)
    return tuple(ordered)


def _waits_on(p: PlannedCheck, other_id: str) -> bool:
    return any(fnmatch.fnmatchcase(other_id, pattern) for pattern in p.cls.run_after)
