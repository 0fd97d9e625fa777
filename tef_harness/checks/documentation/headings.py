"""Which profile items a heading names, matched the way a reader matches them.

A heading and an alias are compared as sets of normalised words: Unicode NFKC, diacritics
dropped and German ae/oe/ue read as ä/ö/ü (so "Metriques" is "Métriques" and "Einschraenkungen"
"Einschränkungen", whichever side has the accents; see ``folding``), lower case,
"&" read as "and", numbering ("7.", "2(b)", "IV.", "a)") and bracketed remarks ("[optional]")
removed, emoji and punctuation dropped, small function words of the supported languages
ignored, a plural "s" folded. An alias matches when each of its words is in the heading, either
equal or, for words of five letters or more, close enough by edit distance (rapidfuzz ratio,
e.g. "Limitation"/"Limitations", "Modeldetails"/"Modelldetails"). So "Limitations and bias"
satisfies both a "Limitations" item and a "Bias" item, and "7. Standards and Specifications
Applied" satisfies "Standards applied".

A heading that is a title followed by a sentence describing it ("Metrics. Metrics should be
chosen to reflect ...", as templates pasted from a paper read) is matched by its title alone.

Two near misses a reader joins are joined too. A parenthesised qualifier is read both with and
without its words ("Direct Usage (Sentence Transformers)" names "Direct Usage"), and a word form
the lexicon lists as another's (``word_forms``: "usage" is "use") counts as that word inside an
alias of several words. And a heading of three content words or more, all of them words of a
longer one-phrase alias and at least half of its words, names it ("Where to send comments" for
"Where to send questions or comments about the model"); shorter headings never do, so "Model
Card" names neither "Model Card Authors" nor "Model Card Contact".

A one-word alias must be a whole topic of the heading (the heading's parts joined by "and",
commas or slashes): "Limitations" is a topic of "Intended uses & limitations", but "Use" is not
a topic of "Out-of-Scope Use", nor "Results" of "Training results", nor "Monitoring" of
"Monitoring of training jobs".

The source of the fuzzy comparison: rapidfuzz ``fuzz.ratio`` (normalised Indel similarity,
0-100).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from tef_harness.checks.documentation.folding import fold_word, strip_marks
from tef_harness.checks.documentation.lexicon import FILLER_WORDS, STOPWORDS, WORD_FORMS
from tef_harness.sdk.alternation import longest_first

#: words this long or longer may match with a small spelling difference
FUZZY_MIN_LENGTH = 5
#: rapidfuzz ratio (0-100) above which two words are the same word
FUZZY_CUTOFF = 88.0

_BRACKETS = re.compile(r"\[[^\]]*\]|\((?:optional|optionnel|optional\w*|facultatif|opcional|opzionale)\)", re.I)
_NUMBERING = re.compile(
    r"^\s*(?:(?:annex|anhang|annexe|allegato|anexo|bijlage|zalacznik)\s+[ivx]+\s*[,:.\-]?\s*)?"
    r"(?:(?:\d{1,3}(?:\.\d{1,3})*|[ivx]{1,5}|[a-h])\s*(?:\(\s*[a-z0-9]{1,4}\s*\))*\s*[.):]?\s+|\(\s*[a-z0-9]{1,4}\s*\)\s*)+",
    re.I,
)
#: a parenthesised remark: "(Sentence Transformers)", "(baseline)"; the heading is also read without it
_QUALIFIER = re.compile(r"\([^()]{1,80}\)")
#: the sentence after a title ("Model Details. Basic information about the model."); a period
#: after two letters, so numbering ("1. ", "2.3 ") and "e.g." stay
_SENTENCE_TAIL = re.compile(r"(?<=[^\W\d_]{2})\.\s+\S.*$", re.S)
#: a heading this many content words long may name an alias it lacks one word of
SUBSET_MIN_WORDS = 3
_JOINERS = re.compile(r"\s*(?:,|/|;|&|\+|\band\b|\bund\b|\bet\b|\be\b|\by\b|\ben\b|\boraz\b|\bi\b)\s*", re.I)
_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")


def _fold(word: str) -> str:
    """A word's comparison key: diacritics dropped, German ae/oe/ue read as the bare vowel (see
    :func:`folding.fold_word`), a plural "s" dropped."""
    word = fold_word(word)
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


#: the lexicon's word lists keyed as headings' words are ("informations" -> "information",
#: "über" -> "uber"), so a heading typed with or without accents meets them
_STOPWORDS = frozenset(fold_word(w) for w in STOPWORDS)
_FILLERS = frozenset(_fold(w) for w in FILLER_WORDS)
_WORD_FORMS = {fold_word(k): fold_word(v) for k, v in WORD_FORMS.items()}


def _clean(text: str) -> str:
    # accents dropped first, so numbering ("Załącznik IV") and joiners match typed either way
    text = strip_marks(unicodedata.normalize("NFKC", text)).replace("\u00a0", " ")
    text = _BRACKETS.sub(" ", text)
    return _NUMBERING.sub("", text).lower()


@lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """The content words of a heading or alias, in order."""
    return tuple(_fold(w) for w in _WORD.findall(_clean(text).replace("&", " and ")) if fold_word(w) not in _STOPWORDS)


@lru_cache(maxsize=65536)
def parts(text: str) -> tuple[tuple[str, ...], ...]:
    """The topics a heading joins with "and", commas or slashes, as word tuples:
    "Intended uses & limitations" -> (("intended", "use"), ("limitation",))."""
    out = []
    for p in _JOINERS.split(_clean(text)):
        ws = tuple(_fold(w) for w in _WORD.findall(p) if fold_word(w) not in _STOPWORDS)
        if ws:
            out.append(ws)
    return tuple(out)


def is_single_phrase(text: str) -> bool:
    """True when the heading names one thing (no "and", comma, slash joining topics)."""
    return len(parts(text)) <= 1


@dataclass(frozen=True)
class Alias:
    key: str  #: the item id (or any label the caller uses)
    rank: int  #: the alias's position in the item's list (0 = the item's own id)
    words: frozenset[str]
    #: the alias names one thing (no "and", comma or slash joining topics)
    single: bool = True


def _topic_word(topic: tuple[str, ...]) -> tuple[str, ...]:
    """The one word a topic is about: the topic's only word, or its only word besides a filler
    word ("Citation Information"); empty when the topic has more words than that."""
    rest = tuple(w for w in topic if w not in _FILLERS) if len(topic) == 2 else topic
    return rest if len(rest) == 1 else ()


class HeadingMatcher:
    """Matches headings against the aliases of many items at once.

    An inverted index from alias words to aliases keeps a card of tens of thousands of headings
    linear: a heading only meets the aliases that share a word with it. Results are cached per
    distinct heading text.
    """

    def __init__(self, aliases: Iterable[tuple[str, Sequence[str]]]) -> None:
        self._aliases: list[Alias] = []
        keys: dict[str, str] = {}  # lower-cased id -> id
        by_word: dict[str, list[int]] = {}
        for key, names in aliases:
            if "-" in key:  # an id like "AIV-1e" is distinctive; "license" is not
                keys[key.lower()] = key
            for rank, name in enumerate(names, start=1):
                ws = frozenset(words(name))
                if not ws:
                    continue
                self._aliases.append(Alias(key, rank, ws, is_single_phrase(name)))
                for w in ws:
                    by_word.setdefault(w, []).append(len(self._aliases) - 1)
        self._by_word = by_word
        self._keys = keys
        alternation = "|".join(re.escape(k) for k in sorted(keys, key=longest_first))
        self._id_pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w])", re.I) if keys else None
        self._vocabulary = [w for w in by_word if len(w) >= FUZZY_MIN_LENGTH]
        self._same: dict[str, tuple[str, ...]] = {}
        self._cache: dict[str, dict[str, int]] = {}

    def _equivalents(self, word: str) -> tuple[str, ...]:
        """Alias words equal to ``word``, or near it by edit distance."""
        hit = self._same.get(word)
        if hit is not None:
            return hit
        found = [word] if word in self._by_word else []
        form = _WORD_FORMS.get(word)
        if form is not None and form in self._by_word:
            found.append(form)  # "usage" is "use" in "Direct Usage"; never for a one-word alias
        if len(word) >= FUZZY_MIN_LENGTH and not word.isdigit():
            for other, score, _ in process.extract(
                word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
            ):
                # a prefix makes another word: "retraining" is not "training", "unsupervised"
                # not "supervised" (a plural or other ending is folded or near enough); strictly
                # above the cutoff: with accents folded, "entertainment" and "entrainement"
                # (Entraînement) are exactly at it
                if score > FUZZY_CUTOFF and other != word and not (other.endswith(word) or word.endswith(other)):
                    found.append(other)
        self._same[word] = tuple(found)
        return self._same[word]

    def match(self, heading: str) -> dict[str, int]:
        """{key: best (lowest) alias rank} for every item the heading names; rank 0 when the
        heading carries the item's id ("Hardware (AIV-1e)")."""
        # "Metrics. Measures that reflect how the model affects people who use it.": a title
        # followed by the template's description of it; the title is what names the item
        heading = _SENTENCE_TAIL.sub("", heading) or heading
        out = dict(self._match(heading))
        bare = _QUALIFIER.sub(" ", heading)
        if bare != heading and words(bare):
            for k, rank in self._match(bare).items():
                if rank < out.get(k, 1 << 30):
                    out[k] = rank
        return out

    def _match(self, heading: str) -> dict[str, int]:
        # digits name no item unless an id holds them: "Intended use part 17" is cached with
        # "Intended use part 3", so a card of thousands of numbered headings is matched once
        key = heading if "-" in heading else _DIGITS.sub("#", heading)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        out: dict[str, int] = {}
        if self._id_pattern is not None and "-" in heading:
            for m in self._id_pattern.finditer(heading):
                out[self._keys[m.group(0).lower()]] = 0
        head = words(heading)
        seen: dict[str, set[str]] = {}  # alias word -> heading words it stands for
        for w in head:
            for eq in self._equivalents(w):
                seen.setdefault(eq, set()).add(w)
        candidates = {i for w in seen for i in self._by_word.get(w, ())}
        hits = [self._aliases[i] for i in candidates if self._aliases[i].words <= seen.keys()]
        # a one-word alias must be a whole topic of the heading: "Limitations" is a topic of
        # "Intended uses & limitations", "Monitoring" is not one of "Monitoring of training jobs"
        # ("Usage" is not "Uses": the word forms of the lexicon only join words of longer aliases)
        # ("Citation Information" is the topic "Citation": the lexicon's filler words add nothing)
        single_topics = {
            eq
            for p in parts(heading)
            for w in _topic_word(p)
            for eq in self._equivalents(w)
            if eq != _WORD_FORMS.get(w)
        }
        for a in hits:
            if len(a.words) == 1 and not a.words <= single_topics:
                continue
            if a.rank < out.get(a.key, 1 << 30):
                out[a.key] = a.rank
        if len(set(head)) >= SUBSET_MIN_WORDS and is_single_phrase(heading):
            # "Where to send comments": every heading word is in a longer one-phrase alias and they
            # are at least half of its words (not "Testing Data, Factors & Metrics": several topics)
            for i in candidates:
                a = self._aliases[i]
                if not a.single or 2 * len(a.words & seen.keys()) < len(a.words) or a.rank >= out.get(a.key, 1 << 30):
                    continue
                if all(any(seen.get(eq) and w in seen[eq] for eq in a.words) for w in head):
                    out[a.key] = a.rank
        self._cache[key] = out
        return out
