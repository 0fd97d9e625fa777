"""The renderer interface and its registry (entry-point group ``tef_harness.renderers``).

A renderer is a pure function of the frozen report: ``render(report)`` returns the file's text
or bytes and touches nothing else; the sink (``reports/outputs.py``) writes it atomically.
Built-in formats register through the same entry-point group a third party uses, so a TEF
operator can add a house format (their own letterhead, say) without touching the harness:

    [project.entry-points."tef_harness.renderers"]
    letterhead = "acme_tef:LetterheadRenderer"
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import ClassVar, Protocol, runtime_checkable

from tef_harness.reports.schema import ConformityReport
from tef_harness.sdk.errors import ConfigError

GROUP = "tef_harness.renderers"
#: what ``tef check`` writes when no --format is given (pdf joins when its extra is installed)
DEFAULT_FORMATS = ("json", "html", "md", "junit", "pdf")


@runtime_checkable
class Renderer(Protocol):
    """One output format. ``name`` is the entry-point name (``--format`` value), ``filename``
    the file it writes in the report folder."""

    name: ClassVar[str]
    filename: ClassVar[str]

    def unavailable(self) -> str | None:
        """None when the renderer can run here, else a one-line reason (e.g. missing libraries)."""
        ...

    def render(self, report: ConformityReport) -> str | bytes:
        """The file's content. Pure: no I/O, no printing, same report -> same output."""
        ...


@runtime_checkable
class BaselineAware(Protocol):
    """A renderer that can also show the changes against a baseline report (optional)."""

    def with_baseline(self, baseline: ConformityReport, label: str) -> Renderer:
        """A renderer like this one that adds the changes against ``baseline`` (``label``:
        where the baseline came from, e.g. its path)."""
        ...


@dataclass(frozen=True)
class RendererLoadFailure:
    name: str
    error: str


def discover_renderers() -> tuple[dict[str, Renderer], list[RendererLoadFailure]]:
    """Every installed renderer by name, and the ones that failed to load (kept as data)."""
    found: dict[str, Renderer] = {}
    failures: list[RendererLoadFailure] = []
    for ep in entry_points(group=GROUP):
        try:
            obj = ep.load()
            inst = obj() if isinstance(obj, type) else obj
            if not isinstance(inst, Renderer):
                raise TypeError("does not implement name, filename, unavailable() and render()")
        except Exception as exc:  # noqa: BLE001 - a broken plugin is reported, never fatal here
            failures.append(RendererLoadFailure(ep.name, f"{type(exc).__name__}: {exc}"))
            continue
        found[ep.name] = inst
    return found, failures


def select_renderers(formats: str | None, *, default_skip_unavailable: bool = True) -> tuple[list[Renderer], list[str]]:
    """The renderers a ``--format`` value asks for (comma-separated; None = the defaults).

    Returns the renderers and notes on defaults that were skipped (e.g. pdf without its
    libraries). An unknown or unavailable format asked for by name is a ConfigError: the
    user asked for a file we cannot write.
    """
    found, failures = discover_renderers()
    failed = {f.name: f.error for f in failures}
    notes: list[str] = []
    if formats is None:
        chosen: list[Renderer] = []
        for name in DEFAULT_FORMATS:
            r = found.get(name)
            why = r.unavailable() if r is not None else failed.get(name, "not installed")
            if r is not None and why is None:
                chosen.append(r)
            elif default_skip_unavailable:
                notes.append(f"{name} skipped: {why}")
        return chosen, notes
    names = [n.strip() for n in formats.split(",") if n.strip()]
    if not names:
        raise ConfigError("no format given", field="--format")
    chosen = []
    for name in dict.fromkeys(names):
        if name in failed:
            raise ConfigError(f"renderer {name!r} failed to load: {failed[name]}", field="--format")
        r = found.get(name)
        if r is None:
            raise ConfigError(f"unknown format {name!r}; installed: {', '.join(sorted(found))}", field="--format")
        why = r.unavailable()
        if why is not None:
            raise ConfigError(f"{name}: {why}", field="--format")
        chosen.append(r)
    return chosen, notes
