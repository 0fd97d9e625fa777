"""The fast scan path: presidio's own recognizers and post-processing, called only where
they can matter, so the output equals ``AnalyzerEngine.analyze()`` (entity type, span,
score) at a fraction of the cost.

Where the time goes in ``analyze()``: every recognizer runs on every text, the NLP
tokenizer runs on every text, and the bookkeeping around them is Python. The levers here
keep results identical:

1. duplicate values are analysed once;
2. a recognizer runs on a text only when its probe finds something there. For a regex
   recognizer the probe is its own patterns, compiled with its own flags by the same
   ``regex`` engine, run as one C-level ``search`` each: a recognizer whose patterns match
   nowhere returns nothing, by construction, so skipping it cannot change the output.
   presidio's phone recognizer only looks at the candidates of ``phonenumbers``' own
   ``_PATTERN`` (its matcher iterates ``_PATTERN.search``), so that is its probe.
   In front of each probe sits a character class every match must contain (``probes``);
   where that class holds only digits, as for most identifiers, one digit search per text
   rules out all those recognizers at once. Recognizers we cannot probe this way (NER,
   custom code) always run;
3. the tokenizer runs only when some recognizer returned a raw result: context
   enhancement, score thresholds and de-duplication act on results alone, so with no raw
   results ``analyze()`` returns ``[]`` regardless of the tokens;
4. presidio's phone recognizer parses every match a second time only to name its region
   in the explanation, which ``analyze()`` then drops; the fast path runs the same
   ``PhoneNumberMatcher`` loop and builds the same results without that parse;
5. presidio's context enhancer deep-copies every result with its explanation, which
   ``analyze()`` then drops: the fast path swaps in an explanation that copies for free;
6. presidio's context enhancer can only raise a score, capped at 1.0, so when every raw
   result already scores 1.0 (validated cards, IBANs, e-mails) neither the tokenizer nor
   the enhancer can change anything and both are skipped;
7. the tokenizer is also skipped when the tokens cannot decide any score (see
   ``_context_decision``): a result is raised when one of its recognizer's context words is
   in the caller's context (the column name), whatever the tokens; and with the offline
   engine, whose lemmas are lower-cased tokens, a context word that is not in the
   lower-cased text cannot be in any token either;
8. unique texts are split in batches over the run's workers (``ctx.map``), when it has more
   than one.

The post-processing is presidio's own code (context enhancer, score thresholds,
``remove_duplicates``) applied to the recognizers that ran; the equality with
``analyze()`` is tested on generated records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import regex  # type: ignore[import-untyped]
from presidio_analyzer import (
    AnalysisExplanation,
    AnalyzerEngine,
    EntityRecognizer,
    PatternRecognizer,
    RecognizerResult,
)
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import IbanRecognizer, PhoneRecognizer

from tef_harness.checks.privacy.probes import DIGIT, class_gate, necessary_class, only_digits


class Detection(NamedTuple):
    """One detected entity, as ``analyze()`` reports it (without the explanation)."""

    entity_type: str
    start: int
    end: int
    score: float


#: the run's workers' ``map`` (``ctx.map``), as the scan uses it: batches in, detections out
Mapper = Callable[
    [Callable[[list[str]], list[tuple[Detection, ...]]], Sequence[list[str]]], list[list[tuple[Detection, ...]]]
]


class _DroppedExplanation:
    """Stands in for ``AnalysisExplanation`` during context enhancement: the enhancer only
    writes to it, ``analyze()`` discards it, and copying it costs nothing."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _DroppedExplanation:
        return self

    def set_improved_score(self, score: float) -> None:
        pass

    def set_supportive_context_word(self, word: str) -> None:
        pass


_DROPPED = _DroppedExplanation()

_MAX = EntityRecognizer.MAX_SCORE
_ID_KEY = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
_ENHANCED_KEY = RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY

# What the tokens can change about the raw results of one text (see ``_context_decision``)
_NOTHING, _CALLER_CONTEXT_ONLY, _TOKENS = 0, 1, 2


class _Gated:
    """Search the patterns only when the gate class occurs in the text."""

    def __init__(self, gate: Any, patterns: tuple[Any, ...]) -> None:
        self.gate, self.patterns = gate, patterns

    def search(self, text: str) -> bool:
        return self.gate.search(text) is not None and any(p.search(text) for p in self.patterns)


Probe = tuple[Any, ...]  # compiled patterns with a ``search`` method


def _regex_driven(rec: EntityRecognizer) -> bool:
    """Recognizers whose results come only from matches of ``rec.patterns`` (compiled
    with ``rec.global_regex_flags``) and which ignore the NLP artifacts."""
    if isinstance(rec, IbanRecognizer):
        return type(rec).analyze is IbanRecognizer.analyze
    if isinstance(rec, PatternRecognizer) and getattr(type(rec), "RESULTS_ONLY_FROM_PATTERNS", False):
        return True  # a project recognizer that filters its pattern matches (declared on the class)
    return isinstance(rec, PatternRecognizer) and type(rec).analyze is PatternRecognizer.analyze


def _text_only(rec: EntityRecognizer) -> bool:
    """Recognizers that may run before the tokenizer does."""
    return _regex_driven(rec) or (isinstance(rec, PhoneRecognizer) and type(rec).analyze is PhoneRecognizer.analyze)


def _is_presidio_phone(rec: EntityRecognizer) -> bool:
    return type(rec) is PhoneRecognizer


def _phone_results(rec: Any, text: str) -> list[RecognizerResult]:
    """``PhoneRecognizer.analyze`` without the explanation-only region lookup."""
    import phonenumbers

    results: list[RecognizerResult] = []
    for region in rec.supported_regions:
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=rec.leniency):
            results.append(
                RecognizerResult(
                    entity_type=rec.supported_entities[0],
                    start=match.start,
                    end=match.end,
                    score=rec.SCORE,
                    analysis_explanation=AnalysisExplanation(
                        recognizer=rec.__class__.__name__,
                        original_score=rec.SCORE,
                        textual_explanation="Recognized as phone number, using PhoneRecognizer",
                    ),
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: rec.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: rec.id,
                    },
                )
            )
    return list(EntityRecognizer.remove_duplicates(results))


def recognizer_probe(rec: EntityRecognizer) -> Probe | None:
    """Compiled searches that must find something for ``rec`` to return a result, or
    None when the recognizer must always run."""
    if _regex_driven(rec):
        pat: Any = rec
        compiled = tuple(regex.compile(p.regex, pat.global_regex_flags) for p in pat.patterns)
        gate = class_gate([p.regex for p in pat.patterns], pat.global_regex_flags)
        return compiled if gate is None else (_Gated(gate, compiled),)
    if isinstance(rec, PhoneRecognizer) and type(rec).analyze is PhoneRecognizer.analyze:
        from phonenumbers import phonenumbermatcher

        pattern = getattr(phonenumbermatcher, "_PATTERN", None)
        if not isinstance(pattern, re.Pattern):
            return None
        cls = necessary_class(pattern.pattern, stdlib=True)
        return (pattern,) if cls is None else (_Gated(re.compile(f"[{cls}]", pattern.flags), (pattern,)),)
    return None


def _digit_gated(probe: Probe) -> bool:
    """Every pattern of the probe sits behind a gate that only digits pass."""
    return all(isinstance(p, _Gated) and only_digits(p.gate) for p in probe)


class FastScanner:
    """Drop-in for ``analyzer.analyze(text, language)`` over many texts."""

    def __init__(self, analyzer: AnalyzerEngine, language: str = "en") -> None:
        self.analyzer = analyzer
        self.language = language
        self.recognizers: list[EntityRecognizer] = analyzer.registry.get_recognizers(
            language=language, all_fields=True
        )
        for rec in self.recognizers:
            if not rec.is_loaded:
                rec.load()
                rec.is_loaded = True
        self.entities: list[str] = analyzer.get_supported_entities(language=language)
        self._always: list[int] = []
        self._probes: list[tuple[Probe, int]] = []
        self._digit_probes: list[tuple[Probe, int]] = []  # skipped at once in a text without digits
        for i, rec in enumerate(self.recognizers):
            probe = recognizer_probe(rec)
            if probe is None:
                self._always.append(i)
            elif _digit_gated(probe):
                self._digit_probes.append((probe, i))
            else:
                self._probes.append((probe, i))
        self._needs_nlp_first = any(not _text_only(r) for r in self.recognizers)
        enhancer = analyzer.context_aware_enhancer
        self._enhancer_only_raises = (
            type(enhancer) is LemmaContextAwareEnhancer
            and type(enhancer).enhance_using_context is LemmaContextAwareEnhancer.enhance_using_context
            and enhancer.context_similarity_factor >= 0
            and all(
                type(r).enhance_using_context is EntityRecognizer.enhance_using_context for r in self.recognizers
            )
        )
        self._by_id = {r.id: r for r in self.recognizers}
        nlp_engine = analyzer.nlp_engine
        self._lemmas_lowercase = self._enhancer_only_raises and getattr(nlp_engine, "lemmas_are_lowercase", False)
        # presidio's enhancer reads an artifact without tokens as "no surrounding words"
        self._no_tokens = NlpArtifacts(
            entities=[], tokens=[], tokens_indices=[], lemmas=[], nlp_engine=nlp_engine, language=language  # type: ignore[arg-type]
        )
        # presidio's own threshold step (name-mangled private; equality with analyze() is tested)
        engine: Any = analyzer
        self._remove_low_scores = engine._AnalyzerEngine__remove_low_scores

    @property
    def probed_share(self) -> float:
        """Share of recognizers that can be skipped by a probe (the rest always run)."""
        return 1.0 - len(self._always) / max(1, len(self.recognizers))

    @property
    def digit_gated(self) -> list[str]:
        """Recognizers skipped, with one search, in every text without a digit."""
        return [str(getattr(self.recognizers[i], "name", "")) for _, i in self._digit_probes]

    def candidates(self, text: str) -> list[EntityRecognizer]:
        chosen = list(self._always)
        probes = self._probes + self._digit_probes if DIGIT.search(text) else self._probes
        for probe, i in probes:
            if any(p.search(text) for p in probe):
                chosen.append(i)
        return [self.recognizers[i] for i in sorted(chosen)]

    def analyze(
        self, text: str, context: list[str] | None = None, min_score: float = 0.0
    ) -> list[RecognizerResult]:
        """The same results as ``analyzer.analyze(text, language, context=context)``; with
        ``min_score``, the same results at or above it (the others may be left out)."""
        recs = self.candidates(text)
        if min_score > 0 and recs:
            recs = [r for r in recs if not self._cannot_reach(r, text, context, min_score)]
        if not recs:
            return []
        nlp: Any = self.analyzer.nlp_engine.process_text(text, self.language) if self._needs_nlp_first else None
        raw: list[RecognizerResult] = []
        for rec in recs:
            if _is_presidio_phone(rec):
                found = _phone_results(rec, text)
            else:
                found = rec.analyze(text=text, entities=self.entities, nlp_artifacts=nlp)
            if found:
                for r in found:
                    meta = r.recognition_metadata
                    if not meta:
                        meta = r.recognition_metadata = {}
                    meta.setdefault(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY, rec.id)
                    meta.setdefault(RecognizerResult.RECOGNIZER_NAME_KEY, str(getattr(rec, "name", "")))
                    r.analysis_explanation = _DROPPED  # type: ignore[assignment]
                raw.extend(found)
        if not raw:
            return []
        decision = self._context_decision(text, raw, context)
        if decision == _NOTHING:
            results = raw
        else:
            if nlp is None:
                nlp = (
                    self._no_tokens
                    if decision == _CALLER_CONTEXT_ONLY
                    else self.analyzer.nlp_engine.process_text(text, self.language)
                )
            results = self.analyzer._enhance_using_context(text, raw, nlp, recs, context)
        results = self._remove_low_scores(results, None, recs)
        results = EntityRecognizer.remove_duplicates(results)
        for r in results:
            r.analysis_explanation = None  # type: ignore[assignment]
        return list(results)

    def _cannot_reach(self, rec: EntityRecognizer, text: str, context: list[str] | None, min_score: float) -> bool:
        """Whether none of ``rec``'s results on ``text`` can score ``min_score`` or more.

        Only decided for presidio's phone recognizer, the most expensive one (a
        ``phonenumbers`` matcher per region): every result it returns scores ``SCORE``
        (0.4), under the usual 0.5 threshold, and only presidio's context enhancer can
        raise it, which needs one of its context words in the caller's context or (the
        offline engine's lemmas being lower-cased tokens) in the lower-cased text. A
        result left under the threshold cannot remove another in presidio's
        de-duplication either (it keeps the higher score), so leaving the recognizer out
        changes nothing at or above ``min_score``.
        """
        if not (_is_presidio_phone(rec) and self._lemmas_lowercase) or min_score <= rec.SCORE:  # type: ignore[attr-defined]
            return False
        words = rec.context
        if not words or not all(words):
            return not words  # no context words: nothing can raise it; an empty one matches anything
        enhancer: Any = self.analyzer.context_aware_enhancer
        if context and enhancer._find_supportive_word_in_context(
            [w.lower() for w in context], words, enhancer.context_matching_mode
        ):
            return False
        if "\u03a3" in text:  # see _context_decision
            return False
        lowered = text.lower()
        return not any(w.lower() in lowered for w in words)

    def _context_decision(self, text: str, raw: list[RecognizerResult], context: list[str] | None) -> int:
        """Whether presidio's context enhancement needs the tokens of ``text`` to score ``raw``.

        ``_NOTHING``: no score can change (each is 1.0 already, or has no context word in
        reach), so the enhancer is skipped. ``_CALLER_CONTEXT_ONLY``: the scores that change
        are decided by the caller's context words alone, so presidio's enhancer runs with an
        artifact without tokens, which it reads as no surrounding words. ``_TOKENS``: run
        the tokenizer, as ``analyze()`` does.
        """
        if not self._enhancer_only_raises:
            return _TOKENS
        if all(r.score == _MAX for r in raw):  # min(max(s + f, m), 1.0) == 1.0 == s
            return _NOTHING
        if not self._lemmas_lowercase:
            return _TOKENS
        enhancer: Any = self.analyzer.context_aware_enhancer
        caller = [w.lower() for w in context] if context else []
        # str.lower maps character by character, so a token's lower case is a substring of
        # the text's lower case; the one exception is the Greek capital sigma, lowered by
        # its position in the word (final or not)
        lowered = text.lower() if "\u03a3" not in text else None
        decision = _NOTHING
        for r in raw:
            if r.score == _MAX:
                continue
            rec = self._by_id.get((r.recognition_metadata or {}).get(_ID_KEY))
            if rec is None or not rec.context or r.recognition_metadata.get(_ENHANCED_KEY):
                continue  # presidio's enhancer leaves these as they are
            if not all(rec.context):
                return _TOKENS  # an empty context word matches any token
            mode = enhancer.context_matching_mode
            if caller and enhancer._find_supportive_word_in_context(caller, rec.context, mode):
                decision = _CALLER_CONTEXT_ONLY  # raised whatever the tokens say
                continue
            if lowered is not None and not any(w.lower() in lowered for w in rec.context):
                continue  # no token can hold a word the text does not hold
            return _TOKENS
        return decision

    def detect(self, text: str, context: list[str] | None = None, min_score: float = 0.0) -> tuple[Detection, ...]:
        return tuple(
            sorted(
                Detection(r.entity_type, r.start, r.end, float(r.score))
                for r in self.analyze(text, context, min_score)
            )
        )

    def scan(
        self,
        texts: Sequence[str],
        mapper: Mapper | None = None,
        chunk: int = 512,
        context: list[str] | None = None,
        min_score: float = 0.0,
    ) -> list[tuple[Detection, ...]]:
        """Detections per input text, in input order; duplicates analysed once. ``context``
        (e.g. the words of a column name) applies to every text, as in ``analyze()``.
        ``min_score``: the detections at or above it are exactly ``analyze()``'s, those under
        it may be left out (a recognizer that cannot reach it is not run).
        ``mapper`` is the run's workers' ``map`` (``ctx.map``): with it, a scan of at least
        four batches of ``chunk`` unique texts is split over them; the result is the same."""
        index: dict[str, int] = {}
        unique: list[str] = []
        for t in texts:
            if t not in index:
                index[t] = len(unique)
                unique.append(t)
        if mapper is not None and len(unique) >= 4 * chunk:
            batches = [unique[i : i + chunk] for i in range(0, len(unique), chunk)]
            parts = mapper(lambda batch: [self.detect(t, context, min_score) for t in batch], batches)
            per_unique = [d for part in parts for d in part]
        else:
            per_unique = [self.detect(t, context, min_score) for t in unique]
        return [per_unique[index[t]] for t in texts]

