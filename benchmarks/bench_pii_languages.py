"""PII recall and precision per EU language and entity type: the harness's scanner beside
presidio's defaults, on a Faker-generated labelled corpus (``pii_language_corpus.py``).

    .venv/bin/python benchmarks/bench_pii_languages.py [--per-language 400] [--seed 0]

For each language (de, fr, it, es, nl, pl) and entity type (phone, IBAN, the national
identifier Faker has for it), at presidio's default threshold 0.5:
- recall: planted spans with a detection of the same type overlapping them;
- precision: detections of that type that overlap a planted span of that type (every note
  also holds dates, amounts, order and invoice numbers and a postcode as look-alikes).
Phone numbers sit in sentences without a phone context word in any language. Also printed:
whether the fast path equals ``analyze()`` of the same analyzer on every note, how many of
presidio's own detections the harness keeps, and the throughput of presidio's ``analyze()``
(with its defaults and with the harness's recognizers) and of the fast path (every
detection, and at the threshold, as the check scans).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
os.environ.setdefault("TLDEXTRACT_CACHE", "/tmp/tef-harness-tldextract")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pii_language_corpus import LANGUAGES, NATIONAL_ID, Note, make_corpus

from tef_harness.checks.privacy.analyzer import LANGUAGE, build_analyzer
from tef_harness.checks.privacy.fast import Detection, FastScanner
from tef_harness.checks.privacy.scan import resolve_overlaps

THRESHOLD = 0.5
Spans = list[tuple[Detection, ...]]


def _overlaps(d: Detection, gold: tuple[str, int, int] | None) -> bool:
    return gold is not None and d.entity_type == gold[0] and d.start < gold[2] and gold[1] < d.end


def score(notes: list[Note], found: Spans) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    """(language, entity) -> (gold, gold found, detections, detections on gold)."""
    table: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    entities = {"PHONE_NUMBER", "IBAN_CODE", *(e for _, e, _ in NATIONAL_ID.values())}
    for note, dets in zip(notes, found, strict=True):
        if note.gold is not None:
            row = table[(note.language, note.gold[0])]
            row[0] += 1
            row[1] += any(_overlaps(d, note.gold) for d in dets)
        for d in dets:
            if d.entity_type in entities:
                row = table[(note.language, d.entity_type)]
                row[2] += 1
                row[3] += _overlaps(d, note.gold)
    return {k: (v[0], v[1], v[2], v[3]) for k, v in table.items()}


def _kept(dets: list[Detection]) -> tuple[Detection, ...]:
    return resolve_overlaps({d for d in dets if d.score >= THRESHOLD})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--per-language", type=int, default=400)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    notes = make_corpus(args.per_language, args.seed)
    texts = [n.text for n in notes]
    presidio = build_analyzer(extra_recognizers=False)
    ours_analyzer = build_analyzer()
    for analyzer in (presidio, ours_analyzer):  # warm up: tokenizer, tldextract, phonenumbers metadata
        analyzer.analyze(texts[0], LANGUAGE)

    t0 = time.perf_counter()
    presidio_raw = [presidio.analyze(t, LANGUAGE) for t in texts]
    t_presidio = time.perf_counter() - t0
    presidio_found = [
        _kept([Detection(r.entity_type, r.start, r.end, float(r.score)) for r in rs]) for rs in presidio_raw
    ]

    ours = FastScanner(ours_analyzer)
    t0 = time.perf_counter()
    ours_raw = ours.scan(texts)  # every detection, as analyze() gives them
    t_ours_all = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours_at_threshold = ours.scan(texts, min_score=THRESHOLD)  # what the check runs
    t_ours = time.perf_counter() - t0
    ours_found = [_kept(list(ds)) for ds in ours_at_threshold]
    assert ours_found == [_kept(list(ds)) for ds in ours_raw]
    # the same scan with the one region a data set in that language would declare (params.regions)
    declared: Spans = []
    for lang, locale in LANGUAGES.items():
        scanner = FastScanner(build_analyzer(regions=(locale[-2:],)))
        part = [n.text for n in notes if n.language == lang]
        declared += [_kept(list(ds)) for ds in scanner.scan(part, min_score=THRESHOLD)]

    # the fast path equals analyze() of the same analyzer (the same recognizers), note by note
    t0 = time.perf_counter()
    same_set = [ours_analyzer.analyze(t, LANGUAGE) for t in texts]
    t_same = time.perf_counter() - t0
    reference = [
        tuple(sorted(Detection(r.entity_type, r.start, r.end, float(r.score)) for r in rs)) for rs in same_set
    ]
    equal = sum(a == b for a, b in zip(ours_raw, reference, strict=True))
    # presidio's own detections the harness keeps (same type and span)
    spans = lambda ds: {(d.entity_type, d.start, d.end) for d in ds}  # noqa: E731
    presidio_total = sum(len(p) for p in presidio_found)
    presidio_kept = sum(len(spans(p) & spans(o)) for p, o in zip(presidio_found, ours_found, strict=True))
    dropped = Counter(
        d.entity_type
        for p, o in zip(presidio_found, ours_found, strict=True)
        for d in p
        if (d.entity_type, d.start, d.end) not in spans(o)
    )

    by_language = sorted(range(len(notes)), key=lambda i: list(LANGUAGES).index(notes[i].language))
    ordered = [notes[i] for i in by_language]
    s_presidio, s_ours = score(notes, presidio_found), score(notes, ours_found)
    s_declared = score(ordered, declared)
    print(f"corpus: {len(notes)} notes ({args.per_language} per language, seed {args.seed}), threshold {THRESHOLD}")
    print("recall / precision (detections); harness: default regions (EU, EEA, UK, US) | the language's region only")
    print()
    print("| language | entity | n | presidio | harness, default regions | harness, region declared |")
    print("|---|---|---:|---:|---:|---:|")
    for lang in LANGUAGES:
        for entity in ("PHONE_NUMBER", "IBAN_CODE", *([NATIONAL_ID[lang][1]] if lang in NATIONAL_ID else [])):
            cells = []
            for table in (s_presidio, s_ours, s_declared):
                g, gf, dn, dg = table.get((lang, entity), (0, 0, 0, 0))
                prec = f"{dg / dn:.3f}" if dn else "-"
                cells.append(f"{gf / g:.3f} / {prec} ({dn})" if g else "-")
            n = s_presidio.get((lang, entity), (0, 0, 0, 0))[0]
            print(f"| {lang} | {entity} | {n} | {' | '.join(cells)} |")
    print()
    spurious = Counter(
        d.entity_type
        for note, ds in zip(notes, ours_found, strict=True)
        for d in ds
        if not _overlaps(d, note.gold) and d.entity_type != "DATE_TIME"
    )
    print(f"harness detections off the planted spans (DATE_TIME on dates left out): {dict(spurious.most_common(8))}")
    print(f"fast path == analyze() of the same analyzer: {equal}/{len(texts)} notes")
    print(
        f"presidio's detections kept by the harness: {presidio_kept}/{presidio_total}; dropped by type: {dict(dropped)}"
    )
    n_ours, n_presidio = len(ours.recognizers), len(presidio.registry.recognizers)
    print(f"throughput, notes/s ({n_ours} recognizers in the harness, {n_presidio} in presidio's defaults):")
    print(f"  presidio analyze(), its defaults:          {len(texts) / t_presidio:8,.0f}")
    print(f"  presidio analyze(), the harness's set:     {len(texts) / t_same:8,.0f}")
    print(
        f"  harness fast path, every detection:        {len(texts) / t_ours_all:8,.0f}"
        f"  (x{t_same / t_ours_all:.2f} the same set, x{t_presidio / t_ours_all:.2f} presidio's defaults)"
    )
    print(
        f"  harness fast path at threshold {THRESHOLD} (the check): {len(texts) / t_ours:8,.0f}"
        f"  (x{t_same / t_ours:.2f} the same set, x{t_presidio / t_ours:.2f} presidio's defaults)"
    )


if __name__ == "__main__":
    main()
