"""pytest plugin (entry point ``pytest11``): ``pytest --tef-config tef.toml`` makes the audit part
of a model repository's test job.

The audit runs once, at collection, exactly as ``tef check`` runs it (same config, report file,
baseline gate and MLflow run), and every check becomes a test item ``tef::<check id>``:

============================  ==========================================================
check status                  test outcome
============================  ==========================================================
passed, waived                pass
failed                        fail
error                         error
insufficient_evidence         fail; skip when ``gate.insufficient_evidence = "pass"``
not_applicable                skip, with the reason
left out by ``--tef-only``    skip ("not selected"), so a partial run reads "N skipped"
============================  ==========================================================

Three more items carry what no single check does: ``tef::verdict`` (fails unless conformant:
plugin load failures and required checks that did not run live there), ``tef::baseline``
(when a baseline is configured) and ``tef::tracking`` (when tracking is on). So the job is
never green while ``tef check`` would exit non-zero. A partial run (``--tef-only``) keeps the
judge's verdict (as ``tef check`` does), but ``tef::verdict`` has the property ``coverage``
(``partial: 1 of 16 checks``) and the terminal summary ends with the checks left out. A bad
input is one failing ``tef::audit`` item with ``tef check``'s one-line message. Without
``--tef-config`` the plugin does nothing, and it imports nothing heavy until then.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tef_harness.sdk.results import CheckResult


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tef", "conformity audit (tef-harness)")
    group.addoption("--tef-config", default=None, help="tef.toml (or pyproject.toml): run the audit as tests")
    group.addoption("--tef-only", default=None, help="comma-separated check ids to run")
    group.addoption("--tef-out", default=None, help="report folder (default: the config's out)")
    group.addoption("--tef-baseline", default=None, help="baseline report.json or MLflow run id")
    group.addoption("--tef-no-tracking", action="store_true", default=False, help="do not log to MLflow")


#: this session's verdict when partial: ``conformant (partial: 1 of 16 checks; left out ...)``
_PARTIAL = pytest.StashKey[str]()


class TefFailure(Exception):
    """A tef item's failure: pytest prints only the message (no traceback into the plugin)."""


@dataclass(frozen=True)
class Outcome:
    """What one item does when run: pass, fail, error (raised in setup) or skip."""

    kind: str
    message: str = ""
    #: (name, value) pairs for the item's ``user_properties`` (JUnit ``<property>``)
    properties: tuple[tuple[str, str], ...] = ()


def outcome_of(result: CheckResult, insufficient_evidence: str) -> Outcome:
    """The shared status-to-outcome table (``reports.outcomes``, as JUnit and the renderers use
    it) in this plugin's terms."""
    from tef_harness.reports.outcomes import outcome_for

    case = outcome_for(result, insufficient_evidence)  # type: ignore[arg-type]
    kind = {"pass": "pass", "failure": "fail", "error": "error", "skipped": "skip"}[case.outcome.value]
    return Outcome(kind, "" if kind == "pass" else f"{result.check_id}: {case.message}")


class TefAudit(pytest.Collector):
    """The parent of the items, so they are named ``tef::<check id>`` (JUnit class ``tef``)."""

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        return []  # items are made from the audit in pytest_collection_modifyitems


class TefItem(pytest.Item):
    def __init__(self, *, outcome: Outcome, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.outcome = outcome
        self.user_properties.extend(outcome.properties)

    def setup(self) -> None:
        if self.outcome.kind == "error":
            raise TefFailure(self.outcome.message)

    def runtest(self) -> None:
        if self.outcome.kind == "skip":
            pytest.skip(self.outcome.message)
        if self.outcome.kind == "fail":
            raise TefFailure(self.outcome.message)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, TefFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, self.name


def _audit_outcomes(config: pytest.Config) -> list[tuple[str, Outcome]]:
    """Run the audit as ``tef check`` would; (item name, outcome) for each item."""
    from tef_harness.config.loader import load_config
    from tef_harness.config.tracking_uri import resolve_tracking
    from tef_harness.engine.audit import AuditSpec, run_audit
    from tef_harness.engine.offline import apply_offline_defaults
    from tef_harness.reports.baseline import baseline_spec, gate, load_baseline
    from tef_harness.reports.coverage import coverage_of, partial_detail, partial_label, reasons_besides_partial
    from tef_harness.reports.renderers.json_report import render_json
    from tef_harness.reports.sinks.files import write_atomic
    from tef_harness.reports.tracking_commands import prepare_model_registry, track_check
    from tef_harness.sdk.errors import TefError

    apply_offline_defaults()
    path = Path(config.getoption("tef_config")).resolve()
    overrides: dict[str, Any] = {}
    if config.getoption("tef_only"):
        overrides["plugins.only"] = [s.strip() for s in config.getoption("tef_only").split(",") if s.strip()]
    if config.getoption("tef_out"):
        overrides["out"] = str(Path(config.getoption("tef_out")).resolve())
    try:
        lc = load_config(path, overrides)
        tracking = resolve_tracking(lc, disabled=config.getoption("tef_no_tracking"))
        prepare_model_registry(lc, tracking)
        spec = baseline_spec(lc, config.getoption("tef_baseline"))
        baseline = load_baseline(spec[0], tracking, field=spec[1]) if spec else None
        report = run_audit(AuditSpec.from_loaded(lc))
    except TefError as exc:
        return [("audit", Outcome("fail", f"tef: error: {exc.one_line()}"))]
    out_dir = lc.path(lc.config.out)
    assert out_dir is not None
    write_atomic(out_dir / "report.json", render_json(report))
    items = [(r.check_id, outcome_of(r, lc.config.gate.insufficient_evidence)) for r in report.results]
    # a partial run (--tef-only) says so as pytest says "deselected": each check left out is a
    # skipped item (counted in "N skipped"), and the verdict item carries the coverage
    partial = partial_detail(report)
    items += [
        (c, Outcome("skip", f"{c}: not selected (left out by --tef-only / plugins.only)"))
        for c in coverage_of(report).not_selected
    ]
    if partial:
        config.stash[_PARTIAL] = f"{report.verdict.value} ({partial})"
    reasons = "; ".join(reasons_besides_partial(report) if partial else report.verdict_reasons)
    verdict = f"{report.verdict.value} ({partial})" if partial else report.verdict.value
    props = (("verdict", report.verdict.value), ("coverage", partial_label(report) or "full"))
    conformant = report.verdict == "conformant"
    items.append(
        (
            "verdict",
            Outcome("pass", properties=props) if conformant else Outcome("fail", f"{verdict}: {reasons}", props),
        )
    )
    if baseline is not None:
        lines, passed = gate(baseline, report, lc)
        items.append(("baseline", Outcome("pass") if passed else Outcome("fail", "\n".join(lines))))
    if tracking is not None:
        ok = track_check(out_dir, tracking, {})  # the data's schema comes from the report
        items.append(("tracking", Outcome("pass") if ok else Outcome("fail", "the MLflow run could not be logged")))
    return items


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("tef_config"):
        return
    path = Path(config.getoption("tef_config")).resolve()
    parent = TefAudit.from_parent(session, name="tef", path=path, nodeid="tef")
    for name, outcome in _audit_outcomes(config):
        items.append(TefItem.from_parent(parent, name=name, outcome=outcome))


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """One line under the results when the audit was partial: a green run must not read as a
    full audit."""
    partial = config.stash.get(_PARTIAL, None)
    if partial:
        terminalreporter.write_line(f"tef: verdict {partial}", yellow=True, bold=True)
