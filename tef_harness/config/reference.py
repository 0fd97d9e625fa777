"""The configuration reference in the README, generated from the pydantic schema.

``python -m tef_harness.config.reference`` prints it; a test fails when the README's copy
differs, so the manual cannot drift from what the loader accepts.
"""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from tef_harness.config.schema import (
    BaselineSection,
    BaselineThreshold,
    CheckSettings,
    DataSection,
    DocumentsSection,
    GateSection,
    ModelSection,
    PluginsSection,
    TefConfig,
    ThresholdSpec,
    TrackingSection,
    Waiver,
)

SECTIONS: list[tuple[str, type[BaseModel]]] = [
    ("top level", TefConfig),
    ("[model]", ModelSection),
    ("[data]", DataSection),
    ("[documents]", DocumentsSection),
    ("[gate]", GateSection),
    ("[plugins]", PluginsSection),
    ('[checks."<check id>"]', CheckSettings),
    ('thresholds = [{ ... }] (inside [checks."<check id>"])', ThresholdSpec),
    ("[[waivers]]", Waiver),
    ("[tracking]", TrackingSection),
    ("[baseline]", BaselineSection),
    ("thresholds = [{ ... }] (inside [baseline])", BaselineThreshold),
]


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin is typing.Literal:
        return " \\| ".join(json.dumps(a) for a in args)
    if origin in (typing.Union, types.UnionType):
        return " \\| ".join(_type_name(a) for a in args if a is not type(None)) + " (optional)"
    if origin is tuple:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return "table"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "table"
    return getattr(annotation, "__name__", str(annotation))


def _default(field: Any) -> str:
    if field.default is PydanticUndefined and field.default_factory is None:
        return "required"
    value = field.default_factory() if field.default_factory is not None else field.default
    if isinstance(value, BaseModel):
        return ""
    if hasattr(value, "value"):
        value = value.value
    if isinstance(value, tuple):
        value = list(value)
    return f"`{json.dumps(value)}`" if value not in ({}, None) else ("`{}`" if value == {} else "")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("``", "`").replace("|", "\\|")


def render_checks() -> str:
    """One section per installed built-in check: what it measures, what it needs, the
    requirements it gives evidence for, and its parameters with defaults."""
    from tef_harness.engine.registry import discover

    out: list[str] = []
    for plugin in discover(third_party=False).plugins:
        cls = plugin.cls
        out.append(f"#### `{cls.id}` — {cls.title}\n")
        out.append(_cell(cls.description) + "\n")
        out.append(f"- needs: {', '.join(sorted(cls.requires)) or 'nothing'}")
        out.append(f"- evidence for: {', '.join(cls.evidence_for) or 'none'}")
        params = cls.Params.model_fields
        if params:
            # the key a user writes: the alias where a field has one (both are accepted)
            out.append(
                "- params: " + "; ".join(f"`{f.alias or n}` = {_default(f) or 'none'}" for n, f in params.items())
            )
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def render() -> str:
    out: list[str] = []
    for title, model in SECTIONS:
        out.append(f"**{title}**\n")
        out.append("| key | type | default | meaning |")
        out.append("|---|---|---|---|")
        for name, field in model.model_fields.items():
            if model is TefConfig and _type_name(field.annotation) == "table" and name != "checks":
                continue
            if model is TefConfig and name in ("checks", "waivers"):
                continue
            desc = _cell(field.description or "")
            out.append(f"| `{name}` | {_type_name(field.annotation)} | {_default(field)} | {desc} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def render_bounds() -> str:
    """The shipped profiles' default bounds, one row per bound, with the profiles that set it
    and its basis (a standard, a paper, or "harness convention")."""
    from tef_harness.config.policy import load_policy_profile, shipped_policy_profiles

    rows: dict[tuple[str, str, str, str], list[str]] = {}
    basis: dict[tuple[str, str, str, str], str] = {}
    for name in shipped_policy_profiles():
        profile, _ = load_policy_profile(name, Path())
        for check_id, settings in profile.checks.items():
            for t in settings.thresholds:
                ge, le = (">", "<") if t.exclusive else ("≥", "≤")
                side = {"value": "value", "lower": "lower 95% bound", "upper": "upper 95% bound"}[t.on]
                parts = [f"{ge} {t.min:g}" if t.min is not None else "", f"{le} {t.max:g}" if t.max is not None else ""]
                key = (check_id, t.metric, f"{side} {' and '.join(p for p in parts if p)}", ", ".join(t.tasks) or "all")
                rows.setdefault(key, []).append(name)
                basis[key] = t.basis or "not given"
    out = ["| check | metric | bound | tasks | profiles | basis |", "|---|---|---|---|---|---|"]
    for key in sorted(rows):
        check_id, metric, bound, tasks = key
        out.append(
            f"| `{check_id}` | `{metric}` | {bound} | {tasks} | {', '.join(rows[key])} | {_cell(basis[key])} |"
        )
    return "\n".join(out) + "\n"


BLOCKS = {"config": render, "checks": render_checks, "bounds": render_bounds}


def readme_with_blocks(text: str) -> str:
    """The README text with every generated block (between ``<!-- NAME:start -->`` and
    ``<!-- NAME:end -->``) replaced by its current rendering."""
    for name, fn in BLOCKS.items():
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        head, sep, rest = text.partition(start)
        if not sep:
            raise ValueError(f"README has no {start} marker")
        _, sep2, tail = rest.partition(end)
        if not sep2:
            raise ValueError(f"README has no {end} marker")
        text = f"{head}{start}\n{fn()}{end}{tail}"
    return text


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--write"]:
        readme = Path(sys.argv[2] if len(sys.argv) > 2 else "README.md")
        readme.write_text(readme_with_blocks(readme.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        print(render_checks() if sys.argv[1:] == ["checks"] else render(), end="")
