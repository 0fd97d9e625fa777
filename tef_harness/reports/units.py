"""A metric's value with its unit, for a reader (HTML, Markdown, console).

Since report schema 2.0 every built-in metric carries a ``unit`` (``sdk/results.py``:
``rate``, ``share``, ``count``, ``ratio``, ``difference``, ``score``, ``probability``,
``bits``/``nats``, ``target units``, or a plugin's own word). A renderer shows it beside the
value so that "0.05" reads as a difference of two rates and not a rate, and "2" as a count:

- a symbol or a physical unit follows the number (``12 ms``, ``0.3 nats``, ``5 %``);
- a word naming what the number is goes in parentheses (``0.795 (ratio)``);
- ``score`` (dimensionless by definition: AUC, F1) and a missing unit add nothing.

The number itself is never rescaled: thresholds are written in the metric's own scale, and
a rate shown as a percentage beside a bound of 0.8 would read as a mismatch.
"""

from __future__ import annotations

from tef_harness.reports.views import fmt
from tef_harness.sdk.results import CheckResult

#: units written after the number as they are (symbols and physical units)
SYMBOLS = frozenset({"%", "s", "ms", "us", "µs", "bits", "nats", "bytes", "B", "KB", "MB"})
#: units that add nothing to the number
SILENT = frozenset({"", "score"})


def unit_suffix(unit: str | None) -> str:
    """What follows a number in ``unit`` ('' for none): ``" ms"``, ``" %"``, ``" (rate)"``."""
    if unit is None or unit.strip() in SILENT:
        return ""
    unit = unit.strip()
    return f" {unit}" if unit in SYMBOLS else f" ({unit})"


def unit_word(unit: str | None) -> str:
    """What follows a number in a headline whose bound follows in parentheses ('' for none):
    the unit as a plain word, ``" (rate) (>= 0.7)"`` reading as two asides where one is the
    number's unit: ``accuracy = 0.795 rate (>= 0.7)``, ``latency_p95 = 12 ms``."""
    if unit is None or unit.strip() in SILENT:
        return ""
    return f" {unit.strip()}"


def with_unit(value: float | None, unit: str | None, digits: int = 4) -> str:
    """``value`` as :func:`~tef_harness.reports.views.fmt` writes it, then its unit; an absent
    value is '-' alone."""
    return "-" if value is None else fmt(value, digits) + unit_suffix(unit)


def unit_of(result: CheckResult, metric: str) -> str | None:
    """The unit of ``result``'s metric named ``metric`` (a threshold names its metric), None
    when the check has no such metric or it has no unit."""
    for m in result.metrics:
        if m.name == metric:
            return m.unit
    return None
