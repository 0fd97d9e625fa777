"""Check discovery through the ``tef_harness.checks`` entry-point group.

Built-ins register exactly as a third party would. A plugin that fails to import, is not a
Check, or whose entry-point name differs from its id is kept as data (a ``LoadFailure``):
the engine reports it and fails the verdict closed instead of silently running less.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

from tef_harness.sdk.check import Check, metadata_problems

GROUP = "tef_harness.checks"
BUILTIN_DISTRIBUTION = "tef-harness"


@dataclass(frozen=True)
class LoadedPlugin:
    check_id: str
    cls: type[Check]
    distribution: str
    version: str
    entry_point: str

    @property
    def builtin(self) -> bool:
        return self.distribution == BUILTIN_DISTRIBUTION


@dataclass(frozen=True)
class LoadFailure:
    name: str
    entry_point: str
    distribution: str
    error: str


@dataclass(frozen=True)
class Discovery:
    plugins: tuple[LoadedPlugin, ...]
    failures: tuple[LoadFailure, ...]

    def by_id(self) -> dict[str, LoadedPlugin]:
        return {p.check_id: p for p in self.plugins}


def discover(*, third_party: bool = True) -> Discovery:
    plugins: dict[str, LoadedPlugin] = {}
    failures: list[LoadFailure] = []
    eps = sorted(entry_points(group=GROUP), key=lambda e: (e.name, e.value))
    for ep in eps:
        dist, version = _dist(ep)
        if not third_party and dist != BUILTIN_DISTRIBUTION:
            continue
        try:
            obj = ep.load()
        except Exception as exc:  # noqa: BLE001 - any import failure is reported as data
            failures.append(LoadFailure(ep.name, ep.value, dist, f"import failed: {type(exc).__name__}: {exc}"))
            continue
        problems = metadata_problems(obj)
        if not problems and obj.id != ep.name:
            problems.append(f"entry-point name {ep.name!r} differs from the check id {obj.id!r}")
        if not problems and ep.name in plugins:
            other = plugins[ep.name]
            problems.append(f"id {ep.name!r} is also registered by {other.distribution} ({other.entry_point})")
        if problems:
            failures.append(LoadFailure(ep.name, ep.value, dist, "; ".join(problems)))
            continue
        plugins[ep.name] = LoadedPlugin(ep.name, obj, dist, version, ep.value)
    return Discovery(tuple(plugins[k] for k in sorted(plugins)), tuple(failures))


def _dist(ep: EntryPoint) -> tuple[str, str]:
    dist = ep.dist
    if dist is None:
        return "unknown", "unknown"
    name = dist.metadata["Name"] or "unknown"
    return name.lower().replace("_", "-"), dist.version
