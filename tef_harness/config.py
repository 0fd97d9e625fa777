"""The configuration schema (``tef.toml`` or ``[tool.tef]`` in ``pyproject.toml``).

Every model is frozen with ``extra="forbid"``: a misspelt key is an error that names the
file and the dotted field, never a silently ignored setting in a certification run. Paths in
a file are relative to that file's folder; flags on the command line override the file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tef_harness.results import Severity

ModelFormat = Literal["auto", "skops", "onnx", "mlflow", "pickle", "joblib", "predictions", "callable"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ModelSection(_Strict):
    """The artifact under test."""

    #: a .skops, .onnx, .pkl/.joblib file, an MLflow model folder, or a runs:/ or models:/ URI
    path: str | None = None
    #: how to read ``path``; ``auto`` decides by suffix or folder content
    format: ModelFormat = "auto"
    #: types a skops file may contain beyond skops' own safe list (review them first)
    trusted_types: tuple[str, ...] = ()
    #: allow formats that execute code on load (pickle, joblib, MLflow); recorded in the report
    trust_artifact: bool = False
    #: predictions-only audit: a CSV/Parquet with a ``prediction`` column (and ``proba_<class>``
    #: columns), one row per evaluation row, in the same order
    predictions: str | None = None
    #: for ``format = "callable"``: ``module:function`` generating text (needs trust_artifact)
    callable: str | None = None
    #: optional ``module:function`` returning each text's log-likelihood (canary exposure)
    log_likelihood: str | None = None


class DataSection(_Strict):
    #: evaluation data (CSV, Parquet or JSON lines), held out from training
    path: str | None = None
    #: the label column; omit for unlabelled audits
    target: str | None = None
    #: protected-attribute columns the bias checks group by
    sensitive: tuple[str, ...] = ()
    #: model input columns; default: the model's own list, else every column but the target
    features: tuple[str, ...] | None = None
    #: a sample of the training data (membership inference, representation)
    train_sample: str | None = None
    task: Literal["auto", "binary", "multiclass", "regression"] = "auto"
    #: the label counted as positive in binary tasks (default: the greater label)
    positive_label: str | int | bool | None = None


class DocumentsSection(_Strict):
    #: model card in Markdown, optionally with YAML front matter
    card: str | None = None
    #: structured technical documentation (YAML) for items a card does not hold
    technical_documentation: str | None = None
    #: datasheet for the training data (Markdown)
    datasheet: str | None = None


class ThresholdSpec(_Strict):
    """A bound on a metric, declared before testing (AI Act Art. 9(8))."""

    #: metric name or fnmatch pattern, e.g. ``roc_auc`` or ``dp_difference/*``
    metric: str
    min: float | None = None
    max: float | None = None
    #: compare the point value, or the lower / upper bound of its confidence interval
    on: Literal["value", "lower", "upper"] = "value"

    @model_validator(mode="after")
    def _has_a_bound(self) -> ThresholdSpec:
        if self.min is None and self.max is None:
            raise ValueError("a threshold needs min or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} > max {self.max}")
        return self


class CheckSettings(_Strict):
    enabled: bool = True
    #: a required check that does not run makes the verdict incomplete
    required: bool | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    thresholds: tuple[ThresholdSpec, ...] = ()


class Waiver(_Strict):
    """An accepted, owned and dated exception; an expired waiver no longer applies."""

    check: str | None = None
    #: a finding code (``BIAS003``) or a metric name pattern (``metric:dp_difference/*``)
    code: str | None = None
    reason: Annotated[str, Field(min_length=3)]
    owner: Annotated[str, Field(min_length=1)]
    expires: dt.date | None = None

    @model_validator(mode="after")
    def _targets_something(self) -> Waiver:
        if not self.check and not self.code:
            raise ValueError("a waiver needs a check id or a finding code")
        return self


class GateSection(_Strict):
    #: an unwaived finding at or above this severity fails its check
    fail_on: Severity = Severity.HIGH
    #: what insufficient evidence means for the verdict
    insufficient_evidence: Literal["incomplete", "fail", "pass"] = "incomplete"


class PluginsSection(_Strict):
    #: set false for a reproducible certification run with built-in checks only
    third_party: bool = True
    #: run only these check ids
    only: tuple[str, ...] | None = None


class TefConfig(_Strict):
    #: policy profile: a shipped name (``default``, ``eu-ai-act-high-risk``, ``minimal``) or a path
    profile: str = "default"
    seed: int = 0
    #: folder the report is written to
    out: str = "tef-report"
    model: ModelSection = ModelSection()
    data: DataSection = DataSection()
    documents: DocumentsSection = DocumentsSection()
    gate: GateSection = GateSection()
    plugins: PluginsSection = PluginsSection()
    checks: dict[str, CheckSettings] = Field(default_factory=dict)
    waivers: tuple[Waiver, ...] = ()


class LoadedConfig(BaseModel):
    """A validated config and where it came from (paths resolve against ``base_dir``)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    config: TefConfig
    source: str | None
    base_dir: Path

    def path(self, value: str | None) -> Path | None:
        if value is None:
            return None
        p = Path(value).expanduser()
        return p if p.is_absolute() else self.base_dir / p
