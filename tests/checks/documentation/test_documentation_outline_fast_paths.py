"""The outline reading's short cuts (issue 17, ninth round: reading a 30,000-section card) read
every unit as the plain reading does.

Each short cut is compared with the plain computation it stands for, over every unit of every
test card (cards/**/*.md, written for these tests) and some units made to hit the edge cases:

- a word list scanned only for the phrases whose first word the unit has, against the whole
  list's pattern (same match span, same substitution);
- the value pattern split in two and led by a lookahead, against the single pattern of values
  as it was written before (copied here as the reference);
- a section read only up to its first value or statement, against the section read whole (the
  judgement, outline-like or not, is the same).
"""

from __future__ import annotations

import re

import pytest
from documentation_testkit import CARDS

from tef_harness.checks.documentation import outline
from tef_harness.checks.documentation.folding import fold_long_words
from tef_harness.checks.documentation.parsing import parse_markdown

#: the value pattern before the ninth round, in one piece (the reference for has_value)
_REFERENCE_VALUE = re.compile(
    r"https?://|www\.|[\w.+-]+@[\w-]+\.[\w.]+"
    r"|`[^`\n]+`"
    r"|\d(?:[\d.,]*\d)?\s?%"
    r"|(?<![\w.])\d+[.,]\d+(?![\w.])"
    r"|(?<![\w.])v?\d+\.\d+\.\d+(?![\d])"
    r"|(?<!\w)v\d+(?:\.\d+)?(?!\w)"
    r"|(?<![\w.])(?:19|20)\d\d(?:[-/.]\d\d?(?:[-/.]\d\d?)?)?(?![\w])"
    r"|(?<!\w)\d{1,3}(?:[,  ]\d{3})+(?!\d)"
    r"|(?<![\w.])\d+\s?(?:[KMGTP]i?B|ms|s|h|min|hours?|days?|epochs?|steps?|samples?|records?|rows?|images?"
    r"|tokens?|parameters?|params|layers?|GPUs?|CPUs?|cores?|users?|patients?|[kKMB]\b)(?!\w)",
    re.I,
)

_EDGE_UNITS = [
    "Describe the data sources, e.g. registries (etc.)",
    "Beschreiben Sie die Daten, z. B. Register usw.",
    "Décrivez les données, par exemple les registres",
    "See Article 15 and Art. 9(2) for the factors",
    "Released V2.1 on 2024-05-02 to 1,200 users",
    "Contact: team@example.org or https://example.org/card",
    "The model was trained in 3 hours on 16 GB; it must not be used for hiring",
    "Il modello è addestrato sui ticket, ad esempio quelli del 2023",
    "Il faut indiquer où les données sont conservées",
    "Model v2 reaches 91.3% accuracy",
    "Weights in `models/scorer.onnx`",
    "1.1.2 Provider name and address given [ ] Yes [ ] No",
    "Version 3.0",
]


def _card_units() -> list[str]:
    found: list[str] = []
    for path in sorted(CARDS.rglob("*.md")):
        found += outline.units(fold_long_words(path.read_text("utf-8")))
    return [*found, *(fold_long_words(u) for u in _EDGE_UNITS)]


UNITS = _card_units()
WORD_LISTS = {name: words for name, words in vars(outline).items() if isinstance(words, outline._Words)}


def test_there_are_units_and_word_lists_to_compare() -> None:
    assert len(UNITS) > 400
    assert {"_FINITE", "_MODAL", "_RELATIVE", "_EXAMPLE", "_REFERENCE_NUMBER", "_INSTRUCTION_START"} <= set(WORD_LISTS)


@pytest.mark.parametrize("name", sorted(WORD_LISTS))
def test_a_narrowed_word_list_matches_where_the_whole_list_does(name: str) -> None:
    words = WORD_LISTS[name]
    differ = []
    for unit in UNITS:
        among = outline._unit_words(unit)
        # the unit, and a part of it as the readers cut one (a label's value, the first words)
        for text in (unit, unit.split(":", 1)[-1].strip(), " ".join(unit.split()[:5])):
            full, narrowed = words.pattern.search(text), words.search(text, among)
            if (full and full.span()) != (narrowed and narrowed.span()):
                differ.append(text)
            if words.pattern.sub(" ", text) != words.sub(" ", text, among):
                differ.append(text)
    assert not differ


def test_the_split_value_pattern_finds_what_the_single_one_did() -> None:
    differ = [u for u in UNITS if outline._has_value(u) != _reference_has_value(u)]
    assert not differ
    # and the comparison is not vacuous: both kinds occur
    assert sum(map(_reference_has_value, UNITS)) > 50
    assert sum(not _reference_has_value(u) for u in UNITS) > 50


def _reference_has_value(unit: str) -> bool:
    if re.search(r"[\d@`]|://|www\.", unit) is None:
        return False
    text = outline._without_examples(unit)
    assert outline._REFERENCE_NUMBER is not None
    text = outline._REFERENCE_NUMBER.pattern.sub(" ", text)
    return bool(_REFERENCE_VALUE.search(text))


def test_reading_a_section_up_to_its_first_value_or_statement_judges_it_as_reading_it_whole() -> None:
    judged = 0
    for path in sorted(CARDS.rglob("*.md")):
        parsed = parse_markdown(path.read_text("utf-8"), role="card", path=path.name)
        for section in parsed.sections:
            whole = outline.read_section(section.own)
            part = outline.read_section(section.own, until_filled=True)
            assert (part.outline_like, part.asks, part.checklist) == (whole.outline_like, whole.asks, whole.checklist)
            assert bool(part.units) == bool(whole.units)
            judged += 1
    assert judged > 300


def test_a_repeated_section_text_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    texts: list[str] = []
    plain = outline.read_section

    def counted(text: str, *, until_filled: bool = False) -> outline.SectionReading:
        texts.append(text)
        return plain(text, until_filled=until_filled)

    monkeypatch.setattr(outline, "read_section", counted)
    card = "# Card\n\n" + "".join(f"## Part {i}\n\n[More Information Needed]\n\n" for i in range(6))
    card += "## Uses\n\nThe model sorts incoming invoices by cost centre.\n"
    reader = outline.OutlineReader(parse_markdown(card, role="card", path="c.md"))
    whys = [reader.why(i) for i, s in enumerate(reader.doc.sections) if s.kind == "heading"]
    # six placeholder parts, each an outline (a bracketed prompt), read as one text; the title
    # (no text of its own) and the filled "Uses" once each
    assert sum(w is not None for w in whys) == 6
    assert len(texts) == 3 and len(set(texts)) == 3
