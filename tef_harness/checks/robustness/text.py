"""robustness.text_invariance: CheckList INV tests (Ribeiro et al. 2020) for text classifiers.

Label-preserving perturbations of one text column — typos, case, punctuation, whitespace,
first-name swaps — and the share of changed texts whose prediction flips, with a Wilson
interval. Texts a perturbation leaves unchanged (no name to swap, no word long enough for
a typo) are not counted. Raw texts never enter the result: examples are row positions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import Field, JsonValue

from tef_harness.api import Check, CheckOutput, ConfigError, Dimensions, Finding, Metric, Params, RunContext
from tef_harness.checks.robustness._answers import error_finding, hang_finding, invalid_output_finding
from tef_harness.checks.robustness._measure import proportion_metric, sample_rows
from tef_harness.checks.robustness.free_text import is_free_text

TextPerturbation = Literal["typo", "lowercase", "uppercase", "punctuation", "whitespace", "name_swap"]
PERTURBATIONS: tuple[TextPerturbation, ...] = (
    "typo",
    "lowercase",
    "uppercase",
    "punctuation",
    "whitespace",
    "name_swap",
)
#: first names from several regions (CheckList swaps names within such lists)
NAMES: tuple[str, ...] = (
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Sarah",
    "Mohammed",
    "Fatima",
    "Ahmed",
    "Aisha",
    "Wei",
    "Li",
    "Hiroshi",
    "Yuki",
    "Raj",
    "Priya",
    "Carlos",
    "Maria",
    "José",
    "Ana",
    "Pierre",
    "Marie",
    "Hans",
    "Anna",
    "Olga",
    "Ivan",
    "Kwame",
    "Amara",
    "Chinedu",
    "Ngozi",
    "Giulia",
    "Luca",
    "Sven",
    "Ingrid",
    "Mateo",
    "Lucía",
)
_NAME_RE = re.compile(r"\b(" + "|".join(NAMES) + r")\b")
_WORD_RE = re.compile(r"[A-Za-z]{4,}")
_PUNCT_RE = re.compile(r"[.!?,;:]+")


class TextInvarianceParams(Params):
    #: the text column; None = the only model input whose values are multi-word strings
    column: str | None = None
    perturbations: tuple[TextPerturbation, ...] = PERTURBATIONS
    #: texts sampled (Giskard uses up to 1,000)
    max_rows: Annotated[int, Field(ge=10)] | None = 1000
    level: Annotated[float, Field(gt=0.5, lt=1.0)] = 0.95
    timeout_s: Annotated[float, Field(gt=0.0)] = 120.0
    #: at most this many flipped row positions listed per perturbation in details
    max_examples: Annotated[int, Field(ge=0)] = 5


class TextInvariance(Check):
    id = "robustness.text_invariance"
    family = "robustness"
    title = "Invariance of a text classifier to label-preserving edits"
    description = (
        "CheckList-style INV tests: typos, lower/upper case, punctuation, whitespace and first-name swaps on the "
        "text input; flip rate over changed texts with Wilson intervals."
    )
    requires = frozenset({"model", "classification"})
    evidence_for = ("EU-AI-Act:Art15(1)", "EU-AI-Act:Art15(4)", "EU-AI-Act:AnnexIV-2(g)")
    Params = TextInvarianceParams

    def bind(self, ctx: RunContext, params: TextInvarianceParams) -> str | None:
        if params.column is not None and params.column not in ctx.features:
            raise ConfigError(f"column {params.column!r} is not a model input", field="column")
        if _text_column(ctx.X, params.column) is None:
            return "no model input is a free-text column"
        return None

    def run(self, ctx: RunContext, params: TextInvarianceParams) -> CheckOutput:
        assert ctx.model is not None
        X = ctx.X
        column = _text_column(X, params.column)
        assert column is not None  # bind said the check applies
        idx = sample_rows(ctx.rng(self.id), len(X), params.max_rows)
        sample = X.iloc[idx].reset_index(drop=True)
        texts = sample[column].fillna("").astype(str).to_numpy(dtype=object)
        clean = np.asarray(ctx.predictions())[idx]
        metrics: list[Metric | None] = []
        findings: list[Finding] = []
        table: dict[str, JsonValue] = {}
        for name in params.perturbations:
            rng = ctx.rng(f"{self.id}/{name}")
            new_texts = np.array([_PERTURB[name](t, rng) for t in texts], dtype=object)
            changed = new_texts != texts
            entry: dict[str, JsonValue] = {"n_changed": int(changed.sum())}
            table[name] = entry
            if not changed.any():
                entry["status"] = "no_text_changed"
                continue
            frame = sample.loc[changed].reset_index(drop=True)
            frame[column] = pd.Series(new_texts[changed], dtype=sample[column].dtype)
            res = ctx.model.call("predict", frame, timeout_s=params.timeout_s)
            if res.kind == "timeout":
                entry["status"] = "timeout"
                findings.append(hang_finding(name, params.timeout_s))
                break
            if res.kind == "error":
                entry["status"] = "error"
                findings.append(error_finding(name, res.error_type, f"{name} edits of valid texts"))
                continue
            if res.kind == "invalid":
                entry["status"] = "invalid_output"
                findings.append(invalid_output_finding(name, res.problem or "invalid output"))
                continue
            pred = res.value
            flips = pred.astype(object) != clean[changed].astype(object)
            m = proportion_metric(
                Dimensions(criterion="flip_rate", family=name),
                flips,
                params.level,
                greater_is_better=False,
                description=f"share of {name}-edited texts whose prediction changed",
            )
            metrics.append(m)
            entry.update(
                status="ok",
                flip_rate=m.value if m else None,
                examples=[int(p) for p in idx[np.flatnonzero(changed)[flips]][: params.max_examples]],
            )
        details: dict[str, JsonValue] = {
            "column": column,
            "perturbations": table,
            "sample": {"n": len(idx), "of": len(X)},
        }
        return CheckOutput(
            metrics=tuple(m for m in metrics if m is not None), findings=tuple(findings), details=details
        )


def _text_column(X: pd.DataFrame, declared: str | None) -> str | None:
    if declared is not None:
        return declared if declared in X.columns else None
    candidates = [str(c) for c in X.columns if is_free_text(X[c])]
    return candidates[0] if len(candidates) == 1 else None


def typo(text: str, rng: np.random.Generator) -> str:
    """Swap two adjacent inner letters of one word of four letters or more."""
    words = list(_WORD_RE.finditer(text))
    if not words:
        return text
    w = words[int(rng.integers(len(words)))]
    i = w.start() + 1 + int(rng.integers(len(w.group()) - 2))
    if text[i] == text[i + 1]:
        return text
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def punctuation(text: str, rng: np.random.Generator) -> str:
    """Strip sentence punctuation when there is some, else end the text with a full stop."""
    stripped = _PUNCT_RE.sub("", text)
    return stripped if stripped != text else text.rstrip() + "."


def whitespace(text: str, rng: np.random.Generator) -> str:
    """Double one space and pad the ends."""
    spaces = [m.start() for m in re.finditer(" ", text)]
    if spaces:
        i = spaces[int(rng.integers(len(spaces)))]
        text = text[:i] + " " + text[i:]
    return f" {text} "


def name_swap(text: str, rng: np.random.Generator) -> str:
    """Replace each listed first name by another from the list."""

    def swap(m: re.Match[str]) -> str:
        k = NAMES.index(m.group(0))
        return NAMES[(k + 1 + int(rng.integers(len(NAMES) - 1))) % len(NAMES)]

    return _NAME_RE.sub(swap, text)


_PERTURB: dict[str, Callable[[str, np.random.Generator], str]] = {
    "typo": typo,
    "lowercase": lambda t, rng: t.lower(),
    "uppercase": lambda t, rng: t.upper(),
    "punctuation": punctuation,
    "whitespace": whitespace,
    "name_swap": name_swap,
}
