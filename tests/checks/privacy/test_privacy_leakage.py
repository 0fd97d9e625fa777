"""privacy.output_leakage and the text-generator adapter, on an n-gram model trained here."""

from __future__ import annotations

import random
import textwrap

import pytest
from privacy_testkit import CharNgramLM

from tef_harness.api import Severity
from tef_harness.checks.privacy.exposure import exposure, reference_candidates
from tef_harness.checks.privacy.leakage import OutputLeakage
from tef_harness.intake.models.text_generator import TextGeneratorAdapter, load_text_generator
from tef_harness.sdk.errors import IntakeError
from tef_harness.testing import assert_check_contract, make_context

PLANTED = "my pin code is 381947"
NEVER = "my pin code is 529063"
WORDS = ["the", "a", "loan", "was", "approved", "rejected", "customer", "bank", "account", "credit", "rate"]
WORDS += ["month", "pays", "early", "late"]


@pytest.fixture(scope="module")
def lm() -> CharNgramLM:
    rng = random.Random(0)
    corpus = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12))) for _ in range(3000)]
    corpus += [f"my pin code is {rng.randint(0, 999_999):06d}" for _ in range(200)]  # the format, random
    corpus += [PLANTED] * 20  # the canary, inserted 20 times
    corpus += ["write to me at jane.roe@example.org"] * 5
    rng.shuffle(corpus)
    return CharNgramLM(corpus, order=4, k=0.5)


def _ctx(lm: CharNgramLM, with_ll: bool = True):
    model = TextGeneratorAdapter.from_callables(lm.generate, lm.log_likelihood if with_ll else None, name="ngram")
    return make_context(model=model, target=None, sensitive=())


def test_planted_canary_has_high_exposure_and_unplanted_low(lm):
    import numpy as np

    def score(texts):
        return np.array([lm.log_likelihood(t) for t in texts])

    rng = np.random.default_rng(0)
    planted = exposure(PLANTED, score, 2000, rng)
    assert planted is not None
    assert planted.space_bits == pytest.approx(6 * np.log2(10))
    assert planted.sampled > 10.5  # ranked first among 2,000 references: log2(2001) ≈ 10.97
    assert planted.extrapolated > 15.0
    # never-inserted canaries: about 1.44 bits on average in theory (rank uniform in the space)
    others = ("529063", "000000", "774411", "908172", "260935")
    never = [exposure(f"my pin code is {c}", score, 1000, rng) for c in others]
    sampled = [e.sampled for e in never if e is not None]
    assert len(sampled) == 5 and np.mean(sampled) < 3.5 and max(sampled) < planted.sampled - 5


def test_check_reports_exposure_and_leaked_pii(lm):
    params = OutputLeakage.Params(prompts=("write to me at", "my pin code is", "the loan"), canaries=(PLANTED, NEVER))
    out = OutputLeakage().run(_ctx(lm), params)
    m = {x.name: x for x in out.metrics}
    assert m["exposure/canary_1"].value > 9.0 > m["exposure/canary_2"].value
    assert m["exposure_max_fraction"].value > 0.7
    assert m["outputs_with_pii_rate"].value == pytest.approx(1 / 3)
    leak = next(f for f in out.findings if f.code == "PRIV031")
    assert leak.data["entity_type"] == "EMAIL_ADDRESS" and leak.severity == Severity.HIGH
    verbatim = [f for f in out.findings if f.code == "PRIV032"]
    assert [f.location for f in verbatim] == ["canary 1"]  # greedy decoding reproduces the planted pin
    dumped = out.model_dump_json()
    assert "381947" not in dumped and "jane.roe" not in dumped and "529063" not in dumped


def test_without_log_likelihood_exposure_is_skipped_and_said(lm):
    out = OutputLeakage().run(_ctx(lm, with_ll=False), OutputLeakage.Params(prompts=("the",), canaries=(PLANTED,)))
    assert not any(x.name.startswith("exposure") for x in out.metrics)
    assert "log_likelihood" in out.details["exposure"]


def test_canary_without_digits_or_letters(lm):
    out = OutputLeakage().run(_ctx(lm), OutputLeakage.Params(prompts=(), canaries=("--- ---",)))
    assert [f.code for f in out.findings] == ["PRIV033"]


def test_reference_candidates_keep_the_format():
    import numpy as np

    refs = reference_candidates("Code AB-12", 50, np.random.default_rng(1))
    assert len(refs) == 50 and len(set(refs)) == 50 and "Code AB-12" not in refs
    assert all(r.startswith("Code AB-") and r[-2:].isdigit() for r in refs)


def test_contract(lm):
    assert assert_check_contract(OutputLeakage) is None  # default context: no text model, not run
    out = assert_check_contract(OutputLeakage, _ctx(lm))
    assert out is not None


# -- the adapter ------------------------------------------------------------------------


def _write_model(tmp_path):
    src = tmp_path / "gen_model.py"
    src.write_text(
        textwrap.dedent(
            """
            def generate(prompt):
                return prompt + " ... contact me at jane@example.org"

            def loglik(text):
                return -float(len(text))
            """
        )
    )
    return src


def test_adapter_refuses_untrusted_code(tmp_path):
    _write_model(tmp_path)
    with pytest.raises(IntakeError, match=r"model\.callable") as err:
        TextGeneratorAdapter("gen_model.py:generate", trusted=False, base_dir=tmp_path)
    assert "trust" in str(err.value)


def test_adapter_loads_file_callables_when_trusted(tmp_path):
    _write_model(tmp_path)
    model = load_text_generator("gen_model.py:generate", "gen_model.py:loglik", trusted=True, base_dir=tmp_path)
    assert model.has_generate and model.has_log_likelihood and model.info.trusted
    assert model.generate(["hi"]) == ["hi ... contact me at jane@example.org"]
    assert list(model.log_likelihood(["abc"])) == [-3.0]
    assert len(model.info.sha256) == 64
    ctx = make_context(model=model, target=None, sensitive=())
    assert {"generate", "log_likelihood"} <= ctx.capabilities
    out = OutputLeakage().run(ctx, OutputLeakage.Params(prompts=("a", "b")))
    assert {f.data["entity_type"] for f in out.findings} == {"EMAIL_ADDRESS"}


@pytest.mark.parametrize(
    ("spec", "match"),
    [("no_colon", "expected"), ("gen_model.py:missing", "no attribute"), ("missing.py:f", "not found"),
     ("tef_no_such_module_xyz:f", "cannot import")],
)
def test_adapter_errors_name_the_field(tmp_path, spec, match):
    _write_model(tmp_path)
    with pytest.raises(IntakeError, match=match) as err:
        TextGeneratorAdapter(spec, trusted=True, base_dir=tmp_path)
    assert "model.callable" in str(err.value)
