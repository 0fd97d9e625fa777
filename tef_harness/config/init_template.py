"""``tef init``: a commented tef.toml that a user can read top to bottom and edit, and the
model-card template that goes with it.

The card template is made from a documentation profile, which the documentation family owns;
the family registers its renderer under the entry-point group ``tef_harness.templates``
(name ``card``), so this stage reaches it without importing a check family.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.metadata import entry_points
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


def _q(value: str) -> str:
    return json.dumps(value)


def render_config(*, model: str, data: str, target: str, sensitive: list[str], card: str | None, profile: str) -> str:
    sens = ", ".join(_q(s) for s in sensitive)
    card_line = f"card = {_q(card)}" if card else '# card = "MODEL_CARD.md"'
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
# trusted_types = []            # skops types you reviewed and approve
# predictions = "preds.csv"    # predictions-only audit: 'prediction' and 'proba_<class>' columns

[data]
path = {_q(data)}
target = {_q(target)}
sensitive = [{sens}]
# train_sample = "train_sample.csv"   # members, for membership inference
# task = "auto"                       # auto, binary, multiclass, regression
# positive_label = 1

[documents]
{card_line}

[gate]
# An unwaived finding at or above this severity fails its check: info, low, medium, high, critical.
fail_on = "high"
# What 'insufficient evidence' means for the verdict: incomplete, fail or pass.
insufficient_evidence = "incomplete"

# Thresholds are declared here, before testing (AI Act Art. 9(8)). 'on' compares the point
# value or a bound of its 95% confidence interval: value, lower, upper.
[checks."performance.metrics"]
params = {{ n_boot = 200 }}
thresholds = [
    {{ metric = "roc_auc", min = 0.7, on = "lower" }},
]

# A waiver accepts a known failure, with an owner and an expiry date.
# [[waivers]]
# check = "performance.metrics"
# code = "metric:ece"
# reason = "calibration is fixed downstream by the scoring service"
# owner = "jane.doe@example.org"
# expires = 2027-06-30
"""
