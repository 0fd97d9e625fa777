import numpy as np
import pandas as pd
import pytest
from robustness_fakes import adapter_of, text_frame, text_model

from tef_harness.checks.robustness.text import PERTURBATIONS, TextInvariance, name_swap, punctuation, typo, whitespace
from tef_harness.sdk.errors import ConfigError
from tef_harness.testing import assert_check_contract, make_context

CHECK = TextInvariance


@pytest.fixture(scope="module")
def ctx():
    train = text_frame(600, seed=0)
    return make_context(text_frame(300, seed=1), estimator=text_model(train), sensitive=())


def test_contract_on_a_tfidf_classifier(ctx):
    out = assert_check_contract(CHECK, ctx)
    assert out is not None and out.details["column"] == "text"
    assert {m.name for m in out.metrics} == {f"flip_rate/{p}" for p in PERTURBATIONS}


def test_name_swaps_and_case_flip_a_model_with_spurious_cues(ctx):
    out = CHECK().run(ctx, CHECK.Params())
    m = {x.name: x for x in out.metrics}
    assert m["flip_rate/name_swap"].value > 0.05  # names were a shortcut in training
    assert m["flip_rate/uppercase"].value > 0.05  # case-sensitive vocabulary
    assert m["flip_rate/whitespace"].value == 0.0  # tokenisation ignores spacing
    assert m["flip_rate/name_swap"].ci.low > 0


def test_flip_rates_equal_a_naive_row_by_row_recomputation(ctx):
    out = CHECK().run(ctx, CHECK.Params())
    m = {x.name: x for x in out.metrics}
    est = adapter_of(ctx).estimator
    texts = list(ctx.X["text"])
    from tef_harness.checks.robustness.text import _PERTURB

    clean = est.predict(pd.DataFrame({"text": texts}))
    for name in PERTURBATIONS:
        rng = ctx.rng(f"{CHECK.id}/{name}")
        edited = [_PERTURB[name](t, rng) for t in texts]
        pred = est.predict(pd.DataFrame({"text": edited}))
        flips = changed = 0
        for r, (t, new) in enumerate(zip(texts, edited, strict=True)):
            if new != t:
                changed += 1
                flips += pred[r] != clean[r]
        assert m[f"flip_rate/{name}"].value == pytest.approx(flips / changed)
        assert m[f"flip_rate/{name}"].n == changed


def test_examples_are_row_positions_not_texts(ctx):
    out = CHECK().run(ctx, CHECK.Params(max_examples=3))
    ex = out.details["perturbations"]["name_swap"]["examples"]
    assert 0 < len(ex) <= 3 and all(isinstance(i, int) for i in ex)


def test_tabular_model_is_not_applicable():
    assert CHECK().bind(make_context(), CHECK.Params()) == "no model input is a free-text column"


def test_unknown_column_is_a_config_error(ctx):
    with pytest.raises(ConfigError) as err:
        CHECK().bind(ctx, CHECK.Params(column="body"))
    assert err.value.field == "column"


@pytest.mark.parametrize("seed", range(20))
def test_perturbations_preserve_content(seed):
    rng = np.random.default_rng(seed)
    text = "Maria said the service was great, really. Thanks!"
    t = typo(text, rng)
    assert sorted(t) == sorted(text) and len(t) == len(text)
    assert whitespace(text, rng).split() == text.split()
    assert punctuation(text, rng).replace(",", "") == text.replace(",", "").replace(".", "").replace("!", "")
    swapped = name_swap(text, rng)
    assert swapped != text and swapped.endswith(" said the service was great, really. Thanks!")
