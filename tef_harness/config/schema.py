"""The configuration schema (``tef.toml`` or ``[tool.tef]`` in ``pyproject.toml``).

Every model is frozen with ``extra="forbid"``: a misspelt key is an error that names the
file and the dotted field, never a silently ignored setting in a certification run. Paths in
a file are relative to that file's folder; flags on the command line override the file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator

from tef_harness.sdk.results import Severity

ModelFormat = Literal["auto", "skops", "onnx", "mlflow", "pickle", "joblib", "predictions", "callable"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class ModelSection(_Strict):
    """The artifact under test."""

    path: str | None = None
    """a .skops, .onnx, .pkl/.joblib file, an MLflow model folder, or a runs:/ or models:/ URI"""
    format: ModelFormat = "auto"
    """how to read ``path``; ``auto`` decides by suffix or folder content"""
    trusted_types: tuple[str, ...] = ()
    """types a skops file may contain beyond skops' own safe list (review them first)"""
    trust_artifact: bool = False
    """allow formats that execute code on load (pickle, joblib, MLflow); recorded in the report"""
    predictions: str | None = None
    """predictions-only audit: a CSV/Parquet with a ``prediction`` column (and ``proba_<class>``
    columns), one row per evaluation row, in the same order"""
    callable: str | None = None
    """for ``format = "callable"``: ``module:function`` generating text (needs trust_artifact)"""
    log_likelihood: str | None = None
    """optional ``module:function`` returning each text's log-likelihood (canary exposure)"""
    timeout_s: Annotated[float, Field(gt=0.0)] = 600.0
    """seconds one model call may take; a call that takes longer ends the check that made it as
    ``error`` (robustness checks' own ``timeout_s`` bound their calls on perturbed inputs)"""
    decision_threshold: Annotated[float, Field(gt=0.0, lt=1.0)] | None = None
    """binary models with probabilities: every check's labels are P(positive) >= this; unset,
    every check uses the model's own ``predict``"""


class DataSection(_Strict):
    path: str | None = None
    """evaluation data (CSV, Parquet or JSON lines), held out from training"""
    target: str | None = None
    """the label column; omit for unlabelled audits"""
    sensitive: tuple[str, ...] = ()
    """protected-attribute columns the bias checks group by"""
    features: tuple[str, ...] | None = None
    """model input columns; default: the model's own list, else every column but the target"""
    train_sample: str | None = None
    """a sample of the training data (membership inference, representation)"""
    task: Literal["auto", "binary", "multiclass", "regression"] = "auto"
    """``auto`` infers it from the model's classes or the target's values"""
    # ``positive_label`` is the key's old name, still read (the loader warns about it)
    pos_label: str | int | bool | None = Field(
        default=None, validation_alias=AliasChoices("pos_label", "positive_label")
    )
    """the label counted as positive in binary tasks, scikit-learn's ``pos_label`` (default: the
    greater label; ``positive_label`` is its deprecated name)"""

    @field_validator("sensitive", mode="after")
    @classmethod
    def _each_sensitive_once(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # ``--sensitive sex --sensitive sex`` means sex; the bias checks group by each column once
        return tuple(dict.fromkeys(value))


class DocumentsSection(_Strict):
    card: str | None = None
    """model card in Markdown, optionally with YAML front matter"""
    technical_documentation: str | None = None
    """structured technical documentation (YAML) for items a card does not hold"""
    datasheet: str | None = None
    """datasheet for the training data (Markdown)"""


class ThresholdSpec(_Strict):
    """A bound on a metric, declared before testing (AI Act Art. 9(8))."""

    metric: str
    """metric name or fnmatch pattern, e.g. ``roc_auc`` or ``dp_difference/*``"""
    # finite only: ``inf`` would replace the profile's bound with none that passes everything
    # ("no bound, no pass"), ``nan`` with one no number meets ("needs >= nan")
    min: Annotated[float, Field(allow_inf_nan=False)] | None = None
    """the metric (or bound) must be at least this"""
    max: Annotated[float, Field(allow_inf_nan=False)] | None = None
    """the metric (or bound) must be at most this"""
    on: Literal["value", "lower", "upper"] = "value"
    """compare the point value, or the lower / upper bound of its confidence interval"""
    exclusive: bool = False
    """the compared number must lie strictly beyond ``min`` / ``max`` (a floor a trivial
    baseline sits exactly on, such as balanced accuracy over the prior, must be exceeded)"""
    tasks: tuple[Literal["binary", "multiclass", "regression"], ...] = ()
    """apply only when the run's task is one of these (empty: always), so one profile can bound
    a classifier's balanced accuracy and a regressor's R²"""
    basis: str | None = None
    """where the bound comes from (a standard, a paper, or "harness convention"); shown in the report"""

    @model_validator(mode="after")
    def _has_a_bound(self) -> ThresholdSpec:
        if self.min is None and self.max is None:
            raise ValueError("a threshold needs min or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} > max {self.max}")
        if self.exclusive and self.min is not None and self.max is not None and self.min == self.max:
            raise ValueError(f"exclusive bounds min = max = {self.min} admit no value")
        return self


class CheckSettings(_Strict):
    enabled: bool = True
    """run this check (checks run by default when installed)"""
    required: bool | None = None
    """a required check that does not run makes the verdict incomplete"""
    params: dict[str, Any] = Field(default_factory=dict)
    """the check's own parameters, validated against its Params model before the run"""
    thresholds: tuple[ThresholdSpec, ...] = ()
    """bounds on the check's metrics (see the threshold keys below)"""


class Waiver(_Strict):
    """An accepted, owned and dated exception; an expired waiver no longer applies."""

    check: str | None = None
    """the check id the waiver applies to (any check when omitted)"""
    code: str | None = None
    """a finding code (``BIAS003``) or a metric name pattern (``metric:dp_difference/*``)"""
    reason: Annotated[str, Field(min_length=3)]
    """why the failure is accepted"""
    owner: Annotated[str, Field(min_length=1)]
    """who accepted it"""
    expires: dt.date | None = None
    """after this date the waiver no longer applies (and the report warns)"""

    @model_validator(mode="after")
    def _targets_something(self) -> Waiver:
        if not self.check and not self.code:
            raise ValueError("a waiver needs a check id or a finding code")
        return self


class GateSection(_Strict):
    fail_on: Severity = Severity.HIGH
    """an unwaived finding at or above this severity fails its check"""
    insufficient_evidence: Literal["incomplete", "fail", "pass"] = "incomplete"
    """what insufficient evidence (a group too small to judge, a bound on a metric undefined on
    this data, a check that met no bound) means for the verdict"""


class PluginsSection(_Strict):
    third_party: bool = True
    """set false for a reproducible certification run with built-in checks only"""
    only: tuple[str, ...] | None = None
    """run only these check ids"""


class TrackingSection(_Strict):
    """Where each audit is logged as one MLflow run (the report file is always written first)."""

    enabled: bool = True
    """log each audit to MLflow (``--no-tracking`` turns it off for one run)"""
    uri: str | None = None
    """tracking URI (``http(s)://host:port``, ``sqlite:///path.db``, ...); default:
    ``MLFLOW_TRACKING_URI``, else ``sqlite:///mlflow.db`` in the config's folder; a relative
    sqlite path is relative to the config's folder"""
    experiment: str | None = None
    """experiment name; default ``tef/<model file stem or registered-model name>``"""
    register_alias: str | None = None
    """for a ``models:/`` model: set this alias (e.g. ``tef-conformant``) on the version when it
    is conformant in a full audit (a partial one, ``--only``, never moves it onto a version), and
    remove it from the version when it is not"""
    register_as: str | None = None
    """register the audited ``.skops``/``.onnx`` file, unchanged, as a new version of this
    registered model before the audit; the version is then tagged like a ``models:/`` model"""

    @field_validator("uri")
    @classmethod
    def _well_formed(cls, v: str | None) -> str | None:
        from tef_harness.config.tracking_uri import check_tracking_uri

        return None if v is None else check_tracking_uri(v)


class BaselineThreshold(_Strict):
    """How far a metric may move against the baseline (MLflow ``MetricThreshold`` semantics)."""

    metric: str
    """qualified metric name or fnmatch pattern, e.g. ``performance.metrics/roc_auc`` or
    ``bias.group_fairness/*/ci_high``"""
    min_absolute_change: float | None = None
    """the candidate must beat the baseline by at least this much in the better direction;
    negative: the largest regression tolerated (``-0.02``: may drop by 0.02)"""
    min_relative_change: float | None = None
    """as ``min_absolute_change``, as a share of the baseline's absolute value (``-0.05``: 5 %)"""
    greater_is_better: bool | None = None
    """default: the metric's own ``greater_is_better``; a metric with neither is not compared"""

    @model_validator(mode="after")
    def _has_a_change(self) -> BaselineThreshold:
        if self.min_absolute_change is None and self.min_relative_change is None:
            raise ValueError("a baseline threshold needs min_absolute_change or min_relative_change")
        return self


class BaselineSection(_Strict):
    """A previous report to compare against (``tef check --baseline``)."""

    path: str | None = None
    """a previous ``report.json``, or an MLflow run id (``runs:/<id>`` or the bare id)"""
    thresholds: tuple[BaselineThreshold, ...] = ()
    """the regressions that fail the gate; without any, the comparison is only printed"""


class TefConfig(_Strict):
    profile: str = "default"
    """policy profile: a shipped name (``default``, ``eu-ai-act-high-risk``, ``minimal``) or a path"""
    seed: int = 0
    """seed of every random stream (bootstrap, perturbations, attacks)"""
    out: str = "tef-report"
    """folder the report is written to"""
    jobs: Annotated[int, Field(ge=1, le=256)] = 1
    """worker processes the engine lends to checks that split their work (the PII scans);
    1 = in process. Results do not depend on it"""
    model: ModelSection = ModelSection()
    data: DataSection = DataSection()
    documents: DocumentsSection = DocumentsSection()
    gate: GateSection = GateSection()
    plugins: PluginsSection = PluginsSection()
    checks: dict[str, CheckSettings] = Field(default_factory=dict)
    waivers: tuple[Waiver, ...] = ()
    tracking: TrackingSection = TrackingSection()
    baseline: BaselineSection = BaselineSection()


class LoadedConfig(BaseModel):
    """A validated config and where it came from (paths resolve against ``base_dir``)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    config: TefConfig
    source: str | None
    base_dir: Path
    #: one line per deprecated key the file used (``file: field is deprecated: ...``), for the report
    warnings: tuple[str, ...] = ()

    def path(self, value: str | None) -> Path | None:
        if value is None:
            return None
        p = Path(value).expanduser()
        return p if p.is_absolute() else self.base_dir / p
