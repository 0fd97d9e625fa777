"""Factories shared by the documentation tests: contexts holding documents read from the
``cards/`` folder (or given inline), and fake results of the checks consistency reads."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from tef_harness.checks.documentation.states import ItemState
from tef_harness.intake.hashing import sha256_text
from tef_harness.sdk.context import RunContext
from tef_harness.sdk.data import TextDocument
from tef_harness.sdk.model import ArtifactInfo, ModelAdapter
from tef_harness.sdk.results import CheckResult, Interval, Metric, Status
from tef_harness.sdk.views import AnyView
from tef_harness.testing import make_context

CARDS = Path(__file__).parent / "cards"


def card(name: str) -> str:
    return (CARDS / name).read_text(encoding="utf-8")


def doc(role: str, name_or_text: str, path: str | None = None) -> TextDocument:
    """A document from ``cards/<name>`` when such a file exists, else the given text."""
    file = CARDS / name_or_text
    if "\n" not in name_or_text and file.is_file():
        text, where = file.read_text(encoding="utf-8"), path or str(file)
    else:
        text, where = name_or_text, path or f"<memory:{role}>.md"
    return TextDocument(role=role, path=where, sha256=sha256_text(text), text=text)


def item_states(profile: str, card_text: str) -> dict[str, tuple[str, str | None, str | None]]:
    """(state, location, note) per item of the shipped ``profile`` for a card: the name of a file
    under ``cards/`` ("kinds/generator_draft.md") or the card's Markdown itself (read as
    ``c.md``)."""
    from tef_harness.checks.documentation.assess import assess
    from tef_harness.checks.documentation.parsing import parse_document
    from tef_harness.checks.documentation.profiles import load_documentation_profile

    named = "\n" not in card_text and (CARDS / card_text).is_file()
    parsed = parse_document(doc("card", card_text, None if named else "c.md"))
    prof, _ = load_documentation_profile(profile)
    return {a.item.id: (a.state.value, a.location, a.note) for a in assess(prof, [parsed])}


def kind_states(name: str, profile: str) -> dict[str, tuple[str, str | None, str | None]]:
    """:func:`item_states` of the test card ``cards/kinds/<name>``."""
    return item_states(profile, f"kinds/{name}")


def inline_states(text: str, profile: str) -> dict[str, ItemState]:
    """The state per item of the shipped ``profile`` for the card Markdown ``text``."""
    return {item: ItemState(state) for item, (state, _, _) in item_states(profile, text).items()}


def credit_frame(n: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Shares like the demo's: 45.5% female, four age bands."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "income": rng.normal(size=n),
            "sex": rng.choice(["female", "male"], n, p=[0.455, 0.545]),
            "age_group": rng.choice(["18-25", "26-40", "41-60", "61+"], n, p=[0.111, 0.413, 0.383, 0.093]),
            "default": rng.integers(0, 2, n),
        }
    )


class MetadataModel(ModelAdapter):
    """A model that only carries artifact metadata (library versions)."""

    def __init__(self, metadata: Mapping[str, str]):
        self.info = ArtifactInfo(
            adapter="fake", path="<fake>", sha256="0" * 64, description="fake", metadata=dict(metadata)
        )

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return np.zeros(len(X), dtype=int)


def context(
    documents: Mapping[str, str | TextDocument],
    *,
    results: Mapping[str, CheckResult] | None = None,
    frame: pd.DataFrame | None = None,
    sensitive: tuple[str, ...] = ("sex", "age_group"),
    metadata: Mapping[str, str] | None = None,
) -> RunContext:
    frame = credit_frame() if frame is None else frame
    ctx = make_context(
        frame,
        target="default",
        sensitive=sensitive,
        fit=False,
        model=MetadataModel(metadata) if metadata is not None else None,
    )
    docs = {role: d if isinstance(d, TextDocument) else doc(role, d) for role, d in documents.items()}
    ctx = dataclasses.replace(ctx, documents=docs)
    return ctx.with_results(results) if results else ctx


def result(
    check_id: str,
    metrics: Mapping[str, tuple[float, float | None, float | None]] | None = None,
    *,
    details: dict[str, object] | None = None,
    n: int = 2000,
    higher: Mapping[str, bool] | None = None,
    keyed: tuple[Metric, ...] = (),
    views: tuple[AnyView, ...] = (),
) -> CheckResult:
    """A finished check's result; ``metrics`` maps name -> (value, ci low, ci high);
    ``keyed``: metrics built with dimensions; ``views``: its typed views."""
    higher = higher or {}
    ms = tuple(
        Metric(
            name=name,
            value=value,
            ci=Interval(low=low, high=high) if low is not None and high is not None else None,
            n=n,
            greater_is_better=higher.get(name, name not in ("log_loss", "brier", "ece")),
        )
        for name, (value, low, high) in (metrics or {}).items()
    )
    return CheckResult(
        check_id=check_id,
        family=check_id.split(".")[0],
        title=check_id,
        check_version="1",
        distribution="tef-harness",
        distribution_version="0",
        status=Status.PASSED,
        metrics=(*ms, *keyed),
        views=views,
        details=details or {},  # type: ignore[arg-type]
    )


def performance(
    accuracy: tuple[float, float | None, float | None] = (0.7151, 0.7055, 0.7248),
    roc_auc: tuple[float, float | None, float | None] = (0.7319, 0.7206, 0.7418),
    threshold: float | None = None,
) -> CheckResult:
    return result(
        "performance.metrics",
        {"accuracy": accuracy, "roc_auc": roc_auc, "log_loss": (0.5668, 0.5548, 0.5816)},
        details={"task": "binary", "decision_threshold": threshold, "pos_label": "1"},
    )
