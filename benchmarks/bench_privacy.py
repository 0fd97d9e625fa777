"""PII scan benchmark: presidio's own analyze() loop and BatchAnalyzerEngine against the
project's fast scanner, on faker-generated customer records with planted PII.

    .venv/bin/python benchmarks/bench_privacy.py [--sizes 10000,100000] [--jobs 2]

Two record mixes, both with seven text cells per record and the planted spans kept as
ground truth:
- ``dense`` (a CRM export, the worst case for the fast path): name, job, city, segment,
  e-mail, phone, and a note that carries PII in 60% of records;
- ``typical`` (a credit-application table like the demo's): name, employer, city, purpose,
  housing, a stock-phrase status, and a note that carries PII in 10% of records
  (``--note-pii-shares 0.1,0.3,0.6,1`` sweeps that share, to show how the ratio falls as
  more records carry PII).
Planted PII: e-mails, phones (with +1-/001- prefixes and extensions), card numbers
(including 19-digit Visa, Maestro and 2-series Mastercard), IBANs and EU national ids.

presidio's loops are timed on the first ``--baseline-records`` records (they take about a
millisecond per cell) and their throughput is reported per record; the fast path with presidio's recognizers alone is
checked to give exactly presidio's results there, and is then used to score presidio's
recall and precision on every record.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence

os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
os.environ.setdefault("TLDEXTRACT_CACHE", "/tmp/tef-harness-tldextract")

from faker import Faker

from tef_harness.checks.privacy.analyzer import LANGUAGE, build_analyzer
from tef_harness.checks.privacy.fast import Detection, FastScanner, _phone_results
from tef_harness.checks.privacy.recognizers import luhn
from tef_harness.checks.privacy.scan import resolve_overlaps
from tef_harness.engine.workers import ForkWorkers

MIXES = {
    "dense": ("name", "job", "city", "segment", "email", "phone", "note"),
    "typical": ("name", "employer", "city", "purpose", "housing", "status", "note"),
}
_STOCK = [
    "no remarks", "documents complete", "income verified", "awaiting payslip", "second review requested",
    "approved by branch", "customer called back", "address confirmed", "n/a", "see previous application",
    "co-applicant present", "prefers e-mail contact",
]
THRESHOLD = 0.5
DEFAULT_NOTE_PII_SHARE = {"dense": 0.6, "typical": 0.1}
Truth = tuple[int, str, str, int, int]  # record, column, entity, start, end


def _card(rng: random.Random, kind: str) -> str:
    prefix, length = {
        "visa16": ("4", 16),
        "visa19": ("4", 19),
        "mc2": (str(rng.randint(2221, 2720)), 16),
        "mc5": (str(rng.randint(51, 55)), 16),
        "maestro": (rng.choice(["5018", "5020", "6304", "6759"]), rng.choice([16, 19])),
        "amex": (rng.choice(["34", "37"]), 15),
    }[kind]
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    check = next(d for d in "0123456789" if luhn(body + d))
    number = body + check
    if rng.random() < 0.5 and length == 16:
        number = " ".join(number[i : i + 4] for i in range(0, 16, 4))
    return number


def _phone(fake: Faker, rng: random.Random) -> str:
    n = f"{rng.randint(201, 989)}-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}"
    return rng.choice([f"+1-{n}", f"001-{n}", f"{n}x{rng.randint(10, 9999)}", f"({n[:3]}){n[4:]}", fake.phone_number()])


def make_records(
    n: int, seed: int = 0, mix: str = "dense", pii_share: float | None = None
) -> tuple[list[dict[str, str]], list[Truth]]:
    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    locales = {loc: Faker(loc) for loc in ("es_ES", "it_IT", "pl_PL", "fi_FI", "nl_NL", "fr_FR", "de_DE")}
    for i, f in enumerate(locales.values()):
        f.seed_instance(seed + i + 1)
    national = [
        ("ES_NIF", "DNI", lambda: locales["es_ES"].nif()),
        ("ES_NIE", "NIE", lambda: locales["es_ES"].nie()),
        ("IT_FISCAL_CODE", "codice fiscale", lambda: locales["it_IT"].ssn()),
        ("PL_PESEL", "PESEL", lambda: locales["pl_PL"].pesel()),
        ("FI_PERSONAL_IDENTITY_CODE", "henkilötunnus", lambda: locales["fi_FI"].ssn()),
        ("NL_BSN", "BSN", lambda: locales["nl_NL"].ssn()),
        ("FR_NIR", "numéro de sécurité sociale", lambda: locales["fr_FR"].ssn()),
    ]
    cities = [fake.city() for _ in range(300)]
    jobs = [fake.job() for _ in range(200)]
    segments = ["retail", "premium", "business", "student"]
    companies = [fake.company() for _ in range(2000)]
    records: list[dict[str, str]] = []
    truth: list[Truth] = []
    if pii_share is None:
        pii_share = DEFAULT_NOTE_PII_SHARE[mix]
    for r in range(n):
        rec = {"name": fake.name(), "city": rng.choice(cities)}
        if mix == "dense":
            rec["job"] = rng.choice(jobs)
            rec["segment"] = rng.choice(segments)
            email = fake.email()
            rec["email"] = email
            truth.append((r, "email", "EMAIL_ADDRESS", 0, len(email)))
            phone = _phone(fake, rng)
            rec["phone"] = phone
            truth.append((r, "phone", "PHONE_NUMBER", 0, len(phone)))
        else:
            rec["employer"] = rng.choice(companies)
            rec["purpose"] = rng.choice(["car", "home", "education", "business", "debt", "travel", "other"])
            rec["housing"] = rng.choice(["own", "rent", "family"])
            rec["status"] = rng.choice(_STOCK)
        kind = rng.random()
        sentence = fake.sentence(nb_words=8) if mix == "dense" or rng.random() < 0.3 else rng.choice(_STOCK)
        if kind >= pii_share:
            rec["note"] = sentence
        else:
            choice = rng.randrange(5)
            if choice == 0:
                lead, value, entity = "Please write to ", fake.free_email(), "EMAIL_ADDRESS"
            elif choice == 1:
                lead, value, entity = "Customer phone: ", _phone(fake, rng), "PHONE_NUMBER"
            elif choice == 2:
                ck = rng.choice(["visa16", "visa19", "mc2", "mc5", "maestro", "amex"])
                lead, value, entity = "Paid with card ", _card(rng, ck), "CREDIT_CARD"
            elif choice == 3:
                lead, value, entity = "Refund to IBAN ", fake.iban(), "IBAN_CODE"
            else:
                entity, word, gen = rng.choice(national)
                lead, value = f"{word} ", gen()
            rec["note"] = f"{sentence} {lead}"
            start = len(rec["note"])
            rec["note"] += value + "."
            truth.append((r, "note", entity, start, start + len(value)))
        records.append(rec)
    return records, truth


def columns(records: Sequence[dict[str, str]]) -> dict[str, list[str]]:
    return {c: [rec[c] for rec in records] for c in records[0]}


def run_fast(
    scanner: FastScanner, cols: dict[str, list[str]], n_jobs: int = 1
) -> dict[str, list[tuple[Detection, ...]]]:
    """Column by column, with the column name as presidio context (as the check does), on
    the engine's workers when ``n_jobs`` > 1."""
    mapper = ForkWorkers(n_jobs).map if n_jobs > 1 else None
    return {c: scanner.scan(texts, mapper=mapper, context=[c]) for c, texts in cols.items()}


def as_detections(results: list) -> tuple[Detection, ...]:
    return tuple(sorted(Detection(r.entity_type, r.start, r.end, float(r.score)) for r in results))


def score(
    by_col: dict[str, list[tuple[Detection, ...]]], truth: list[Truth], n_records: int
) -> dict[str, tuple[int, int, int, int]]:
    """Per planted entity type: (ground truth, found, detections, true detections)."""
    gt_by_cell: dict[tuple[int, str], list[tuple[str, int, int]]] = defaultdict(list)
    for r, col, ent, s, e in truth:
        if r < n_records:
            gt_by_cell[(r, col)].append((ent, s, e))
    planted = {t[2] for t in truth}
    stats: dict[str, list[int]] = {e: [0, 0, 0, 0] for e in planted}
    cells = [(r, col, d) for col, dets in by_col.items() for r, d in enumerate(dets)]
    for r, col, cell_dets in cells:
        gts = gt_by_cell.get((r, col), [])
        # what the check reports: above the threshold, overlaps resolved (validated entities first)
        kept = list(resolve_overlaps({d for d in cell_dets if d.score >= THRESHOLD}))
        for ent, s, e in gts:
            stats[ent][0] += 1
            if any(d.entity_type == ent and d.start < e and s < d.end for d in kept):
                stats[ent][1] += 1
        for d in kept:
            if d.entity_type in stats:
                stats[d.entity_type][2] += 1
                if any(d.entity_type == ent and d.start < e and s < d.end for ent, s, e in gts):
                    stats[d.entity_type][3] += 1
    return {k: (v[0], v[1], v[2], v[3]) for k, v in stats.items()}


def phone_floor(scanner: FastScanner, cols: dict[str, list[str]]) -> tuple[float, int]:
    """Seconds presidio's phone recognizer needs on the distinct values where phonenumbers
    finds a candidate. presidio's results depend on the outcome of that work and the fast
    path calls phonenumbers just as presidio does, so its cost bounds the attainable ratio."""
    phone = next(r for r in scanner.recognizers if type(r).__name__ == "PhoneRecognizer")
    texts = [t for t in {t for ts in cols.values() for t in ts} if phone in scanner.candidates(t)]
    t0 = time.perf_counter()
    for t in texts:
        _phone_results(phone, t)
    return time.perf_counter() - t0, len(texts)


def _pct(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "n/a"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--baseline-records", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mix", choices=[*MIXES, "both"], default="both")
    ap.add_argument(
        "--note-pii-shares",
        default="",
        help="comma-separated shares of records whose note carries PII (default: 0.6 dense, 0.1 typical); "
        "several values give the throughput ratio as a function of PII density",
    )
    args = ap.parse_args(argv)
    from presidio_analyzer import BatchAnalyzerEngine

    presidio = build_analyzer(extra_recognizers=False)
    project = build_analyzer(extra_recognizers=True)
    fast_presidio = FastScanner(presidio)
    fast_project = FastScanner(project)
    print(f"cpus: {os.cpu_count()}  python {sys.version.split()[0]}  threshold {THRESHOLD}")
    mixes = list(MIXES) if args.mix == "both" else [args.mix]
    shares = [float(x) for x in args.note_pii_shares.split(",") if x] or [None]
    runs = [(m, int(s), sh) for m in mixes for sh in shares for s in args.sizes.split(",")]
    for mix, size, share in runs:
        records, truth = make_records(size, args.seed, mix, share)
        cols = columns(records)
        n_cells = size * len(cols)
        distinct = len({(c, t) for c, ts in cols.items() for t in ts})
        nb = min(args.baseline_records, size)
        base_cols = {c: ts[:nb] for c, ts in cols.items()}
        note_share = DEFAULT_NOTE_PII_SHARE[mix] if share is None else share
        print(
            f"\n## {mix}, PII in {note_share:.0%} of notes: {size:,} records "
            f"({n_cells:,} cells, {distinct:,} distinct column values)"
        )

        for c, ts in base_cols.items():  # warm presidio's lazy loads (metadata, caches) before timing it
            for t in ts[:50]:
                presidio.analyze(t, LANGUAGE, context=[c])
        t0 = time.perf_counter()
        loop = {
            c: [as_detections(presidio.analyze(t, LANGUAGE, context=[c])) for t in ts] for c, ts in base_cols.items()
        }
        t_loop = time.perf_counter() - t0
        batch_engine = BatchAnalyzerEngine(analyzer_engine=presidio)
        t0 = time.perf_counter()
        batch = {
            c: [as_detections(r) for r in batch_engine.analyze_iterator(ts, language=LANGUAGE, context=[c])]
            for c, ts in base_cols.items()
        }
        t_batch = time.perf_counter() - t0
        same_batch = batch == loop
        check = run_fast(fast_presidio, base_cols)
        mismatches = sum(a != b for c in cols for a, b in zip(check[c], loop[c], strict=True))

        rows = [("presidio analyze() loop", nb / t_loop), ("presidio BatchAnalyzerEngine", nb / t_batch)]
        t0 = time.perf_counter()
        dets_presidio = run_fast(fast_presidio, cols)
        rows.append(("fast path, presidio recognizers, 1 process", size / (time.perf_counter() - t0)))
        t0 = time.perf_counter()
        dets_project = run_fast(fast_project, cols)
        rows.append(("fast path, + project recognizers, 1 process", size / (time.perf_counter() - t0)))
        if args.jobs > 1:
            t0 = time.perf_counter()
            dets_par = run_fast(fast_project, cols, n_jobs=args.jobs)
            rows.append((f"fast path, + project recognizers, {args.jobs} processes", size / (time.perf_counter() - t0)))
            assert dets_par == dets_project
        base = rows[0][1]
        floor = phone_floor(fast_presidio, cols)
        print(f"presidio loops timed on the first {nb:,} records; BatchAnalyzerEngine == loop: {same_batch}; "
              f"fast path (presidio recognizers) differs from analyze() on {mismatches} of {nb * len(cols):,} cells")
        print("\n| scanner | records/s | × analyze() loop |\n|---|---:|---:|")
        for name, rps in rows:
            print(f"| {name} | {rps:,.0f} | {rps / base:.1f} |")
        jobs = max(1, args.jobs)
        ceiling = size / (floor[0] / jobs) / base
        print(
            f"\nphonenumbers floor: presidio's phone recognizer (8 regions) on the {floor[1]:,} distinct values "
            f"with a phonenumbers candidate takes {floor[0]:.2f} s; the fast path does that work as presidio does, "
            f"so on {jobs} process(es) it can reach at most {ceiling:.1f}× the analyze() loop here"
        )
        sp = score(dets_presidio, truth, size)
        sj = score(dets_project, truth, size)
        print("\n| entity | planted | presidio recall | presidio precision | project recall | project precision |")
        print("|---|---:|---:|---:|---:|---:|")
        for ent in sorted(sp):
            g, f1, d1, t1 = sp[ent]
            _, f2, d2, t2 = sj[ent]
            print(f"| {ent} | {g:,} | {_pct(f1, g)} | {_pct(t1, d1)} | {_pct(f2, g)} | {_pct(t2, d2)} |")
        other = Counter(
            d.entity_type
            for dets in dets_project.values()
            for cell in dets
            for d in cell
            if d.score >= THRESHOLD and d.entity_type not in sp
        )
        print(f"\nother detections (not planted; e.g. URL inside e-mails): {dict(other.most_common(8))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
