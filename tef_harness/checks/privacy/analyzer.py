"""The presidio analyzer the privacy checks use: offline, no downloaded model by default.

Default NLP engine: spaCy's blank English tokenizer plus one tiny component that sets each
token's lemma to its lower case, so presidio's context enhancer can match context words
("phone", "iban") around a hit. No NER model is loaded unless the user names an installed
spaCy package; then its PERSON/LOCATION/... entities are covered too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import SpacyNlpEngine

from tef_harness.api import ConfigError
from tef_harness.checks.privacy.recognizers import (
    PRESIDIO_LEFT_OFF,
    presidio_country,
    presidio_offline_recognizers,
    project_recognizers,
)
from tef_harness.checks.privacy.regions import DEFAULT_REGIONS

LANGUAGE = "en"
_LEMMA_COMPONENT = "tef_lower_lemma"

#: recognizers a registry was built without, and why (keyed by the registry's id)
_LEFT_OFF: dict[int, dict[str, str]] = {}

#: entity types presidio can only find with an NER model
NER_ONLY_ENTITIES: tuple[str, ...] = ("PERSON", "LOCATION", "NRP", "ORGANIZATION")


def _register_lemma_component() -> None:
    from spacy.language import Language

    if Language.has_factory(_LEMMA_COMPONENT):
        return

    @Language.component(_LEMMA_COMPONENT)
    def lower_lemma(doc: Any) -> Any:
        for token in doc:
            token.lemma_ = token.lower_
        return doc


class OfflineSpacyNlpEngine(SpacyNlpEngine):
    """presidio's spaCy engine without the model download: a blank tokenizer with
    lower-case lemmas, or an already-installed model named by the user."""

    def __init__(self, model: str | None = None) -> None:
        super().__init__(models=[{"lang_code": LANGUAGE, "model_name": model or "blank:en"}])
        self.model = model
        #: every lemma is its token's lower case, so each context keyword presidio derives
        #: from the tokens is a substring of the lower-cased text (the fast path relies on it)
        self.lemmas_are_lowercase = model is None

    def load(self) -> None:
        import spacy

        if self.model is None:
            _register_lemma_component()
            nlp = spacy.blank(LANGUAGE)
            nlp.add_pipe(_LEMMA_COMPONENT)
        else:
            if not spacy.util.is_package(self.model):  # bind refused it already; never download
                raise LookupError(f"spaCy model {self.model!r} is not installed")
            nlp = spacy.load(self.model)
        self.nlp = {LANGUAGE: nlp}  # type: ignore[assignment]


def require_spacy_model(model: str | None) -> None:
    """For ``bind``: a named spaCy model must be an installed package (ConfigError on the
    check's ``spacy_model``), because the harness never downloads one."""
    if model is None:
        return
    import spacy

    if not spacy.util.is_package(model):
        raise ConfigError(
            f"spaCy model {model!r} is not installed; the harness never downloads models", field="spacy_model"
        )


@dataclass(frozen=True)
class Coverage:
    """Which entity types a scan could detect, and which it could not (and why); which
    presidio recognizers were left off, and why."""

    covered: tuple[str, ...]
    not_covered: dict[str, str]
    recognizers_left_off: dict[str, str] = field(default_factory=dict)

    def as_details(self) -> dict[str, Any]:
        return {
            "entities_covered": list(self.covered),
            "entities_not_covered": dict(self.not_covered),
            "recognizers_left_off": dict(self.recognizers_left_off),
        }


def _ensure_offline_tldextract() -> None:
    """If something imported tldextract before our variables were set, its default
    extractor would still fetch the suffix list: swap in one that only uses the snapshot."""
    import os

    import tldextract.tldextract as tld

    if tld.TLD_EXTRACTOR.suffix_list_urls:
        tld.TLD_EXTRACTOR = tld.TLDExtract(
            suffix_list_urls=(), cache_dir=os.environ.get("TLDEXTRACT_CACHE"), fallback_to_snapshot=True
        )


def build_analyzer(
    spacy_model: str | None = None,
    *,
    extra_recognizers: bool = True,
    regions: tuple[str, ...] = DEFAULT_REGIONS,
) -> AnalyzerEngine:
    """presidio's predefined English recognizers, plus (by default) every other offline
    presidio recognizer for a country in ``regions`` and the project's own, on the offline
    NLP engine. ``extra_recognizers=False`` gives presidio's defaults alone, for comparison."""
    _ensure_offline_tldextract()
    nlp_engine = OfflineSpacyNlpEngine(spacy_model)
    nlp_engine.load()
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    registry.load_predefined_recognizers(languages=[LANGUAGE], nlp_engine=nlp_engine)
    if spacy_model is None:
        # Without an NER model the spaCy recognizer would claim PERSON/LOCATION and never find them.
        for rec in list(registry.recognizers):
            if type(rec).__name__ == "SpacyRecognizer":
                registry.remove_recognizer(str(getattr(rec, "name", "")))
    if extra_recognizers:
        # presidio's own defaults include US and UK identifiers: off when those countries
        # are not among the regions (a German NHS number is a look-alike, not an NHS number)
        for rec in list(registry.recognizers):
            country = presidio_country(getattr(type(rec), "COUNTRY_CODE", None))
            if country is not None and country not in regions:
                registry.remove_recognizer(str(getattr(rec, "name", "")))
        present = {type(r).__name__ for r in registry.recognizers}
        offline, left_off = presidio_offline_recognizers(LANGUAGE, present, regions)
        for rec in [*offline, *project_recognizers(LANGUAGE, regions)]:
            registry.add_recognizer(rec)
        _LEFT_OFF[id(registry)] = {**left_off, **PRESIDIO_LEFT_OFF}
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=[LANGUAGE])


def coverage(analyzer: AnalyzerEngine) -> Coverage:
    covered = tuple(sorted(analyzer.get_supported_entities(LANGUAGE)))
    missing = {e: "needs a spaCy NER model (set params.spacy_model)" for e in NER_ONLY_ENTITIES if e not in covered}
    if "DATE_TIME" in covered and "PERSON" not in covered:
        missing["DATE_TIME (written-out)"] = "numeric dates only without an NER model"
    return Coverage(covered=covered, not_covered=missing, recognizers_left_off=_LEFT_OFF.get(id(analyzer.registry), {}))
