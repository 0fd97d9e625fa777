"""Reading text with or without its diacritics, as a reader does.

Real cards are often typed without accents ("Metriques", "Informations generales",
"Einschraenkungen") or with them where a profile's alias has none. Two tools make a heading and
a key phrase match either way:

- :func:`fold_word` turns a word into a comparison key: Unicode NFKD with combining marks
  dropped (é/è/ê -> e, ç -> c, ñ -> n), the letters NFKD does not decompose mapped by hand
  (ł -> l, ø -> o, đ -> d, ß -> ss, æ -> ae, œ -> oe), then the German transliterations
  ae/oe/ue read as the bare vowel, so "Einschränkungen", "Einschraenkungen" and
  "Einschrankungen" have one key.
- :func:`letters_pattern` writes a word as a regular expression in which every letter stands for
  itself with or without a diacritic, "ä"/"ae" for each other and for "a", "ß" for "ss", so a
  phrase is found in the raw text and match positions (and line numbers) stay those of the card.

Source of the German rule: the DIN 5007-2 name ordering (ä = ae, ö = oe, ü = ue, ß = ss).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: letters NFKD leaves whole, as a reader without the key types them
_BY_HAND = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "ẞ": "SS",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
        "ħ": "h",
        "þ": "th",
    }
)
_TRANSLITERATED = re.compile(r"([aou])e", re.I)


def strip_marks(text: str) -> str:
    """``text`` without diacritics (not lower-cased); ASCII text is returned unchanged.
    ``strip_marks("Métriques générales") == "Metriques generales"``, ``"Maß" -> "Mass"``."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_BY_HAND))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


#: a word this long or longer is compared without its diacritics; a shorter one as typed
FOLD_MIN_LETTERS = 5
_LONG_WORD = re.compile(rf"[^\W\d_]{{{FOLD_MIN_LETTERS},}}")


def fold_long_words(text: str) -> str:
    """``text`` with the diacritics of its words of five letters or more dropped (NFC first, then
    :func:`strip_marks`); case, punctuation and shorter words stay as typed. A word list and a
    text folded with it match whether either was typed with accents ("Décrivez" and "Decrivez",
    "erläutern" and "erlautern"; not the German "ae" transliteration). Short words keep their
    accents because there an accent tells two words apart: "è"/"e", "où"/"ou", "está"/"esta",
    "cómo"/"como" (a verb and a conjunction or a pronoun). ASCII text is returned unchanged."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    return _LONG_WORD.sub(lambda m: strip_marks(m.group(0)), text)


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """The comparison key of one word, lower case: diacritics dropped and ae/oe/ue after a letter
    read as a/o/u, wherever they are ("Einschränkungen", "einschraenkungen", "Einschrankungen" -> "einschrankungen").
    Both sides of a comparison must be folded with it."""
    return _TRANSLITERATED.sub(r"\1", strip_marks(word).lower())


def fold_text(text: str) -> str:
    """:func:`fold_word` over a whole text, for containment tests (not for positions: the folded
    text is shorter than the original)."""
    text = strip_marks(text).lower()
    # three substring scans are cheaper than a substitution over every section of a large card
    if "ae" in text or "oe" in text or "ue" in text:
        return _TRANSLITERATED.sub(r"\1", text)
    return text


def _variants() -> dict[str, str]:
    """For each ASCII letter, the lower-case Latin letters that fold to it ("e": "éèêëēėęě...")."""
    out: dict[str, set[str]] = {}
    for cp in range(0xC0, 0x250):
        ch = chr(cp).lower()
        if len(ch) != 1:
            continue  # "İ" lower-cases to two code points
        base = strip_marks(ch)
        if len(base) == 1 and base.isascii() and base.isalpha() and base != ch:
            out.setdefault(base, set()).add(ch)
    return {b: "".join(sorted(vs)) for b, vs in out.items()}


_VARIANTS = _variants()
_UMLAUTS = {"ä": "a", "ö": "o", "ü": "u"}


def _letter(base: str) -> str:
    extra = _VARIANTS.get(base)
    return f"[{base}{extra}]" if extra else re.escape(base)


@lru_cache(maxsize=4096)
def letters_pattern(word: str, ascii_text: bool = False) -> str:
    """A regular expression (to compile with ``re.I``) matching ``word`` typed with or without
    its diacritics: "Métriques" matches "Metriques" and "METRIQUES"; "Einschränkungen" (or
    "Einschraenkungen") matches all three German spellings; "Maßnahmen" matches "Massnahmen".

    ``ascii_text``: the pattern will only meet ASCII text, so a letter needs no class of its
    accented forms (a class is slower to scan than a literal); the ae/a alternations stay."""
    out: list[str] = []
    lower = word.lower()
    i = 0
    while i < len(lower):
        ch = lower[i]
        pair = lower[i : i + 2]
        if ch in _UMLAUTS or pair in ("ae", "oe", "ue"):
            base = _UMLAUTS.get(ch, ch)
            out.append(f"(?:{base}e|{base if ascii_text else _letter(base)})")
            i += 1 if ch in _UMLAUTS else 2
            continue
        if ch == "ß" or pair == "ss":
            out.append("ss" if ascii_text else "(?:ss|ß)")
            i += 1 if ch == "ß" else 2
            continue
        base = strip_marks(ch).lower()
        if len(base) == 1 and base.isascii() and base.isalpha():
            out.append(base if ascii_text else _letter(base))
        else:
            out.append(re.escape(base if base.isascii() and base else ch))
        i += 1
    return "".join(out)
