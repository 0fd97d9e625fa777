"""documentation.consistency: the card's claims against what the other checks measured."""

from __future__ import annotations

import pytest
from documentation_testkit import context, performance, result

from tef_harness.checks.documentation.claims import canonical_metric, extract_claims
from tef_harness.checks.documentation.consistency import ConsistencyParams, DocumentationConsistency
from tef_harness.checks.documentation.parsing import parse_markdown
from tef_harness.sdk.results import Severity
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
        ("accuracy", 0.72, None, None),
        ("roc_auc", 0.8, None, None),
        ("accuracy", 0.73, "sex", "female"),
        ("roc_auc", 0.81, "sex", "female"),
    ]  # the training-set row is not a claim about the model
    assert claims.metrics[0].half_unit == pytest.approx(0.0005)  # "72.5" stands for [72.45, 72.55]%
    assert claims.metrics[0].source == "card.md: front matter model-index[0].results[0].metrics[0]"
    assert [(s.feature, s.group, s.share) for s in claims.population] == [("sex", "female", 0.45)]
    assert claims.groups == (("sex", claims.metrics[6].source),)


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
        (0.69, "pessimistic", "DOC102", Severity.MEDIUM),
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


def test_a_card_without_claims():
    out = run("# Card\n\nWe evaluated by sex and age_group.\n", {"performance.metrics": performance()})
    assert [f.code for f in out.findings] == ["DOC104"]
    assert out.status is None


def test_group_claims_are_compared_with_bias_details():
    fairness = result(
        "bias.group_fairness",
        details={
            "sets": {
                "sex": {
                    "groups": [
                        {
                            "group": "female",
                            "values": {"sex": "female"},
                            "accuracy": 0.70,
                            "accuracy_ci": [0.68, 0.72],
                            "count": 900,
                        },
                        {
                            "group": "male",
                            "values": {"sex": "male"},
                            "accuracy": 0.73,
                            "accuracy_ci": [0.71, 0.75],
                            "count": 1100,
                        },
                    ]
                }
            }
        },
    )
    card = (
        "# Card\n\n| Group | Accuracy |\n|---|---|\n| sex=female | 0.78 |\n| male | 0.72 |\n\n"
        "Also tested by age_group.\n"
    )
    out = run(card, {"performance.metrics": performance(), "bias.group_fairness": fairness})
    rows = {r["what"]: r for r in out.details["claims"] if r["kind"] == "metric"}
    assert rows["Accuracy for sex=female"]["verdict"] == "optimistic"
    assert rows["Accuracy for group=male"]["verdict"] == "consistent"  # feature found from the data
    (finding,) = by_code(out, "DOC101")
    assert "bias.group_fairness" in finding.message and "0.78" in finding.message


def test_group_claims_are_compared_with_bias_metrics():
    per_group = result("bias.some_check", {"tpr/sex/female": (0.6, 0.55, 0.65)})
    card = "# Card\n\n| Group | Recall |\n|---|---|\n| sex=female | 0.61 |\n\nBy age_group too.\n"
    out = run(card, {"performance.metrics": performance(), "bias.some_check": per_group})
    (row,) = [r for r in out.details["claims"] if r["kind"] == "metric"]
    assert row["verdict"] == "consistent" and row["measured_by"] == "bias.some_check"


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
    high = by_code(out, "DOC101")
    assert len(high) == 2 and all("ROC AUC = 0.78" in f.message for f in high)  # model-index and table
    assert "age_group" in by_code(out, "DOC106")[0].message
    assert metric(out, "claims.consistent") == 2
