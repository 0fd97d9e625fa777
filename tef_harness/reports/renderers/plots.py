"""PlotSpec -> inline SVG, with matplotlib's object API (no pyplot, no global backend switch,
so rendering a report in a notebook never changes the user's own plotting set-up).

Text stays text in the SVG (``svg.fonttype = none``): the file stays small, a browser can
find the words, and every label passes through matplotlib's XML writer, which escapes it.
Element ids are salted with a fixed string, so the same report renders to the same bytes.
matplotlib is imported here, lazily: `tef --help` and the JSON report never pay for it.
"""

from __future__ import annotations

import functools
import io
import math
import re
import textwrap
from typing import Any

from tef_harness.reports.views import PlotSpec

_PALETTE = (
    "#1f5fa8",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#e69f00",
    "#56b4e9",
    "#6b6b6b",
    "#8c564b",
    "#7a5195",
    "#2f4b7c",
)
_STACK_COLOURS = {"present": "#2e7d32", "placeholder": "#f9a825", "missing": "#c62828", "not_applicable": "#9e9e9e"}
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)


_SVG_ID = re.compile(r'\bid="([^"]+)"')
_SVG_REF = re.compile(r'(href="#|url\(#)([^")]+)')


def _scope_ids(svg: str) -> str:
    """Prefix every id of one plot (and the references to it) with a digest of the plot.

    matplotlib numbers ids per figure (``line2d_1``, ``text_1``, ...), so several inline SVGs
    in one page repeat them: invalid HTML, a ``<use href="#...">`` that may resolve into
    another plot, and one WeasyPrint warning per repeat. The digest keeps the output a pure
    function of the plot."""
    import hashlib

    prefix = "p" + hashlib.sha256(svg.encode()).hexdigest()[:8] + "-"
    svg = _SVG_ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    return _SVG_REF.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)


def _label(text: str, limit: int = 40) -> str:
    """A label matplotlib shows literally: '$' would start mathtext (and can raise)."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("$", r"\$")


def plot_settings() -> Any:
    """The report's matplotlib settings, for building a figure and for writing its SVG."""
    import matplotlib

    return matplotlib.rc_context(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": "tef-harness",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.family": "sans-serif",
        }
    )


@functools.lru_cache(maxsize=256)
def _drawn(spec: PlotSpec) -> tuple[str, float]:
    """The plot as matplotlib writes an SVG file with the report's settings, and its width in
    inches. Cached by the (frozen, hashable) spec: ``tef check`` writes the HTML page and the
    PDF from the same report and logs the same plots to MLflow, and drawing one costs about
    50 ms of matplotlib (more on a loaded machine)."""
    fig, width = build_figure(spec)
    with plot_settings():
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    return buf.getvalue(), width


def svg_file(spec: PlotSpec) -> str:
    """One plot as a standalone SVG file (XML prologue, width and height in points), as
    ``Figure.savefig`` writes it (what MLflow's ``log_figure`` uploads), without the date and
    creator metadata; drawn once per process."""
    return _drawn(spec)[0]


@functools.lru_cache(maxsize=256)
def render_svg(spec: PlotSpec) -> str:
    """One plot as an ``<svg>`` element (no XML prologue), sized by CSS through its viewBox.
    Cached by spec (see ``_drawn``)."""
    document, width = _drawn(spec)
    svg = _scope_ids(_PROLOGUE.sub("", document, count=1))
    # drop the fixed size so CSS can scale it; the viewBox keeps the aspect ratio
    # (never wider than drawn: 96 CSS px per inch), and name it for screen readers
    return re.sub(
        r'<svg([^>]*?) width="[^"]*" height="[^"]*"',
        rf'<svg\1 class="plot" role="img" style="max-width: {round(width * 96)}px"',
        svg,
        count=1,
    )


def build_figure(spec: PlotSpec) -> tuple[Any, float]:
    """One plot as a matplotlib ``Figure`` (with an SVG canvas) and its width in inches; also
    the drawing the MLflow sink logs (``svg_file``)."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    n_cats = max((len(s.points) for s in spec.series), default=1)
    plot_w = min(7.0, max(4.5, 0.4 * n_cats + 1.5)) if spec.kind != "calibration" else 2.8
    height = 3.2 if spec.kind != "stacked" else max(1.8, 0.45 * n_cats + 1.2)
    # Margins in inches, set by hand: matplotlib's layout engines cost a second draw and
    # doubled the HTML render time. The legend gets its own column right of the axes.
    legend_labels = [s.name for s in spec.series] + [r.label for r in spec.refs[:4]]
    if spec.kind == "calibration":
        legend_labels.append("perfectly calibrated")
    has_legend = len(spec.series) > 1 or bool(spec.refs) or spec.kind == "calibration"
    legend_w = min(3.2, 0.055 * max(len(x) for x in legend_labels) + 0.6) if has_legend else 0.2
    rotated = spec.kind == "points" and n_cats > 4
    longest = max((len(_label(p.label, 24)) for s in spec.series for p in s.points), default=1)
    # a rotated tick label reaches left of its tick: leave room for the first one
    left = 1.7 if spec.kind == "stacked" else max(0.75, 0.068 * longest) if rotated else 0.75
    # a label rotated 30° reaches down half its length: room for it and the axis label under it
    # (a fixed 1.05 in cut the x label "metric" under "balanced_accuracy_lift")
    bottom = max(1.05, 0.45 + 0.035 * longest) if rotated else 0.55
    width = left + plot_w + legend_w
    top = 0.4 if len(spec.title) * 0.075 < width - left else 0.6
    height += bottom - 0.55 + top - 0.4
    with plot_settings():
        fig = Figure(figsize=(width, height))
        fig.subplots_adjust(left=left / width, right=1 - legend_w / width, bottom=bottom / height, top=1 - top / height)
        FigureCanvasSVG(fig)
        ax = fig.add_subplot()
        _DRAW[spec.kind](ax, spec)
        # the title wraps within the figure instead of running off its right edge
        # y given: matplotlib then skips placing the title above the x axis' tick labels (a
        # measure of every tick label, a quarter of the drawing time); nothing is drawn above
        # the axes here, so the title sits where it would anyway
        ax.set_title(
            "\n".join(textwrap.wrap(_label(spec.title, 120), max(20, int((width - left) * 13)))),
            fontsize=10,
            loc="left",
            y=1.0,
        )
        ax.set_xlabel(_label(spec.x_label))
        ax.set_ylabel(_label(spec.y_label))
        if has_legend:
            # outside the axes, so it never hides a point
            ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig, width


def _points(ax: Any, spec: PlotSpec) -> None:
    labels: list[str] = []
    for s in spec.series:
        for p in s.points:
            if p.label not in labels:
                labels.append(p.label)
    pos = {label: i for i, label in enumerate(labels)}
    k = len(spec.series)
    for j, s in enumerate(spec.series):
        offset = (j - (k - 1) / 2) * (0.6 / max(k, 1))
        xs = [pos[p.label] + offset for p in s.points]
        ys = [p.value for p in s.points]
        lows = [p.value - p.low if p.low is not None else 0.0 for p in s.points]
        highs = [p.high - p.value if p.high is not None else 0.0 for p in s.points]
        ax.errorbar(
            xs, ys, yerr=[lows, highs], fmt="o", ms=4, capsize=3, lw=1, color=_PALETTE[j % 10], label=_label(s.name)
        )
    _refs(ax, spec)
    ax.set_xticks(
        range(len(labels)),
        [_label(x, 24) for x in labels],
        rotation=30 if len(labels) > 4 else 0,
        ha="right" if len(labels) > 4 else "center",
    )
    ax.grid(axis="y", lw=0.4, alpha=0.5)


def _lines(ax: Any, spec: PlotSpec) -> None:
    numeric = all(_is_number(p.label) for s in spec.series for p in s.points)
    for j, s in enumerate(spec.series):
        xs: list[Any] = [float(p.label) if numeric else p.label for p in s.points]
        ys = [p.value for p in s.points]
        lows = [p.value - p.low if p.low is not None else 0.0 for p in s.points]
        highs = [p.high - p.value if p.high is not None else 0.0 for p in s.points]
        ax.errorbar(
            xs,
            ys,
            yerr=[lows, highs],
            marker="o",
            ms=3,
            capsize=2,
            lw=1.2,
            color=_PALETTE[j % 10],
            label=_label(s.name),
        )
    _refs(ax, spec)
    xs_all = sorted({float(p.label) for s in spec.series for p in s.points}) if numeric else []
    if xs_all and len(xs_all) <= 12 and all(x.is_integer() for x in xs_all):
        ax.set_xticks(xs_all)  # severities are levels 1..5, not a continuum
    ax.grid(lw=0.4, alpha=0.5)


def _stacked(ax: Any, spec: PlotSpec) -> None:
    cats = [p.label for p in spec.series[0].points] if spec.series else []
    left = [0.0] * len(cats)
    for j, s in enumerate(spec.series):
        values = [p.value for p in s.points]
        ax.barh(
            [_label(c, 28) for c in cats],
            values,
            left=left,
            color=_STACK_COLOURS.get(s.name, _PALETTE[j % 10]),
            label=_label(s.name.replace("_", " ")),
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.invert_yaxis()


def _roc(ax: Any, spec: PlotSpec) -> None:
    lo = 1e-4
    for j, s in enumerate(spec.series):
        xs = [float(p.label) for p in s.points]
        ys = [p.value for p in s.points]
        ax.plot(xs, ys, marker="o", ms=4, lw=1.2, color=_PALETTE[j % 10], label=_label(s.name))
        lo = min([lo, *xs, *ys])
    ax.plot([lo, 1], [lo, 1], ls="--", lw=0.8, color="#6b6b6b", label="guessing")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, 1)
    ax.set_ylim(lo, 1)
    # a grid line per decade: the minor ones (8 per decade on both axes) tripled the plot's
    # drawing time and its SVG, and a decade is what the reader compares on log axes
    # and plain numbers (0.001) as labels: the default 10^-3 goes through mathtext, which
    # cost as much as the rest of the plot
    from matplotlib.ticker import FuncFormatter, NullLocator

    for axis in (ax.xaxis, ax.yaxis):
        axis.set_minor_locator(NullLocator())
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.grid(lw=0.4, alpha=0.5)


def _calibration(ax: Any, spec: PlotSpec) -> None:
    """Reliability diagram: the diagonal is a calibrated model; a point's area follows its
    bin's row count (a bin of 3 rows is drawn small: it says little)."""
    ax.plot([0, 1], [0, 1], ls="--", lw=0.8, color="#6b6b6b", label="perfectly calibrated")
    for j, s in enumerate(spec.series):
        xs = [float(p.label) for p in s.points]
        ys = [p.value for p in s.points]
        most = max((p.n or 1 for p in s.points), default=1)
        sizes = [12 + 60 * math.sqrt((p.n or 1) / most) for p in s.points]
        ax.plot(xs, ys, lw=1.2, color=_PALETTE[j % 10], label=_label(s.name))
        ax.scatter(xs, ys, s=sizes, color=_PALETTE[j % 10], zorder=3)
    # a margin, so a point at 0 or 1 is drawn whole
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal", adjustable="box")
    ax.grid(lw=0.4, alpha=0.5)


def _refs(ax: Any, spec: PlotSpec) -> None:
    for i, ref in enumerate(spec.refs[:4]):
        ax.axhline(ref.value, ls="--", lw=1, color="#c62828" if i == 0 else "#8e24aa", label=_label(ref.label, 60))


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


_DRAW = {"points": _points, "lines": _lines, "stacked": _stacked, "roc": _roc, "calibration": _calibration}
