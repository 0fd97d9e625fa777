"""documentation.consistency: the card's claims against what the other checks measured."""

from __future__ import annotations

import inspect

import pytest
from documentation_testkit import context, performance, result

from tef_harness.api import CheckResult, Dimensions, GroupRow, GroupTable, Interval, Measured, Metric
from tef_harness.checks.documentation import consistency
from tef_harness.checks.documentation.claims import canonical_metric, extract_claims
from tef_harness.checks.documentation.consistency import ConsistencyParams, DocumentationConsistency
from tef_harness.checks.documentation.parsing import parse_markdown
from tef_harness.sdk import dimensions
from tef_harness.sdk.results import Severity, Status
from tef_harness.testing import assert_check_contract


def run(card, results=None, params=None, **kw):
    ctx = context({"card": card}, results=results, **kw)
    return DocumentationConsistency().run(ctx, params or ConsistencyParams())


def metric(out, name):
    return next(m.value for m in out.metrics if m.name == name)


def by_code(out, code):
    return [f for f in out.findings if f.code == code]


def index_card(*metrics, extra=""):
    lines = "\n".join(f"          - {{type: {t}, value: {v}}}" for t, v in metrics)
    return (
        "---\nmodel-index:\n  - name: m\n    results:\n      - task: {type: tabular-classification}\n"
        f"        dataset: {{name: hold-out, split: test}}\n        metrics:\n{lines}\n{extra}---\n"
        "# Card\n\nEvaluated by sex and age_group.\n"
    )


def test_contract():
    assert_check_contract(DocumentationConsistency)
    ctx = context({"card": "demo_credit_card.md"}, results={"performance.metrics": performance()})
    assert assert_check_contract(DocumentationConsistency, ctx) is not None


# -- claim extraction -------------------------------------------------------------------------
def test_claims_from_model_index_and_tables():
    parsed = parse_markdown(
        index_card(("accuracy", 72.5), ("auc", 0.8))
        + "\n| Metric | Value |\n|---|---|\n| F1 score | 61% |\n| Brier | 0.19 |\n"
        + "\n| Group | Share of rows | Accuracy | ROC AUC |\n|---|---|---|---|\n"
        + "| Overall | 100% | 0.72 | 0.80 |\n| sex=female | 45% | 0.73 | 0.81 |\n| Training set | - | 0.99 | 0.99 |\n",
        role="card",
        path="card.md",
    )
    claims = extract_claims(parsed)
    got = [(c.metric, round(c.value, 4), c.feature, c.group) for c in claims.metrics]
    assert got == [
        ("accuracy", 0.725, None, None),  # percent on a [0, 1] metric
        ("roc_auc", 0.8, None, None),
        ("f1", 0.61, None, None),
        ("brier", 0.19, None, None),
        ("accuracy", 0.72, None, None),  # not 72.5%: 0.725 is on the edge of what 0.72 stands for
        ("accuracy", 0.73, "sex", "female"),
        ("roc_auc", 0.81, "sex", "female"),
    ]  # the training-set row is not a claim about the model; AUC 0.8 and 0.80 are one claim:
    # the table's more precise figure, model-index its second place
    assert claims.metrics[1].half_unit == pytest.approx(0.005)
    assert claims.metrics[1].source == "card.md: line 22 (table at line 20)"
    assert claims.metrics[1].also_at == ("card.md: front matter model-index[0].results[0].metrics[1]",)
    assert claims.metrics[0].half_unit == pytest.approx(0.0005)  # "72.5" stands for [72.45, 72.55]%
    assert claims.metrics[0].source == "card.md: front matter model-index[0].results[0].metrics[0]"
    assert [(s.feature, s.group, s.share) for s in claims.population] == [("sex", "female", 0.45)]
    assert claims.groups == (("sex", claims.metrics[5].source),)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("ROC-AUC", "roc_auc"),
        ("AUROC", "roc_auc"),
        ("Accuracy", "accuracy"),
        ("log loss", "log_loss"),
        ("Balanced accuracy", "balanced_accuracy"),
        ("F1-score", "f1"),
        ("Gini", "gini"),
        ("MCC", "mcc"),
    ],
)
def test_metric_aliases(name, canonical):
    assert canonical_metric(name) == canonical


# -- metric claims inside and outside the interval ----------------------------------------------
@pytest.mark.parametrize(
    ("claim", "verdict", "code", "severity"),
    [
        (0.72, "consistent", None, None),
        (0.7, "consistent", None, None),  # rounding: 0.7 stands for [0.65, 0.75], which meets the interval
        (0.73, "optimistic", "DOC101", Severity.HIGH),  # [0.725, 0.735] just misses 0.7248
        (0.74, "optimistic", "DOC101", Severity.HIGH),
        (0.69, "cautious", "DOC102", Severity.LOW),  # cautious: a note (test_documentation_cautious_claims)
    ],
)
def test_accuracy_claim_against_the_interval(claim, verdict, code, severity):
    out = run(index_card(("accuracy", claim)), {"performance.metrics": performance()})
    (row,) = [r for r in out.details["claims"] if r["kind"] == "metric"]
    assert row["verdict"] == verdict
    assert (row["low"], row["high"]) == (0.7055, 0.7248)
    if code is None:
        assert not by_code(out, "DOC101") and not by_code(out, "DOC102")
        assert metric(out, "claims.consistent") == 1
    else:
        (finding,) = by_code(out, code)
        assert finding.severity is severity
        assert f"{claim:.4g}" in finding.message and "0.7151" in finding.message  # both numbers
        assert "[0.7055, 0.7248]" in finding.message
        assert metric(out, "claims.outside_interval") == 1


def test_lower_is_better_metrics_flip_the_direction():
    perf = result("performance.metrics", {"log_loss": (0.5668, 0.5548, 0.5816)}, details={"decision_threshold": None})
    out = run(index_card(("log_loss", 0.45)), {"performance.metrics": perf})
    assert [f.code for f in out.findings if f.code.startswith("DOC10")] == ["DOC101"]  # too good a loss


def test_gini_is_compared_as_auc():
    out = run(index_card(("gini", 0.46)), {"performance.metrics": performance()})  # AUC 0.73
    (row,) = [r for r in out.details["claims"] if r["kind"] == "metric"]
    assert row["verdict"] == "consistent" and row["metric"] == "roc_auc"


def test_no_interval_uses_the_tolerance():
    perf = performance(accuracy=(0.7151, None, None))
    assert run(index_card(("accuracy", 0.73)), {"performance.metrics": perf}).findings == ()
    out = run(
        index_card(("accuracy", 0.73)),
        {"performance.metrics": perf},
        ConsistencyParams(tolerance_without_interval=0.001),
    )
    assert [f.code for f in out.findings] == ["DOC101"]
    assert "no interval" in out.findings[0].message


def test_unmeasured_metric_is_unverified():
    out = run(index_card(("precision", 0.66)), {"performance.metrics": performance()})
    (finding,) = by_code(out, "DOC103")
    assert finding.severity is Severity.LOW and "precision" in finding.message
    assert metric(out, "claims.unverified") == 1


def test_claims_without_performance_results_are_insufficient_evidence():
    out = run(index_card(("accuracy", 0.72)))
    assert out.status == "insufficient_evidence" and "performance.metrics" in out.reason


@pytest.mark.parametrize("status", [Status.ERROR, Status.NOT_APPLICABLE])
def test_claims_when_performance_metrics_measured_nothing_are_insufficient_evidence(status):
    # a model whose predict() raised: performance.metrics ends in error with no metric, and
    # nothing the card claims could be compared: that is no evidence, never a pass
    ended = result("performance.metrics").model_copy(update={"status": status, "reason": "predict raised"})
    out = run(index_card(("accuracy", 0.72), ("auc", 0.8)), {"performance.metrics": ended})
    assert metric(out, "claims.verified") == 0 and metric(out, "claims.unverified") == 2
    assert out.status == "insufficient_evidence"
    assert out.reason is not None and f"ended {status.value}" in out.reason


def test_claims_of_metrics_never_measured_still_judge_by_their_bounds():
    # performance.metrics ran and measured: an unmeasured claim (precision) is a DOC103 note,
    # not a reason to withhold the verdict
    out = run(index_card(("precision", 0.66)), {"performance.metrics": performance()})
    assert out.status is None


def test_a_card_without_claims():
    out = run("# Card\n\nWe evaluated by sex and age_group.\n", {"performance.metrics": performance()})
    assert [f.code for f in out.findings] == ["DOC104"]
    assert out.status is None


def _fairness_table() -> CheckResult:
    rows = tuple(
        GroupRow(
            group=(g,),
            count=n,
            measures=(Measured(measure="accuracy", value=v, low=v - 0.02, high=v + 0.02),),
        )
        for g, v, n in (("female", 0.70, 900), ("male", 0.73, 1100))
    )
    return result("bias.group_fairness", views=(GroupTable(sensitive_set=("sex",), rows=rows, level=0.95),))


GROUP_CARD = (
    "# Card\n\n| Group | Accuracy |\n|---|---|\n| sex=female | 0.78 |\n| male | 0.72 |\n\nAlso tested by age_group.\n"
)


def test_group_claims_are_compared_with_bias_group_tables():
    out = run(GROUP_CARD, {"performance.metrics": performance(), "bias.group_fairness": _fairness_table()})
    rows = {r["what"]: r for r in out.details["claims"] if r["kind"] == "metric"}
    assert rows["Accuracy for sex=female"]["verdict"] == "optimistic"
    assert rows["Accuracy for sex=female"]["low"] == pytest.approx(0.68)
    assert rows["Accuracy for group=male"]["verdict"] == "consistent"  # feature found from the data
    (finding,) = by_code(out, "DOC101")
    assert "bias.group_fairness" in finding.message and "0.78" in finding.message


def _recall_for_female() -> CheckResult:
    dims = Dimensions(criterion="tpr", sensitive_set=("sex",), group=("female",))
    return result("bias.some_check", keyed=(Metric(dims=dims, value=0.6, ci=Interval(low=0.55, high=0.65), n=900),))


RECALL_CARD = "# Card\n\n| Group | Recall |\n|---|---|\n| sex=female | 0.61 |\n\nBy age_group too.\n"


def test_group_claims_are_compared_with_bias_metrics():
    out = run(RECALL_CARD, {"performance.metrics": performance(), "bias.some_check": _recall_for_female()})
    (row,) = [r for r in out.details["claims"] if r["kind"] == "metric"]
    assert row["verdict"] == "consistent" and row["measured_by"] == "bias.some_check"


def test_a_metric_named_like_a_group_claim_but_without_the_group_key_is_not_matched():
    """The old lookup split names on '/' and '.': 'tpr/sex/female' given as a bare name (no
    dimensions) matched. Only a metric keyed by the group does now."""
    bare = result("bias.some_check", {"tpr/sex/female": (0.6, 0.55, 0.65)})
    out = run(RECALL_CARD, {"performance.metrics": performance(), "bias.some_check": bare})
    (row,) = [r for r in out.details["claims"] if r["kind"] == "metric"]
    assert row["verdict"] == "unverified"


def _claim_rows(out):
    return sorted(
        (r["what"], r["verdict"], r.get("measured"), r.get("low"), r.get("high"))
        for r in out.details["claims"]
        if r["kind"] == "metric"
    )


@pytest.mark.parametrize(
    "presentation",
    [
        pytest.param(tuple(reversed(dimensions.NAME_ORDER)), id="segments-reversed"),
        pytest.param(
            (
                "group",
                "criterion",
                "sensitive_set",
                *(f for f in dimensions.NAME_ORDER if f not in ("group", "criterion", "sensitive_set")),
            ),
            id="group-first",
        ),
    ],
)
def test_renaming_the_presentation_of_metric_names_does_not_change_claim_matching(monkeypatch, presentation):
    """Claims are matched by key: derive every name in another segment order (the names
    change) and the verdicts and numbers stay the same."""
    results = {
        "performance.metrics": performance(),
        "bias.group_fairness": _fairness_table(),
        "bias.some_check": _recall_for_female(),
    }
    card = GROUP_CARD + RECALL_CARD.removeprefix("# Card")
    before = run(card, results)
    old_name = results["bias.some_check"].metrics[0].name
    monkeypatch.setattr(dimensions, "NAME_ORDER", presentation)
    renamed = {
        "performance.metrics": performance(),
        "bias.group_fairness": _fairness_table(),
        "bias.some_check": _recall_for_female(),
    }
    assert renamed["bias.some_check"].metrics[0].name != old_name
    after = run(card, renamed)
    assert _claim_rows(after) == _claim_rows(before)
    assert [r[1] for r in _claim_rows(before)].count("unverified") == 0


def test_consistency_does_not_parse_metric_names():
    source = inspect.getsource(consistency)
    for parsing in ('.split("/")', 'replace(".", "/")', "m.name", ".details"):
        assert parsing not in source.replace("perf.details", ""), parsing


# -- groups, threshold, versions, population ------------------------------------------------------
def test_declared_groups_against_tested_sensitive_features():
    card = index_card(("accuracy", 0.72), extra="sensitive_features: [sex, ethnicity]\n")
    card = card.replace("Evaluated by sex and age_group.", "Evaluated by sex.")
    out = run(card, {"performance.metrics": performance()})
    (declared,) = by_code(out, "DOC105")
    assert "'ethnicity'" in declared.message
    (undeclared,) = by_code(out, "DOC106")
    assert "'age_group'" in undeclared.message
    assert metric(out, "groups.declared_not_tested") == 1 and metric(out, "groups.tested_not_declared") == 1


@pytest.mark.parametrize(
    ("text", "used", "code"),
    [
        ("We flag at a decision threshold of 0.35.", 0.35, None),
        ("We flag at a decision threshold of 0.35.", 0.5, "DOC107"),
        ("The classification threshold\nis 0.35 on the probability.", None, "DOC108"),
    ],
)
def test_declared_threshold(text, used, code):
    card = index_card(("accuracy", 0.72)) + "\n" + text + "\n"
    out = run(card, {"performance.metrics": performance(threshold=used)})
    assert [f.code for f in out.findings] == ([code] if code else [])
    (row,) = [r for r in out.details["claims"] if r["kind"] == "threshold"]
    assert row["declared"] == 0.35


def test_declared_versions_against_artifact_metadata():
    card = index_card(("accuracy", 0.72), extra="libraries: {numpy: '1.26'}\n") + (
        "\nBuilt with scikit-learn 1.4.2 and pandas==2.2.1.\n"
    )
    out = run(card, {"performance.metrics": performance()}, metadata={"sklearn_version": "1.5.2", "numpy": "1.26.4"})
    (finding,) = by_code(out, "DOC109")
    assert "scikit-learn 1.4.2" in finding.message and "1.5.2" in finding.message
    verdicts = {r["what"]: r["verdict"] for r in out.details["claims"] if r["kind"] == "version"}
    assert verdicts == {"numpy": "consistent", "scikit-learn": "different", "pandas": "unverified"}


def test_versions_from_a_front_matter_list():
    parsed = parse_markdown(
        '---\nlibraries: [numpy==1.26, "pandas 2.2", unversioned]\n---\n# C\n', role="card", path="c.md"
    )
    assert [(lib, ver) for lib, ver, _ in extract_claims(parsed).versions] == [("numpy", "1.26"), ("pandas", "2.2")]


def test_declared_population_against_group_shares():
    card = index_card(
        ("accuracy", 0.72), extra="population:\n  sex: {female: 0.46, male: 0.54}\n  age_group: {61+: 0.25}\n"
    )
    out = run(card, {"performance.metrics": performance()})
    (finding,) = by_code(out, "DOC110")
    assert "age_group=61+" in finding.message and "25.0%" in finding.message
    assert metric(out, "population.max_abs_gap") == pytest.approx(0.25 - 0.0905, abs=0.02)


# -- the demo card ----------------------------------------------------------------------------------
def test_demo_card():
    out = run("demo_credit_card.md", {"performance.metrics": performance()})
    assert sorted({f.code for f in out.findings}) == ["DOC101", "DOC103", "DOC106", "DOC108"]
    # ROC AUC 0.78 is written in model-index and in the table: one claim, one finding naming both
    (high,) = by_code(out, "DOC101")
    where = "demo_credit_card.md: front matter model-index[0].results[0].metrics[1]"
    assert f"ROC AUC = 0.78 ({where}; also demo_credit_card.md: line 155 (table at line 152))" in high.message
    assert "age_group" in by_code(out, "DOC106")[0].message
    assert metric(out, "claims.consistent") == 1  # accuracy 0.72, also written twice
