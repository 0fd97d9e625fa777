"""``tef init``: a commented tef.toml that a user can read top to bottom and edit, and the
model-card template that goes with it.

The template follows the task: a regressor gets no ROC AUC threshold (it has no ROC curve,
and a bound on a metric that cannot exist only fails). The task comes from ``--task``, or
from the target column of the data file when it exists, or stays unknown, in which case the
template declares no accuracy level and says how to add one.

The card template is made from a documentation profile, which the documentation family owns;
the family registers its renderer under the entry-point group ``tef_harness.templates``
(name ``card``), so this stage reaches it without importing a check family.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import cast

from tef_harness.sdk.errors import ConfigError

TEMPLATE_GROUP = "tef_harness.templates"
BUILTIN_DISTRIBUTION = "tef-harness"


def render_card_template(profile: str) -> str:
    """A Markdown model-card template for a documentation profile (a shipped name or a path).

    Raises ConfigError when no installed package registers a card template, or the profile is
    unknown or invalid."""
    found = entry_points(group=TEMPLATE_GROUP, name="card")
    if not found:
        raise ConfigError(f"no card template registered (entry-point group {TEMPLATE_GROUP})", field="--card-template")
    # the built-in renderer wins over a plugin's of the same name
    ep = next((e for e in found if e.dist is not None and e.dist.name == BUILTIN_DISTRIBUTION), next(iter(found)))
    render = cast(Callable[[str], str], ep.load())
    return render(profile)


#: the example accuracy level per task: a bound the provider replaces by the level the
#: model card declares (AI Act Art. 15(3)); the profile's better-than-trivial floor applies anyway
_LEVEL = {
    "binary": '{ metric = "roc_auc", min = 0.7, on = "lower" }',
    "multiclass": '{ metric = "balanced_accuracy", min = 0.6, on = "lower" }',
    "regression": '{ metric = "r2", min = 0.5, on = "lower" }',
}


def detect_task(data: Path, target: str) -> str | None:
    """The task the run would infer from the data's target column (None when the file or the
    column is not there): the same rule as ``tef check`` without a model."""
    if not data.is_file():
        return None
    from tef_harness.intake.build import _resolve_task
    from tef_harness.intake.tables import load_dataset

    frame = load_dataset(data, role="eval", field="--data", target=None, sensitive=()).frame
    if target not in frame.columns:
        return None
    return _resolve_task(frame, str(data), target, "auto", None)


def _q(value: str) -> str:
    return json.dumps(value)


def render_config(
    *,
    model: str,
    data: str,
    target: str,
    sensitive: list[str],
    card: str | None,
    profile: str,
    task: str = "auto",
    untrusted_types: list[str] | None = None,
    allow_listed: tuple[str, ...] = (),
    group_labels: dict[str, list[str]] | None = None,
) -> str:
    """The commented config; ``task`` (auto, binary, multiclass, regression) picks the example
    accuracy level: none when the task is unknown. ``untrusted_types``: the types skops
    reports in the model file beyond its safe list, written as commented entries to review
    (None: not a skops file); those in ``allow_listed`` (the loader's shipped allow-list) are
    marked so. ``group_labels``: the groups each sensitive column holds in the data, when it
    could be read (see ``sensitive_groups``), named in the reference-population stub."""
    sens = ", ".join(_q(s) for s in sensitive)
    card_line = f"card = {_q(card)}" if card else '# card = "MODEL_CARD.md"'
    task_line = f"task = {_q(task)}                      # auto, binary, multiclass, regression"
    if task == "auto":
        task_line = "# task = \"auto\"                     # auto, binary, multiclass, regression"
    level = _LEVEL.get(task)
    thresholds = (
        # commented out: 0.7 is an example, not the provider's level; a live bound here would be
        # reported as the level the card declares when nobody declared it
        "# The accuracy level your model card declares: set min to it, then uncomment.\n"
        f"# thresholds = [\n#     {level},\n# ]"
        if level
        else "# thresholds = []   # the task is not known yet: e.g. roc_auc (binary) or r2 (regression)"
    )
    reference = _reference_stub(sensitive, group_labels or {})
    return f"""# tef-harness configuration. Paths are relative to this file; command-line flags override it.
# Every key is checked: a misspelt key is an error, not a silently ignored setting.

# Policy profile: default, minimal, eu-ai-act-high-risk, or a path to your own TOML profile.
profile = {_q(profile)}
# Seed for every resampling and perturbation: two runs on the same inputs give the same report.
seed = 0
# Folder the report is written to.
out = "tef-report"

[model]
# .skops and .onnx load without running code. Pickle, joblib and MLflow models execute code
# when loaded and need --trust-artifact (recorded in the report).
path = {_q(model)}
{_trusted_types_block(untrusted_types, allow_listed)}
# predictions = "preds.csv"    # predictions-only audit: 'prediction' and 'proba_<class>' columns

[data]
path = {_q(data)}
target = {_q(target)}
sensitive = [{sens}]
# train_sample = "train_sample.csv"   # members, for membership inference
{task_line}
# pos_label = 1

[documents]
{card_line}

[gate]
# An unwaived finding at or above this severity fails its check: info, low, medium, high, critical.
fail_on = "high"
# What 'insufficient evidence' means for the verdict: incomplete, fail or pass.
insufficient_evidence = "incomplete"

# Thresholds are declared here, before testing (AI Act Art. 9(8)). 'on' compares the point
# value or a bound of its 95% confidence interval: value, lower, upper. The profile adds its
# default bounds (README, "Default bounds"); a bound here with the same metric and side wins.
[checks."performance.metrics"]
params = {{ n_boot = 200 }}
{thresholds}

{reference}

# A waiver accepts a known failure, with an owner and an expiry date.
# [[waivers]]
# check = "performance.metrics"
# code = "metric:ece"
# reason = "calibration is fixed downstream by the scoring service"
# owner = "jane.doe@example.org"
# expires = 2027-06-30
"""


def sensitive_groups(data: Path, sensitive: list[str]) -> dict[str, list[str]]:
    """The group labels of each sensitive column in the data file, spelt as the bias checks
    spell them (an integral float column read from a CSV with a gap is integer); empty when the
    file is not there, and a column the file lacks is left out (``tef check`` says so)."""
    if not data.is_file() or not sensitive:
        return {}
    import pandas as pd  # type: ignore[import-untyped, unused-ignore]

    from tef_harness.intake.tables import read_table

    frame = read_table(data, field="--data")
    out: dict[str, list[str]] = {}
    for col in sensitive:
        if col not in frame.columns:
            continue
        values = frame[col].dropna()
        if pd.api.types.is_float_dtype(values) and bool((values == values.round()).all()):
            values = values.astype("Int64")
        out[col] = sorted({str(v) for v in values})
    return out


def _reference_stub(sensitive: list[str], group_labels: dict[str, list[str]]) -> str:
    """The commented ``bias.data_representation`` reference population: what it is, the accepted
    form, and one line per sensitive column with SHARE placeholders. A placeholder is not a TOML
    value, so uncommenting the table without filling it in is a parse error, never a made-up
    population reported as declared."""
    rows = []
    if any(not group_labels.get(col) for col in sensitive or ["sex"]):
        # no data file to read the labels from (yet): say what the placeholders stand for
        rows.append("# (GROUP_A, GROUP_B: the labels of that column in your data, as many as it holds)")
    for col in sensitive or ["sex"]:
        labels = group_labels.get(col) or ["GROUP_A", "GROUP_B"]
        cells = ", ".join(f"{_q(label)} = SHARE" for label in labels)
        rows.append(f"# {_q(col)} = {{ {cells} }}")
    return "\n".join(
        [
            "# Representativeness (AI Act Art. 10(3)): bias.data_representation compares each group's",
            "# share of the evaluation data with its share of the reference population, the people the",
            "# system is meant to be used on, from a source you document (national statistics, the",
            "# applicants of last year, ...). Until it is declared, that check is insufficient evidence.",
            "# Per sensitive column, each group label as the data spells it and its share of the",
            "# population as a fraction in [0, 1], e.g. \"sex\" = { \"female\" = 0.51, \"male\" = 0.49 }.",
            "# A column's shares sum to at most 1; a group left out is not compared. An intersection is",
            "# keyed \"sex|age_group\", its groups \"female|18-25\". Replace every SHARE by your",
            "# source's figure, then uncomment the table header and its lines:",
            '# [checks."bias.data_representation".params.reference]',
            *rows,
        ]
    )


def _trusted_types_block(untrusted: list[str] | None, allow_listed: tuple[str, ...]) -> str:
    if not untrusted:
        note = " (skops reports none in this file)" if untrusted is not None else ""
        return f"# trusted_types = []            # skops types you reviewed and approve{note}"
    lines = [
        "# skops reports these types in the file beyond its own safe list. Review each, then",
        "# uncomment the ones you approve (or pass --trust-type NAME). Types marked 'allow-listed'",
        "# are scikit-learn's own tree structures, loaded without a listing (see the README).",
        "# trusted_types = [",
    ]
    for name in untrusted:
        mark = "  # allow-listed" if name in allow_listed else ""
        lines.append(f"#     {_q(name)},{mark}")
    lines.append("# ]")
    return "\n".join(lines)
