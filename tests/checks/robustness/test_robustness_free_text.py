"""Free-text columns are text, not categories: robustness.perturbation leaves them alone
(robustness.text_invariance edits them) instead of swapping sentences between rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from faker import Faker

from tef_harness.api import ConfigError
from tef_harness.checks.robustness.families import INTENSITY, perturb
from tef_harness.checks.robustness.free_text import is_free_text
from tef_harness.checks.robustness.perturbation import PerturbationParams, RobustnessPerturbation
from tef_harness.checks.robustness.schema import FeatureSpec, resolve_domain
from tef_harness.testing import make_context


def _notes_frame(n: int = 240, seed: int = 0) -> pd.DataFrame:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = np.random.default_rng(seed)
    good = rng.random(n) < 0.5
    notes = [
        f"{fake.sentence(nb_words=5)} Client {'happy with the service' if g else 'complained about fees'}; "
        f"reach them at {fake.email()}."
        for g in good
    ]
    return pd.DataFrame({"notes": notes, "income": rng.normal(3000, 500, n).round(2), "y": np.where(good, 0, 1)})


def _text_model(frame: pd.DataFrame):  # type: ignore[no-untyped-def]
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    return Pipeline(
        [
            (
                "pre",
                ColumnTransformer([("t", TfidfVectorizer(), "notes"), ("n", StandardScaler(), ["income"])]),
            ),
            ("clf", LogisticRegression(max_iter=1000)),
        ]
    ).fit(frame[["notes", "income"]], frame["y"])


@pytest.fixture(scope="module")
def text_ctx():  # type: ignore[no-untyped-def]
    frame = _notes_frame()
    return make_context(frame, estimator=_text_model(frame), sensitive=(), features=("notes", "income"))


def test_sentences_are_free_text_and_categories_are_not() -> None:
    frame = _notes_frame()
    assert is_free_text(frame["notes"])
    assert not is_free_text(pd.Series(["self employed part time", "salaried full time"] * 50))
    assert not is_free_text(pd.Series(["jane@example.org", "joe@example.org", "x@example.org"] * 40))
    assert not is_free_text(frame["income"])


def test_swapping_sentences_was_the_flip_rate(text_ctx) -> None:  # type: ignore[no-untyped-def]
    """What the old domain did (notes as a categorical with every sentence a level): the flip
    rate measured sentence swaps, far above what any tabular perturbation does to the model."""
    X = text_ctx.X.reset_index(drop=True)
    domain = resolve_domain(X, {"notes": FeatureSpec(text=False)}, field="s")
    assert domain["notes"].kind == "categorical"
    clean = text_ctx.model.predict(X)
    pert, changed = perturb(X, domain, "category_swap", INTENSITY["category_swap"][4], np.random.default_rng(0))
    flips = float(np.mean(text_ctx.model.predict(pert)[changed] != clean[changed]))
    assert flips > 0.3  # a sentence from another row carries that row's label words


def test_perturbation_leaves_free_text_alone(text_ctx) -> None:  # type: ignore[no-untyped-def]
    out = RobustnessPerturbation().run(text_ctx, PerturbationParams())
    schema = out.details["schema"]
    assert schema["notes"] == {"kind": "text", "immutable": False, "source": "inferred"}
    curves = out.details["curves"]
    assert {p["status"] for p in curves["category_swap"]} == {"not_applicable"}
    assert [f.code for f in out.findings if f.code == "ROB005"] == ["ROB005"]
    # numeric noise on income alone barely moves a text classifier
    flips = [m.value for m in out.metrics if m.name.startswith("flip_rate/gaussian_noise/")]
    assert flips and max(flips) < 0.1, flips
    # no sentence (nor its e-mail address) is in the result
    notes = text_ctx.X["notes"].tolist()
    dumped = out.model_dump_json()
    assert not [t for t in notes if t in dumped]


def test_declared_text_and_bad_declarations() -> None:
    frame = _notes_frame(60)
    domain = resolve_domain(frame, {"income": FeatureSpec(immutable=True)}, field="s")
    assert domain["notes"].kind == "text"
    short = pd.DataFrame({"code": ["a b", "c d", "e f"] * 20})
    assert resolve_domain(short, {"code": FeatureSpec(text=True)}, field="s")["code"].kind == "text"
    with pytest.raises(ConfigError, match="numeric column cannot be free text"):
        resolve_domain(frame, {"income": FeatureSpec(text=True)}, field="s")
    with pytest.raises(ValueError, match="free-text feature has no levels"):
        FeatureSpec(text=True, levels=("a",))
    # an unchanged text column is a valid perturbation; a changed one is not
    d = resolve_domain(frame, {}, field="s")
    assert d.violations(frame, frame) == []
    edited = frame.assign(notes=frame["notes"].str.upper())
    assert d.violations(edited, frame) == ["notes: immutable feature changed"]
