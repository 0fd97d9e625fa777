"""robustness.input_resilience: what the model does with malformed input (EU AI Act
Art. 15(4): resilience to errors, faults and inconsistencies).

Each case of the battery is sent to ``predict`` (and ``predict_proba`` when there is one) on
a few valid evaluation rows made malformed. An outcome is one of:

- ``rejected``: the model raised an error (the safe answer to malformed input);
- ``valid``: finite predictions among the known classes, probabilities in [0, 1] summing to 1,
  and, for cases that must not change the answer (one row alone, reordered or extra columns),
  the same answer as for the well-formed rows;
- ``silent_garbage``: an answer that breaks those rules, or any answer to an input no answer
  can be right for (text in a numeric column, a missing column) — the finding;
- ``hang``: no answer within the timeout — also a finding.

Every call runs under a timeout in a separate thread, so a crash or hang never takes the run down.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import Field, JsonValue

from tef_harness.api import Check, CheckOutput, ConfigError, Dimensions, Finding, Metric, Params, RunContext, Severity
from tef_harness.checks.robustness._answers import hang_finding, proba_problem
from tef_harness.checks.robustness._measure import proportion_metric, sample_rows

Outcome = Literal["rejected", "valid", "silent_garbage", "hang", "not_applicable", "skipped"]
#: cases whose well-formed answer is known: the output must equal the reference predictions
_MUST_MATCH = frozenset({"single_row", "reordered_columns", "extra_columns"})
#: cases no answer can be right for: any answer is silent garbage
_MUST_REJECT = frozenset({"wrong_dtype", "missing_column"})
CASES: tuple[str, ...] = (
    "nan",
    "pos_inf",
    "neg_inf",
    "extreme_magnitude",
    "unseen_category",
    "empty_string",
    "wrong_dtype",
    "empty_batch",
    "single_row",
    "reordered_columns",
    "extra_columns",
    "missing_column",
)


class ResilienceParams(Params):
    #: valid evaluation rows (seeded sample) each malformed case starts from
    n_rows: Annotated[int, Field(ge=2, le=1000)] = 16
    #: magnitude used by ``extreme_magnitude`` (sign kept from the original value)
    extreme: Annotated[float, Field(gt=1.0)] = 1e300
    timeout_s: Annotated[float, Field(gt=0.0)] = 10.0
    #: stop calling the model after this many hangs (hung threads cannot be stopped)
    max_hangs: Annotated[int, Field(ge=1)] = 2
    cases: tuple[str, ...] = CASES
    #: relative tolerance for "the same answer" in regression
    rtol: Annotated[float, Field(ge=0.0)] = 1e-6


@dataclass(frozen=True)
class CaseResult:
    case: str
    outcome: Outcome
    detail: str = ""


class InputResilience(Check):
    id = "robustness.input_resilience"
    family = "robustness"
    title = "Resilience to malformed inputs"
    description = (
        "Sends NaN, ±inf, extreme magnitudes, unseen categories, empty strings, wrong dtypes, an empty batch, a "
        "single row, reordered, extra and missing columns; records whether the model rejected the input, answered "
        "validly, hung, or returned silent garbage."
    )
    requires = frozenset({"model"})
    evidence_for = ("EU-AI-Act:Art15(4)", "EU-AI-Act:AnnexIV-2(g)")
    Params = ResilienceParams

    def bind(self, ctx: RunContext, params: ResilienceParams) -> str | None:
        unknown = sorted(set(params.cases) - set(CASES))
        if unknown:
            raise ConfigError(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(CASES)}", field="cases")
        if ctx.task is None:
            return "the task is unknown (no target and no model classes)"
        return None

    def run(self, ctx: RunContext, params: ResilienceParams) -> CheckOutput:
        assert ctx.model is not None
        X = ctx.X
        if len(X) == 0:
            return CheckOutput(status="insufficient_evidence", reason="no evaluation rows to start from")
        idx = sample_rows(ctx.rng(self.id), len(X), params.n_rows)
        base = X.iloc[idx].reset_index(drop=True)
        reference = np.asarray(ctx.predictions())[idx]
        numeric = [
            c
            for c in base.columns
            if pd.api.types.is_numeric_dtype(base[c]) and not pd.api.types.is_bool_dtype(base[c])
        ]
        textual = [
            c for c in base.columns if pd.api.types.is_object_dtype(base[c]) or pd.api.types.is_string_dtype(base[c])
        ]
        results: list[CaseResult] = []
        findings: list[Finding] = []
        hangs = 0
        for case in params.cases:
            frame = _make_case(case, base, numeric, textual, params.extreme)
            if frame is None:
                results.append(CaseResult(case, "not_applicable", "no column of the needed kind"))
                continue
            if hangs >= params.max_hangs:
                results.append(CaseResult(case, "skipped", f"skipped after {hangs} hang(s)"))
                continue
            result = _judge(ctx, case, frame, reference, params)
            results.append(result)
            if result.outcome == "hang":
                hangs += 1
                findings.append(hang_finding(case, params.timeout_s))
            elif result.outcome == "silent_garbage":
                findings.append(
                    Finding(
                        code="ROB020",
                        severity=Severity.HIGH,
                        location=case,
                        message=f"malformed input '{case}' gave silent garbage: {result.detail}",
                    )
                )
            elif result.outcome == "rejected" and case == "single_row":
                findings.append(
                    Finding(
                        code="ROB022",
                        severity=Severity.MEDIUM,
                        location=case,
                        message=f"the model cannot score a single valid row ({result.detail})",
                    )
                )
        judged = [r for r in results if r.outcome not in ("not_applicable", "skipped")]
        outcomes = np.array([r.outcome for r in judged], dtype=object)
        metrics: list[Metric | None] = [
            proportion_metric(
                Dimensions(criterion="share", item=o), outcomes == o, 0.95, greater_is_better=hib, unit="share"
            )
            for o, hib in (("valid", None), ("rejected", None), ("silent_garbage", False), ("hang", False))
        ]
        details: dict[str, JsonValue] = {
            "cases": [{"case": r.case, "outcome": r.outcome, "detail": r.detail} for r in results],
            "n_rows": len(base),
            "timeout_s": params.timeout_s,
        }
        return CheckOutput(
            metrics=tuple(m for m in metrics if m is not None), findings=tuple(findings), details=details
        )


def _make_case(
    case: str, base: pd.DataFrame, numeric: list[str], textual: list[str], extreme: float
) -> pd.DataFrame | None:
    frame = base.copy()
    if case in ("nan", "pos_inf", "neg_inf", "extreme_magnitude", "wrong_dtype") and not numeric:
        return None
    if case in ("unseen_category", "empty_string") and not textual:
        return None
    if case == "nan":
        frame[numeric] = np.nan
    elif case in ("pos_inf", "neg_inf"):
        frame[numeric] = np.inf if case == "pos_inf" else -np.inf
    elif case == "extreme_magnitude":
        for c in numeric:
            sign = np.where(frame[c].to_numpy(dtype=float) < 0, -1.0, 1.0)
            frame[c] = sign * extreme
    elif case in ("unseen_category", "empty_string"):
        for c in textual:
            frame[c] = "__tef_unseen_level__" if case == "unseen_category" else ""
    elif case == "wrong_dtype":
        for c in numeric:
            frame[c] = pd.Series(["not a number"] * len(frame), dtype=object)
    elif case == "empty_batch":
        frame = base.iloc[:0].copy()
    elif case == "single_row":
        frame = base.iloc[:1].copy()
    elif case == "reordered_columns":
        frame = base.loc[:, list(reversed(base.columns))]
    elif case == "extra_columns":
        frame = base.assign(__tef_extra_column__=np.arange(len(base), dtype=float))
    elif case == "missing_column":
        frame = base.drop(columns=[base.columns[0]])
    return frame


def _judge(
    ctx: RunContext, case: str, frame: pd.DataFrame, reference: np.ndarray, params: ResilienceParams
) -> CaseResult:
    model = ctx.model
    assert model is not None
    regression = ctx.task == "regression"
    methods: list[Literal["predict", "predict_proba"]] = ["predict"]
    if "probabilities" in ctx.capabilities:
        methods.append("predict_proba")
    answered: list[str] = []
    rejected: list[str] = []
    warned: set[str] = set()
    for method in methods:
        res = model.call(method, frame, timeout_s=params.timeout_s)
        warned.update(res.warnings)
        if res.kind == "timeout":
            return CaseResult(case, "hang", f"{method} did not answer within {params.timeout_s:g} s")
        if res.kind == "error":
            rejected.append(f"{method} raised {res.error_type}")
            continue
        problem = res.problem if res.kind == "invalid" else None
        out = res.value
        if problem is None and method == "predict":
            if case in _MUST_MATCH and not _same(out, reference[: len(frame)], regression, params.rtol):
                problem = "predictions differ from those for the well-formed rows"
        elif problem is None:
            problem = proba_problem(out)
        if problem is None and case in _MUST_REJECT:
            problem = f"{method} answered instead of raising"
        if problem is not None:
            return CaseResult(case, "silent_garbage", f"{method}: {problem}")
        answered.append(method)
    note = f" (warned: {', '.join(sorted(warned))})" if warned else ""
    if rejected:
        return CaseResult(case, "rejected", "; ".join(rejected) + note)
    return CaseResult(case, "valid", ", ".join(answered) + " answered validly" + note)


def _same(a: np.ndarray, b: np.ndarray, regression: bool, rtol: float) -> bool:
    if regression:
        return bool(np.allclose(a.astype(float), b.astype(float), rtol=rtol, atol=0.0))
    return bool(np.all(a.astype(object) == b.astype(object)))
