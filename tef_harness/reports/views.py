"""What renderers show of a check beyond its metrics: plot data and small tables, read from
the check's ``details``.

``details`` is free-form JSON today, written by each family in its own shape. This module is
the ONE place that knows those shapes, and it reads them defensively: a missing key, a wrong
type or a non-finite number drops that plot or row, never the report. When the report gains
typed views, only this module changes; the renderers keep consuming :class:`PlotSpec` and
:class:`TableView`.

Only aggregates leave this module (rates, counts, intervals, item states): the details never
hold raw rows, and nothing here reads a finding's ``evidence`` other than as already-masked text.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from tef_harness.sdk.results import CheckResult, ThresholdOutcome
from tef_harness.sdk.views.calibration import CalibrationCurve
from tef_harness.sdk.views.examples import ExampleRows, examples_of, plain

PlotKind = Literal["points", "lines", "stacked", "roc", "calibration"]

#: at most this many groups or items per plot: a plot is for the eye, the table holds the rest
_MAX_POINTS = 24
#: at most this many rows per table view
MAX_TABLE_ROWS = 20


@dataclass(frozen=True)
class Point:
    """One plotted value with its interval and sample size (None when unknown)."""

    label: str
    value: float
    low: float | None = None
    high: float | None = None
    n: int | None = None


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class RefLine:
    """A horizontal reference (a threshold, chance level) drawn across a plot."""

    value: float
    label: str


@dataclass(frozen=True)
class PlotSpec:
    """A plot as data. ``points``: values with whiskers per category; ``lines``: one line per
    series over numeric x labels; ``stacked``: horizontal bars of counts per category, one
    segment per series; ``roc``: (FPR, TPR) points on log-log axes with the chance diagonal;
    ``calibration``: (mean predicted, observed) points on [0, 1] axes with the diagonal of a
    perfectly calibrated model, each point's area following its bin's row count."""

    kind: PlotKind
    title: str
    x_label: str
    y_label: str
    series: tuple[Series, ...]
    refs: tuple[RefLine, ...] = ()
    caption: str = ""


@dataclass(frozen=True)
class TableView:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class CheckView:
    plots: tuple[PlotSpec, ...] = ()
    tables: tuple[TableView, ...] = field(default_factory=tuple)
    #: masked example rows behind findings (``details["examples"]``, typed ExampleRows)
    examples: tuple[ExampleRows, ...] = ()


# --- defensive readers ---------------------------------------------------------------------


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _pair(v: Any) -> tuple[float | None, float | None]:
    if isinstance(v, list | tuple) and len(v) == 2:
        return _num(v[0]), _num(v[1])
    return None, None


def _map(v: Any) -> Mapping[str, Any]:
    return v if isinstance(v, Mapping) else {}


def _list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else []


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return fmt(v)
    if isinstance(v, list | tuple):
        return ", ".join(_text(x) for x in v)
    if isinstance(v, Mapping):
        return ", ".join(f"{k}={_text(x)}" for k, x in v.items())
    return str(v)


def fmt(v: float | None, digits: int = 4) -> str:
    """A number for a reader: 4 significant digits, '-' when absent."""
    if v is None:
        return "-"
    return f"{v:.{digits}g}"


def _threshold_refs(thresholds: Iterable[ThresholdOutcome], prefix: str, label: str) -> tuple[RefLine, ...]:
    """One reference line per distinct bound among thresholds on metrics starting with ``prefix``."""
    seen: dict[float, RefLine] = {}
    for t in thresholds:
        if not t.metric.startswith(prefix):
            continue
        for bound, word in ((t.max, "max"), (t.min, "min")):
            if bound is not None and bound not in seen:
                seen[bound] = RefLine(bound, f"{label} {word} {fmt(bound)}")
    return tuple(seen.values())


# --- per family ----------------------------------------------------------------------------


def _group_fairness(r: CheckResult) -> CheckView:
    plots: list[PlotSpec] = []
    sets = _map(r.details.get("sets"))
    for key, raw in list(sets.items())[:4]:
        groups = [g for g in _list(_map(raw).get("groups")) if isinstance(g, Mapping)][:_MAX_POINTS]
        series = []
        for rate, name in (("selection_rate", "selection rate"), ("tpr", "TPR"), ("fpr", "FPR")):
            pts = []
            for g in groups:
                v = _num(g.get(rate))
                if v is None:
                    continue
                lo, hi = _pair(g.get(f"{rate}_ci"))
                pts.append(Point(str(g.get("group", "?")), v, lo, hi, _int(g.get("count"))))
            if pts:
                series.append(Series(name, tuple(pts)))
        if not series:
            continue
        refs: list[RefLine] = []
        # the bound is on the gap between groups: draw it from the highest selection rate down
        top = max(p.value for p in series[0].points)
        for t in r.thresholds:
            if t.metric == f"dp_difference/{key}" and t.max is not None:
                refs.append(RefLine(top - t.max, f"highest selection rate - {fmt(t.max)} (dp_difference max)"))
                break
        plots.append(
            PlotSpec(
                "points",
                f"Rates by group: {key}",
                "group",
                "rate",
                tuple(series),
                tuple(refs),
                caption=f"whiskers: {_level(r)} intervals; groups under the minimum size are marked in the table",
            )
        )
    tables = []
    for key, raw in list(sets.items())[:6]:
        groups = [g for g in _list(_map(raw).get("groups")) if isinstance(g, Mapping)]
        rows = tuple(
            (
                _text(g.get("group")),
                _text(g.get("count")),
                _rate_ci(g, "selection_rate"),
                _rate_ci(g, "tpr"),
                _rate_ci(g, "fpr"),
                "yes" if g.get("sufficient") else f"no ({_text(g.get('insufficient'))})",
            )
            for g in groups[:MAX_TABLE_ROWS]
        )
        if rows:
            tables.append(
                TableView(
                    f"Groups of {key}",
                    ("group", "n", "selection rate", "TPR", "FPR", "enough data"),
                    rows,
                    _more(len(groups)),
                )
            )
    return CheckView(tuple(plots), tuple(tables))


def _rate_ci(g: Mapping[str, Any], key: str) -> str:
    v = _num(g.get(key))
    lo, hi = _pair(g.get(f"{key}_ci"))
    if v is None:
        return "-"
    return f"{fmt(v, 3)} [{fmt(lo, 3)}, {fmt(hi, 3)}]" if lo is not None and hi is not None else fmt(v, 3)


def _more(total: int) -> str:
    return f"first {MAX_TABLE_ROWS} of {total} rows" if total > MAX_TABLE_ROWS else ""


def _level(r: CheckResult) -> str:
    level = _num(r.details.get("level"))
    return f"{level:.0%}" if level is not None else "confidence"


def _subgroups(r: CheckResult) -> CheckView:
    rows = [s for s in _list(r.details.get("subgroups")) if isinstance(s, Mapping)]
    table = tuple(
        (
            _text(s.get("subgroup")),
            _text(s.get("size")),
            _rate_ci(s, "rate"),
            _rate_ci(s, "difference"),
            fmt(_num(s.get("q_value")), 3),
            "yes" if s.get("significant") else "no",
        )
        for s in rows[:MAX_TABLE_ROWS]
    )
    if not table:
        return CheckView()
    return CheckView(
        (),
        (
            TableView(
                "Subgroups with the largest gaps (aggregates, no rows)",
                ("subgroup", "size", "rate", "difference to the rest", "q-value", "significant"),
                table,
                _more(len(rows)),
            ),
        ),
    )


def _counterfactual(r: CheckResult) -> CheckView:
    rows: list[tuple[str, ...]] = []
    for attr, raw in _map(r.details.get("attributes")).items():
        for p in _list(_map(raw).get("pairs")):
            if isinstance(p, Mapping):
                lo, hi = _pair(p.get("flip_rate_ci"))
                rate = _num(p.get("flip_rate"))
                rows.append(
                    (
                        attr,
                        f"{_text(p.get('source'))} → {_text(p.get('target'))}",
                        _text(p.get("n")),
                        f"{fmt(rate, 3)} [{fmt(lo, 3)}, {fmt(hi, 3)}]",
                    )
                )
    if not rows:
        return CheckView()
    return CheckView(
        (),
        (
            TableView(
                "Decision flips when only the sensitive attribute changes",
                ("attribute", "swap", "rows", "flip rate"),
                tuple(rows[:MAX_TABLE_ROWS]),
                _more(len(rows)),
            ),
        ),
    )


def _representation(r: CheckResult) -> CheckView:
    plots = []
    for key, raw in list(_map(r.details.get("sets")).items())[:4]:
        groups = [g for g in _list(_map(raw).get("groups")) if isinstance(g, Mapping)][:_MAX_POINTS]
        series = []
        for k, name in (
            ("share", "evaluation share"),
            ("train_share", "training share"),
            ("reference_share", "reference"),
        ):
            pts = []
            for g in groups:
                v = _num(g.get(k))
                if v is not None:
                    lo, hi = _pair(g.get(f"{k}_ci"))
                    pts.append(Point(_text(g.get("group")), v, lo, hi, _int(g.get("count"))))
            if pts:
                series.append(Series(name, tuple(pts)))
        if series:
            plots.append(PlotSpec("points", f"Group shares: {key}", "group", "share", tuple(series)))
    return CheckView(tuple(plots))


def _perturbation(r: CheckResult) -> CheckView:
    curves = _map(r.details.get("curves"))
    plots = []
    for measure, label in (("flip_rate", "flip rate"), ("accuracy_drop", "accuracy drop")):
        series = []
        for family, points in list(curves.items())[:10]:
            pts = []
            for p in _list(points):
                p = _map(p)
                m = _map(p.get(measure))
                v, sev = _num(m.get("value")), _int(p.get("severity"))
                if v is None or sev is None:
                    continue
                lo, hi = _pair(m.get("ci"))
                pts.append(Point(str(sev), v, lo, hi, _int(m.get("n"))))
            if pts:
                series.append(Series(str(family), tuple(pts)))
        if series:
            plots.append(
                PlotSpec(
                    "lines",
                    f"Degradation by perturbation family: {label}",
                    "severity",
                    label,
                    tuple(series),
                    _threshold_refs(r.thresholds, f"{measure}/", "threshold"),
                    caption=f"whiskers: {_level(r)} intervals",
                )
            )
    return CheckView(tuple(plots))


def _adversarial(r: CheckResult) -> CheckView:
    pts = []
    for p in _list(r.details.get("curve")):
        p = _map(p)
        eps, acc = _num(p.get("epsilon")), _num(p.get("robust_accuracy"))
        if eps is not None and acc is not None:
            pts.append(Point(fmt(eps, 3), acc))
    if not pts:
        return CheckView()
    refs = _threshold_refs(r.thresholds, "robust_accuracy", "threshold")
    spec = PlotSpec(
        "lines",
        "Robust accuracy by perturbation budget",
        "epsilon",
        "robust accuracy",
        (Series("attack", tuple(pts)),),
        refs,
    )
    return CheckView((spec,))


def _resilience(r: CheckResult) -> CheckView:
    cases = [c for c in _list(r.details.get("cases")) if isinstance(c, Mapping)]
    rows = tuple((_text(c.get("case")), _text(c.get("outcome")), _text(c.get("detail"))) for c in cases)
    if not rows:
        return CheckView()
    return CheckView(
        (), (TableView("Malformed-input cases", ("case", "outcome", "what happened"), rows[:MAX_TABLE_ROWS]),)
    )


def _mia(r: CheckResult) -> CheckView:
    pts = []
    for m in r.metrics:
        if m.name.startswith("tpr_at_fpr_"):
            level = m.name.removeprefix("tpr_at_fpr_")
            fpr = _fpr_from_level(level)
            if fpr is not None and m.value > 0:
                pts.append(Point(fmt(fpr, 3), m.value, m.ci.low if m.ci else None, m.ci.high if m.ci else None, m.n))
    # an explicit curve, if a check version puts one in its details, wins over the operating points
    curve = _map(r.details.get("roc"))
    fprs, tprs = _list(curve.get("fpr")), _list(curve.get("tpr"))
    if fprs and len(fprs) == len(tprs):
        pts = [
            Point(fmt(f, 3), t)
            for f, t in ((_num(a), _num(b)) for a, b in zip(fprs, tprs, strict=True))
            if f is not None and t is not None and f > 0 and t > 0
        ][:200]
    if not pts:
        return CheckView()
    spec = PlotSpec(
        "roc",
        "Membership inference: true-positive rate at low false-positive rates",
        "false-positive rate (log)",
        "true-positive rate (log)",
        (Series("attack", tuple(pts)),),
        caption="the diagonal is a guessing attacker; points above it mean members are recognisable",
    )
    return CheckView((spec,))


def _fpr_from_level(level: str) -> float | None:
    if not level.endswith("pct"):
        return None
    try:
        return float(level.removesuffix("pct")) / 100
    except ValueError:
        return None


def _pii(r: CheckResult) -> CheckView:
    pts = [
        Point(m.name.removeprefix("pii_rate/"), m.value, m.ci.low if m.ci else None, m.ci.high if m.ci else None, m.n)
        for m in r.metrics
        if m.name.startswith("pii_rate/") and not m.name.endswith("/any")
    ][:_MAX_POINTS]
    if not pts:
        return CheckView()
    spec = PlotSpec(
        "points",
        "Share of rows with personal data, by source, column and entity type",
        "where / entity type",
        "share of rows",
        (Series("detected", tuple(pts)),),
        caption="whiskers: Wilson intervals",
    )
    return CheckView((spec,))


_STATE_ORDER = ("present", "placeholder", "missing", "not_applicable")


def _completeness(r: CheckResult) -> CheckView:
    items = [i for i in _list(r.details.get("items")) if isinstance(i, Mapping)]
    if not items:
        return CheckView()
    groups: dict[str, dict[str, int]] = {}
    for i in items:
        counts = groups.setdefault(_text(i.get("group")) or "items", {})
        state = _text(i.get("state"))
        counts[state] = counts.get(state, 0) + 1
    states = [s for s in _STATE_ORDER if any(s in c for c in groups.values())]
    states += sorted({s for c in groups.values() for s in c} - set(states))
    series = tuple(Series(s, tuple(Point(g, float(c.get(s, 0))) for g, c in groups.items())) for s in states)
    spec = PlotSpec("stacked", "Documentation items by state", "items", "section", series)
    rows = tuple(
        (_text(i.get("id")), _text(i.get("title")), _text(i.get("state")), _text(i.get("location") or i.get("note")))
        for i in items
        if i.get("complete") is not True
    )
    tables = (TableView("Items not complete", ("item", "title", "state", "where / note"), rows),) if rows else ()
    return CheckView((spec,), tables)


def _consistency(r: CheckResult) -> CheckView:
    claims = [c for c in _list(r.details.get("claims")) if isinstance(c, Mapping)]
    rows = tuple(
        (
            _text(c.get("what")),
            fmt(_num(c.get("declared"))),
            f"{fmt(_num(c.get('measured')))} [{fmt(_num(c.get('low')))}, {fmt(_num(c.get('high')))}]",
            _text(c.get("verdict")),
            _text(c.get("source")),
        )
        for c in claims[:MAX_TABLE_ROWS]
    )
    if not rows:
        return CheckView()
    return CheckView(
        (),
        (
            TableView(
                "Claims in the card against measurements",
                ("claim", "declared", "measured", "verdict", "source"),
                rows,
                _more(len(claims)),
            ),
        ),
    )


def _performance(r: CheckResult) -> CheckView:
    plots = []
    pts = [
        Point(m.name, m.value, m.ci.low if m.ci else None, m.ci.high if m.ci else None, m.n)
        for m in r.metrics
        if 0.0 <= m.value <= 1.0
    ][:_MAX_POINTS]
    if pts:
        plots.append(
            PlotSpec(
                "points",
                "Metrics with intervals",
                "metric",
                "value",
                (Series("measured", tuple(pts)),),
                caption="thresholds are listed in the table below",
            )
        )
    # the reliability diagram, when the check reports its bins (a typed view)
    curve = _calibration(r.details.get("calibration"))
    if curve is not None and curve.bins:
        plots.append(
            PlotSpec(
                "calibration",
                "Calibration: observed frequency by predicted probability",
                "mean predicted probability" if curve.target == "positive_class" else "confidence (top label)",
                "observed frequency" if curve.target == "positive_class" else "share correct",
                (
                    Series(
                        "model", tuple(Point(fmt(b.mean_predicted, 4), b.fraction_positive, n=b.n) for b in curve.bins)
                    ),
                ),
                caption=f"{curve.n_bins} equal-width bins (scikit-learn's calibration_curve); empty bins left out; "
                "rows per bin: " + ", ".join(str(b.n) for b in curve.bins),
            )
        )
    return CheckView(tuple(plots))


def _calibration(raw: Any) -> CalibrationCurve | None:
    try:
        return CalibrationCurve.model_validate(plain(raw)) if isinstance(raw, Mapping) else None
    except ValueError:
        return None


_BY_CHECK = {
    "bias.group_fairness": _group_fairness,
    "bias.subgroup_search": _subgroups,
    "bias.counterfactual_flip": _counterfactual,
    "bias.data_representation": _representation,
    "robustness.perturbation": _perturbation,
    "robustness.adversarial": _adversarial,
    "robustness.input_resilience": _resilience,
    "privacy.membership_inference": _mia,
    "privacy.pii_in_data": _pii,
    "privacy.pii_in_documentation": _pii,
    "documentation.completeness": _completeness,
    "documentation.datasheet": _completeness,
    "documentation.consistency": _consistency,
    "performance.metrics": _performance,
}


def view_of(result: CheckResult) -> CheckView:
    """The plots and tables for one check; empty for a check this module does not know, or
    whose details do not have the expected shape (the metrics table still shows everything)."""
    builder = _BY_CHECK.get(result.check_id)
    if result.status.value in ("not_applicable", "error"):
        return CheckView()
    examples = examples_of(result.details)
    if builder is None:
        return CheckView(examples=examples)
    try:
        return dataclasses.replace(builder(result), examples=examples)
    except (TypeError, ValueError, KeyError, AttributeError):
        # a details shape this module did not foresee costs the plot, not the report
        return CheckView(examples=examples)


def headline(result: CheckResult) -> str:
    """One line for a check that passed: its first threshold with the observed value, else
    its first metric (the key value a reader checks at a glance)."""
    for t in result.thresholds:
        if t.observed is None:
            continue
        bound = " and ".join(
            b
            for b in (f">= {fmt(t.min)}" if t.min is not None else "", f"<= {fmt(t.max)}" if t.max is not None else "")
            if b
        )
        label = t.metric if t.on == "value" else f"{t.on} bound of {t.metric}"
        waived = " (waived)" if t.waived else ""
        return f"{label} = {fmt(t.observed)} ({bound}){waived}"
    if result.metrics:
        m = result.metrics[0]
        ci = f" [{fmt(m.ci.low)}, {fmt(m.ci.high)}]" if m.ci else ""
        return f"{m.name} = {fmt(m.value)}{ci}"
    return ""
