"""Policy profiles: which requirements a run must give evidence for, which checks are
required, and default parameters and thresholds, shipped as TOML data in ``profiles/``.

A user's config overrides a profile item by item: params key by key, thresholds by metric
pattern and bound side. The report records the profile's name, version and source.
"""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from tef_harness.config.loader import describe_validation_error
from tef_harness.config.schema import CheckSettings, ThresholdSpec, _Strict
from tef_harness.sdk.errors import ConfigError


class Requirement(_Strict):
    id: str
    title: str
    #: where the evidence comes from: the checks that declare the requirement in their
    #: ``evidence_for`` ("checks"), or the run itself ("declared_thresholds": bounds declared
    #: in the config before testing and recorded with its digest, as Art. 9(8) asks)
    evidence_from: Literal["checks", "declared_thresholds"] = "checks"


class Profile(_Strict):
    name: str
    version: str
    description: str = ""
    requirements: tuple[Requirement, ...] = ()
    required_checks: tuple[str, ...] = ()
    checks: dict[str, CheckSettings] = Field(default_factory=dict)


_SHIPPED = files("tef_harness.config") / "profiles"


def shipped_policy_profiles() -> list[str]:
    return sorted(p.name.removesuffix(".toml") for p in _SHIPPED.iterdir() if p.name.endswith(".toml"))


def load_policy_profile(name_or_path: str, base_dir: Path) -> tuple[Profile, str]:
    """A shipped policy profile by name, or a TOML file by path; returns it and its source."""
    if name_or_path in shipped_policy_profiles():
        resource = _SHIPPED / f"{name_or_path}.toml"
        text, source = resource.read_text(encoding="utf-8"), f"builtin:{name_or_path}"
        label = f"<profile {name_or_path}>"
    else:
        path = Path(name_or_path)
        path = path if path.is_absolute() else base_dir / path
        if not path.is_file():
            raise ConfigError(
                f"unknown profile {name_or_path!r} (shipped: {', '.join(shipped_policy_profiles())}; or give a path)",
                field="profile",
            )
        text, source, label = path.read_text(encoding="utf-8"), str(path), str(path)
    try:
        return Profile.model_validate(tomllib.loads(text)), source
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", file=label) from None
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc), file=label) from None


def merge_settings(profile: CheckSettings | None, user: CheckSettings | None) -> tuple[CheckSettings, dict[int, str]]:
    """Lay the user's settings for one check over the profile's.

    Returns the merged settings and, per threshold index, where it came from (``profile`` or
    ``config``), so the report can say whether a bound is the provider's or a default."""
    if profile is None and user is None:
        return CheckSettings(), {}
    if profile is None or user is None:
        only = profile or user
        assert only is not None
        origin = "profile" if user is None else "config"
        return only, dict.fromkeys(range(len(only.thresholds)), origin)
    replaced = {(t.metric, t.on, t.min is None) for t in user.thresholds}
    kept: list[tuple[ThresholdSpec, str]] = [
        (t, "profile") for t in profile.thresholds if (t.metric, t.on, t.min is None) not in replaced
    ]
    kept += [(t, "config") for t in user.thresholds]
    merged = CheckSettings(
        enabled=user.enabled if "enabled" in user.model_fields_set else profile.enabled,
        required=user.required if user.required is not None else profile.required,
        params={**profile.params, **user.params},
        thresholds=tuple(t for t, _ in kept),
    )
    return merged, {i: src for i, (_, src) in enumerate(kept)}
