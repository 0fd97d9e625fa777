"""Find, read and validate the configuration, then lay the command-line flags over it.

Discovery follows pytest and ruff: walk up from the working directory to the first
``tef.toml``, or ``pyproject.toml`` with a ``[tool.tef]`` table.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tef_harness.config.renamed_keys import renamed_key_warnings
from tef_harness.config.schema import LoadedConfig, TefConfig
from tef_harness.sdk.errors import ConfigError


def find_config(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        tef = folder / "tef.toml"
        if tef.is_file():
            return tef
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "tef" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def load_config(path: Path | None, overrides: dict[str, Any] | None = None, *, cwd: Path | None = None) -> LoadedConfig:
    """Validate the file's table with ``overrides`` (dotted keys from flags) laid over it.

    Paths given as flags are relative to the working directory, so they are made absolute
    before they meet the file's base folder."""
    cwd = cwd or Path.cwd()
    raw: dict[str, Any] = {}
    if path is not None:
        if not path.is_file():
            raise ConfigError("config file not found", file=path)
        doc = _read_toml(path)
        if path.name == "pyproject.toml":
            tool = doc.get("tool", {})
            if "tef" not in tool:
                raise ConfigError("no [tool.tef] table", file=path)
            raw = tool["tef"]
        else:
            raw = doc
    for dotted, value in (overrides or {}).items():
        _set_dotted(raw, dotted, value)
    warnings = renamed_key_warnings(raw, str(path) if path is not None else "command line")
    try:
        cfg = TefConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc), file=path or "command line") from None
    base = path.parent.resolve() if path is not None else cwd.resolve()
    return LoadedConfig(config=cfg, source=str(path) if path else None, base_dir=base, warnings=warnings)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", file=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {type(exc).__name__}", file=path) from None


def _set_dotted(raw: dict[str, Any], dotted: str, value: Any) -> None:
    keys = dotted.split(".")
    node = raw
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value


def field_path(*parts: str | int) -> str:
    """A field as tef.toml spells it, the one way every error names a field: keys joined with
    ``.``, a key holding a dot quoted as in TOML, a list index in brackets
    (``checks."performance.metrics".thresholds[0].min``)."""
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + (f'"{p}"' if "." in p else p)
    return out


def describe_validation_error(exc: ValidationError, prefix: str = "") -> str:
    """All validation errors on one line: ``checks."x".params.y: extra inputs are not permitted``;
    ``prefix``: the field the validated table sits at (``checks."x".params``), written as is."""
    parts = []
    for err in exc.errors():
        loc = field_path(*err["loc"])
        loc = f"{prefix}.{loc}" if prefix and loc and not loc.startswith("[") else prefix + loc
        msg = err["msg"][0].lower() + err["msg"][1:]
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)
