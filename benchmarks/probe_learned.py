"""Would a sentence-embedding model, or a learned second stage, find items "by meaning"? (issue 17)

A probe, not part of the check. Verdict: NEGATIVE, nothing shipped (results at the end of this
docstring).

For every labelled (card, profile, item) the rules (``assess``) give a state. Only items the rules
call ``missing`` are candidates; a method may flip one to ``present``, naming the section it read.
Agreement on a split then changes by (flipped items a reader labels present) - (flipped items a
reader labels anything else).

Methods, each scored LEAVE-ONE-SPLIT-OUT (tuned on the other seven splits, scored on the eighth):

- ``rules``: the current check (baseline).
- ``A-emb``: WordLlama (``l2_supercat``, 256 dims, the weights the wheel ships, loaded with
  downloads disabled) embeds every chunk of every section (heading + up to ~60 words of its own
  text) and the item's description (title + hint) and each of its headings/aliases. The item's
  score is its best cosine similarity over the chunks; flip when it reaches a threshold chosen on
  the training splits (one threshold; ``A-emb/profile``: one per profile). ``A-sent``: the same
  on single sentences (list items, table rows) of four words or more, nearest description or alias.
- ``B-logreg``: scikit-learn ``LogisticRegression`` on per-(card, item) features (the rules' note
  and evidence kind, embedding similarities, best heading fuzzy score, TF-IDF similarity, the best
  section's length, card-level shares, the rules' states of the neighbouring items and of the
  item's group, and the item's own rate of being found by readers when the
  rules miss it, computed on the training rows only), target "a reader labels it present"; the
  probability threshold is chosen by an inner leave-one-split-out on the training splits.
- ``B-gbt``: the same with ``HistGradientBoostingClassifier`` (small, depth 3).

Usage (the corpus is not in the repository, see sources.yaml; wordllama is not a dependency of
the package: ``pip install wordllama==0.4.0.post1`` into the venv first):

    python benchmarks/probe_learned.py --corpus /work/cards-corpus --labels-dir benchmarks/cards \\
        --splits dev heldout heldout2 heldout3 heldout4 heldout5 heldout6 heldout7 [--cache /tmp/f.json]
    python benchmarks/probe_learned.py --cost   # load and assess time, typical and 30,000-section card

Loading WordLlama without the network: ``WordLlama.load()`` of the default model is NOT offline.
Its loader (wordllama 0.4.0.post1, ``resolve_file``) looks for the tokenizer in
``<package>/tokenizer/`` but the wheel ships it in ``<package>/tokenizers/``, so it then looks in
``~/.cache/wordllama/tokenizers/`` and, failing that, downloads it from Hugging Face with
``requests.get`` (seen with sockets blocked: "Downloading tokenizer file
'l2_supercat_tokenizer_config.json'"). ``load_wordllama`` below passes the package folder as
``cache_dir`` with ``disable_download=True``; with every socket call and ``requests.get`` made to
raise, that loads the wheel's weights and tokenizer (0.1-0.6 s).

Results (2026-11-30, 3,854 labelled items over dev, heldout, heldout2 ... heldout7; reader1 labels):

Headroom. The rules call 2,018 items missing; readers label 218 of them present, 143 placeholder,
6 not applicable, 1,651 missing. Turning every one of the 218 into present would add 5.7 points of
agreement (on Annex IV: 52 of its 213 disagreements; 148 are placeholder disagreements). For a
flip rule to gain, what it flips must be present more often than not, among candidates of which
10.8% are. No similarity reaches that: ROC AUC for "a reader finds it present" among the missing
items, and the best net gain one threshold reaches IN-SAMPLE (0 = never fire):

    feature          AUC    best in-sample net gain
    emb_desc         0.493  -1     (chunk vs title + hint)
    emb_alias        0.675  +1     (chunk vs each heading/alias)
    emb_head         0.730  -1     (section heading vs alias)
    emb_margin       0.606  -1
    tfidf            0.465  -1
    sent_max         0.680  -1     (sentence vs description or alias)
    sent_own         0.700  -1     (the same, only sentences whose nearest item is this one)
    fuzzy_head       0.676  -132

A learned model fitted AND thresholded on all eight splits (an in-sample bound, not a result)
gains +28 items = +0.7 points (B-logreg) or +128 = +3.3 points (B-gbt, which gains nothing
leave-one-split-out: it learns the spent cards, not a rule). Of the 218, 80 are on cards written
in German, French, Polish, Spanish, Italian or Dutch, which this English-trained model reads poorly;
on English cards alone the AUCs are no better (emb_head 0.728, sent_own 0.672; best in-sample net
gain -1). Scaling each item's similarity by its spread over all cards (per-item z-score) lowers
the AUCs (emb_head 0.730 -> 0.660, sent_own 0.700 -> 0.649). The chunk the description is
nearest to is the section the reader names in only 20 of the 218 notes: even a flip that is right
would mostly point to the wrong place.

Leave-one-split-out agreement, ALL items, reader1 (threshold chosen on the other seven splits):

    split     items  rules   A-emb   A-emb/prof  A-sent  B-logreg  B-gbt
    dev         526  96.4%   96.4%   96.4%       96.4%   96.6%     96.4%
    heldout     366  96.7%   96.7%   96.7%       96.7%   96.4%     96.7%
    heldout2    398  96.7%   96.7%   96.7%       96.7%   97.0%     96.7%
    heldout3    444  91.4%   91.4%   91.4%       91.4%   91.4%     91.4%
    heldout4    522  80.3%   80.3%   80.3%       80.3%   80.8%     80.3%
    heldout5    554  67.9%   67.9%   67.9%       67.9%   67.7%     67.9%
    heldout6    522  82.2%   82.0%   82.0%       82.2%   82.4%     82.4%
    heldout7    522  75.5%   75.5%   75.5%       75.5%   75.5%     75.3%
    mean             85.9%   -0.0    -0.0        +0.0    +0.1      +0.0
    worst fold               -0.2    -0.2        +0.0    -0.3      -0.2

Mean change per profile (reader1), A-emb / B-logreg / B-gbt: Annex IV +0.0 / +0.1 / -0.2 (worst
fold B-gbt -1.1); hf-model-card -0.0 / +0.1 / +0.0; model-card +0.0 / +0.1 / +0.2. Against the
adjudicated labels (heldout3..7, items both readers agree on): ALL 81.5% with the rules; A-emb -0.0,
A-sent +0.0, B-logreg +0.1, B-gbt +0.1 (worst fold -0.2 each); Annex IV B-logreg +0.1, B-gbt -0.3
(worst fold -1.3).

Thresholds chosen: A-emb "never fire" on 7 folds, 0.82 on heldout6; A-sent never fires;
A-emb/profile "never" for Annex IV, 0.82 for model-card on 7 folds and for hf-model-card on
heldout6. B-logreg probability threshold 0.73-0.92; B-gbt 0.50-0.88. Flips over all eight folds,
right / wrong against reader1: A-emb 0 / 1, A-emb/profile 0 / 1, A-sent 0 / 0, B-logreg 7 / 3,
B-gbt 12 / 15. (Without the neighbour features prev_present, next_present, group_share and
fuzzy_partial: B-logreg +0.1 mean, worst fold -0.5; B-gbt -0.1, worst -0.6.)

Criterion (mean ALL >= +2 points, no fold below -1, no profile worse): NOT met by any method; the
best, B-logreg, is +0.1 on average with folds from -0.3 to +0.5. Nothing ships.

Cost (--cost; 2 shared cores): load 0.1 s warm (0.6 s cold); a typical Annex IV card (19 chunks):
rules 0.07 s, embedding + similarity 0.01 s; the 30,000-section card of bench_card_parsing.py
(45,002 chunks): rules 4.0 s, embedding + similarity 2.3 s more. Collecting all features over the
8 splits: about 1 min.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from bench_cards import find_card, load_labels
from rapidfuzz import fuzz
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics.pairwise import cosine_similarity
from sklearn.preprocessing import StandardScaler

from tef_harness.checks.documentation.assess import _blank_code, assess
from tef_harness.checks.documentation.parsing import ParsedDocument, parse_document
from tef_harness.checks.documentation.profiles import DocumentationProfile, load_documentation_profile
from tef_harness.intake.documents import read_document

PROFILES = ("eu-ai-act-annex-iv", "hf-model-card", "model-card")
_WORD = re.compile(r"\S+")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
#: sentence, paragraph, list-item and table-row boundaries
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n\s*[-*|]")


def load_wordllama():  # type: ignore[no-untyped-def]
    """The wheel's own weights and tokenizer; ``cache_dir`` = the package folder, so the loader
    finds ``tokenizers/`` there (its default looks in ``tokenizer/``, misses, and downloads)."""
    import wordllama
    from wordllama import WordLlama

    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


@dataclass
class Row:
    split: str
    card: str
    profile: str
    item: str
    rule: str
    label: str
    adjudicated: str  # "" when the item is not in an adjudicated file
    where: str  # best section (heading, line) for a candidate
    note: str  # reader1's note: where the reader found the item
    feats: dict[str, float]


def chunks(doc: ParsedDocument) -> list[tuple[str, int, str, int]]:
    """(heading, line, text, own words) per chunk: the preamble and each heading/label section's
    own text split into pieces of about 60 words, each prefixed with its heading."""
    out: list[tuple[str, int, str, int]] = []
    first = next((s for s in doc.sections if s.kind == "heading"), None)
    lines = doc.body.splitlines()
    pre = "\n".join(lines[: max(first.line - doc.body_line, 0)] if first is not None else lines)
    spans = [("(introduction)", doc.body_line, pre)] + [(s.heading, s.line, s.own) for s in doc.sections]
    for heading, line, text in spans:
        text = _COMMENT.sub(" ", _blank_code(text))
        words = _WORD.findall(text)
        if not words:
            out.append((heading, line, heading, 0))
            continue
        for k in range(0, len(words), 60):
            out.append((heading, line, heading + ": " + " ".join(words[k : k + 60]), len(words)))
    return out


def sentences(doc: ParsedDocument) -> list[str]:
    """Every sentence (or list item, table row) of four words or more in the sections' own text."""
    out = []
    for s in doc.sections:
        for t in _SENTENCE.split(_COMMENT.sub(" ", _blank_code(s.own))):
            t = t.strip(" |#*-\n")
            if len(t.split()) >= 4:
                out.append(t)
    return out or [""]


def norm_rows(m: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(n == 0, 1, n)


def collect(corpus: Path, labels_dir: Path, split: str, wl) -> list[Row]:  # type: ignore[no-untyped-def]
    reader1 = load_labels(labels_dir / f"labels_{split}.yaml")
    adj_path = labels_dir / f"labels_{split}_adjudicated.yaml"
    adjudicated = load_labels(adj_path) if adj_path.is_file() else {}
    profiles: dict[str, DocumentationProfile] = {}
    item_vecs: dict[str, tuple[np.ndarray, list[np.ndarray]]] = {}
    rows: list[Row] = []
    for card, by_profile in reader1.items():
        path = find_card(corpus / split, card)
        if path is None:
            continue
        doc = parse_document(read_document(path, role="card", field="card"))
        ch = chunks(doc)
        cvec = norm_rows(np.asarray(wl.embed([c[2] for c in ch]), dtype=np.float64))
        hvec = norm_rows(np.asarray(wl.embed([c[0] for c in ch]), dtype=np.float64))
        svec = norm_rows(np.asarray(wl.embed(sentences(doc)), dtype=np.float64))
        n_sections = sum(s.kind == "heading" for s in doc.sections)
        for name, labels in by_profile.items():
            profile = profiles.get(name) or profiles.setdefault(name, load_documentation_profile(name)[0])
            if name not in item_vecs:
                desc = norm_rows(np.asarray(wl.embed([f"{i.title}. {i.hint}" for i in profile.items])))
                al = [norm_rows(np.asarray(wl.embed(list(i.aliases) or [i.title]))) for i in profile.items]
                item_vecs[name] = (desc, al)
            desc, al = item_vecs[name]
            got = {a.item.id: a for a in assess(profile, [doc])}
            share_present = sum(a.state.value == "present" for a in got.values()) / len(got)
            sim_desc = desc @ cvec.T  # items x chunks
            # items x sentences: best over the item's description and each alias
            sim_sent = np.stack([(np.vstack([desc[k : k + 1], al[k]]) @ svec.T).max(axis=0) for k in range(len(al))])
            texts = [c[2] for c in ch]
            queries = [" ".join([i.title, i.hint, *i.headings]) for i in profile.items]
            vec = TfidfVectorizer(sublinear_tf=True).fit(texts + queries)
            tf = cosine_similarity(vec.transform(queries), vec.transform(texts))
            for k, item in enumerate(profile.items):
                if item.id not in labels:
                    continue
                a = got[item.id]
                adj = adjudicated.get(card, {}).get(name, {}).get(item.id, ("", ""))[0]
                feats: dict[str, float] = {}
                where = ""
                if a.state.value == "missing":
                    sim_alias = (al[k] @ cvec.T).max(axis=0)  # per chunk
                    sim_head = (al[k] @ hvec.T).max(axis=0)
                    j = int(sim_desc[k].argmax())
                    ja = int(sim_alias.argmax())
                    # margin: how far this item leads the other items at its best chunk
                    others = np.delete(sim_desc[:, j], k)
                    fz = max(
                        (
                            fuzz.token_set_ratio(c[0].lower(), x.lower())
                            for c in ch
                            for x in (item.aliases or (item.title,))
                        ),
                        default=0.0,
                    )
                    feats = {
                        "emb_desc": float(sim_desc[k, j]),
                        "emb_alias": float(sim_alias[ja]),
                        "emb_head": float(sim_head.max()),
                        "emb_margin": float(sim_desc[k, j] - (others.max() if others.size else 0.0)),
                        "tfidf": float(tf[k].max()),
                        "sent_max": float(sim_sent[k].max()),
                        "sent_own": float(np.where(sim_sent.argmax(axis=0) == k, sim_sent[k], 0.0).max()),
                        "fuzzy_head": fz / 100.0,
                        "log_words_best": math.log1p(ch[j][3]),
                        # the rules' states of the items beside it in the profile (a card that
                        # documents the training data usually says how it trained too)
                        "prev_present": float(k > 0 and got[profile.items[k - 1].id].state.value == "present"),
                        "next_present": float(
                            k + 1 < len(profile.items) and got[profile.items[k + 1].id].state.value == "present"
                        ),
                        "group_share": group_share(profile, got, item),
                        "fuzzy_partial": max(
                            (
                                fuzz.partial_ratio(c[0].lower(), x.lower())
                                for c in ch
                                for x in (item.aliases or (item.title,))
                            ),
                            default=0.0,
                        )
                        / 100.0,
                        "log_sections": math.log1p(n_sections),
                        "share_present": share_present,
                        "has_note": float(a.note is not None),
                        "has_location": float(a.location is not None),
                        "has_phrases": float(bool(item.phrases)),
                        "within": float(item.within is not None),
                        "required": float(item.required),
                        "na_allowed": float(item.na_allowed),
                        **{f"p_{p}": float(name == p) for p in PROFILES},
                    }
                    where = f"{ch[j][0]} (line {ch[j][1]})"
                rows.append(
                    Row(
                        split,
                        card,
                        name,
                        item.id,
                        a.state.value,
                        labels[item.id][0],
                        adj,
                        where,
                        labels[item.id][1],
                        feats,
                    )
                )
    return rows


def group_share(profile: DocumentationProfile, got: dict, item) -> float:  # type: ignore[no-untyped-def,type-arg]
    """Share of the other items of the item's group that the rules call present."""
    peers = [i for i in profile.items if i.group == item.group and i.id != item.id]
    return sum(got[i.id].state.value == "present" for i in peers) / len(peers) if peers else 0.0


# -- evaluation --------------------------------------------------------------------------------
FEATURES = (
    "emb_desc",
    "emb_alias",
    "emb_head",
    "emb_margin",
    "tfidf",
    "sent_max",
    "sent_own",
    "fuzzy_head",
    "log_words_best",
    "prev_present",
    "next_present",
    "group_share",
    "fuzzy_partial",
    "log_sections",
    "share_present",
    "has_note",
    "has_location",
    "has_phrases",
    "within",
    "required",
    "na_allowed",
    "p_eu-ai-act-annex-iv",
    "p_hf-model-card",
    "p_model-card",
)


def agreement(rows: Sequence[Row], flips: set[int], adjudicated: bool = False) -> tuple[float, int]:
    n = agree = 0
    for i, r in enumerate(rows):
        label = r.adjudicated if adjudicated else r.label
        if not label:
            continue
        n += 1
        agree += label == ("present" if i in flips else r.rule)
    return (agree / n if n else float("nan")), n


def net_gain(labels: np.ndarray, fire: np.ndarray) -> int:
    return int(((labels == 1) & fire).sum() - ((labels == 0) & fire).sum())


GRID = [round(x, 3) for x in np.arange(0.0, 1.0001, 0.01)]


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    """The threshold with the largest net gain on these rows (ties: the higher, i.e. fire less);
    above every score ("never fire") when no threshold gains."""
    best = (0, 9.0)
    for t in GRID:
        g = net_gain(labels, scores >= t)
        if (g, t) > best:
            best = (g, t)
    return best[1]


def cands(rows: Sequence[Row]) -> list[int]:
    return [i for i, r in enumerate(rows) if r.rule == "missing"]


def matrix(rows: Sequence[Row], idx: Sequence[int]) -> np.ndarray:
    return np.array([[rows[i].feats[f] for f in FEATURES] for i in idx], dtype=np.float64)


def target(rows: Sequence[Row], idx: Sequence[int]) -> np.ndarray:
    return np.array([rows[i].label == "present" for i in idx], dtype=int)


def make_model(kind: str):  # type: ignore[no-untyped-def]
    if kind == "logreg":
        return LogisticRegression(C=1.0, max_iter=2000)
    return HistGradientBoostingClassifier(max_depth=3, max_iter=150, learning_rate=0.05, random_state=0)


def item_prior(
    rows: Sequence[Row], tr: Sequence[int], te_rows: Sequence[Row], te: Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Per-item rate (on the training rows only, smoothed towards the overall rate with weight 5) at
    which a reader finds documented an item the rules call missing: a column for train and test."""
    y = target(rows, tr)
    base = float(y.mean()) if len(y) else 0.0
    hits: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, v in zip(tr, y, strict=True):
        hits[(rows[i].profile, rows[i].item)].append(int(v))

    def rate(r: Row) -> float:
        h = hits.get((r.profile, r.item), [])
        return (sum(h) + 5 * base) / (len(h) + 5)

    return np.array([[rate(rows[i])] for i in tr]), np.array([[rate(te_rows[i])] for i in te])


def design(
    rows: Sequence[Row], tr: Sequence[int], te_rows: Sequence[Row], te: Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    if not USE_PRIOR:
        return matrix(rows, tr), matrix(te_rows, te)
    ptr, pte = item_prior(rows, tr, te_rows, te)
    return np.hstack([matrix(rows, tr), ptr]), np.hstack([matrix(te_rows, te), pte])


USE_PRIOR = True


def fit_predict(kind: str, xtr: np.ndarray, ytr: np.ndarray, xte: np.ndarray) -> np.ndarray:
    scaler = StandardScaler().fit(xtr)
    model = make_model(kind).fit(scaler.transform(xtr), ytr)
    return np.asarray(model.predict_proba(scaler.transform(xte))[:, 1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("/work/cards-corpus"))
    ap.add_argument("--labels-dir", type=Path, default=Path(__file__).parent / "cards")
    ap.add_argument(
        "--splits",
        nargs="+",
        default=["dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7"],
    )
    ap.add_argument("--cache", type=Path, default=None, help="features JSON (written if absent, read if present)")
    ap.add_argument("--cost", action="store_true", help="time the model's load and a typical / huge card")
    args = ap.parse_args()
    if args.cost:
        return cost(args.corpus)
    if args.cache is not None and args.cache.is_file():
        rows = [Row(**r) for r in json.loads(args.cache.read_text("utf-8"))]
    else:
        wl = load_wordllama()
        rows = []
        for split in args.splits:
            t0 = time.perf_counter()
            rows += collect(args.corpus, args.labels_dir, split, wl)
            print(f"collected {split}: {time.perf_counter() - t0:.1f} s", flush=True)
        if args.cache is not None:
            args.cache.write_text(json.dumps([asdict(r) for r in rows]), "utf-8")
    diagnose(rows)
    evaluate(rows, args.splits)
    return 0


def y_of(r: Row) -> bool:
    return r.label == "present"


def diagnose(rows: Sequence[Row]) -> None:
    """The headroom and how well each feature separates: for the items the rules call missing,
    the readers' labels, each feature's ROC AUC for "a reader finds it present", and the best net
    gain any single threshold could reach IN-SAMPLE (an upper bound for method A)."""
    from sklearn.metrics import roc_auc_score

    ci = cands(rows)
    y = target(rows, ci)
    mix: dict[str, int] = defaultdict(int)
    for i in ci:
        mix[rows[i].label] += 1
    print(f"items {len(rows)}; called missing by the rules {len(ci)}; their reader1 labels {dict(mix)}")
    print(f"ceiling: flipping every missing item a reader finds present gains {100 * y.sum() / len(rows):.1f} points")
    for f in FEATURES[:9]:
        x = np.array([rows[i].feats[f] for i in ci])
        gains = [net_gain(y, x >= t) for t in np.unique(x)]
        print(f"  {f:<15} AUC {roc_auc_score(y, x):.3f}; best in-sample net gain of one threshold {max(gains):+d}")
    # the same on English cards only, and with each item's similarity scaled by its spread
    foreign = re.compile(r"^(german|french|polish|spanish|italian|dutch)-")
    en = [i for i in ci if not foreign.match(rows[i].card)]
    print(f"  present on a non-English card: {sum(bool(foreign.match(rows[i].card)) for i in ci if y_of(rows[i]))}")
    spread: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for i in ci:
        for f in ("emb_head", "sent_own"):
            spread[(rows[i].profile, rows[i].item, f)].append(rows[i].feats[f])
    for f in ("emb_head", "sent_own"):
        xe = np.array([rows[i].feats[f] for i in en])
        ye = target(rows, en)
        print(
            f"  English cards {f:<10} AUC {roc_auc_score(ye, xe):.3f}; best in-sample net gain "
            f"{max(net_gain(ye, xe >= t) for t in np.unique(xe)):+d}"
        )
        v = [spread[(rows[i].profile, rows[i].item, f)] for i in ci]
        xz = np.array([(rows[i].feats[f] - np.mean(s)) / (np.std(s) + 1e-6) for i, s in zip(ci, v, strict=True)])
        print(f"  per-item z-score {f:<8} AUC {roc_auc_score(y, xz):.3f}")
    named = 0
    for i in ci:
        r = rows[i]
        if y_of(r):
            head = re.sub(r"^[\d. ]+", "", r.where.rsplit(" (line", 1)[0].lower()).strip()
            named += bool(head) and head[:25] in r.note.lower()
    print(f"  the best chunk's heading is in the reader's note for {named} of {int(y.sum())}")
    x_all, _ = design(rows, ci, rows, ci)
    for kind in ("logreg", "gbt"):
        p = fit_predict(kind, x_all, y, x_all)
        gain = max(net_gain(y, p >= t) for t in np.unique(p))
        print(
            f"  B-{kind} fitted and thresholded on every split (in-sample bound): net gain {gain:+d}"
            f" = {100 * gain / len(rows):+.1f} points"
        )


def a_score(r: Row) -> float:
    """Method A's score: the best similarity of a chunk to the item's description or any alias."""
    return max(r.feats["emb_desc"], r.feats["emb_alias"])


def evaluate(rows: list[Row], splits: Sequence[str]) -> None:
    by_split = {s: [r for r in rows if r.split == s] for s in splits}
    methods = ("rules", "A-emb", "A-emb/profile", "A-sent", "B-logreg", "B-gbt")
    flips: dict[tuple[str, str], set[int]] = {}
    chosen: dict[tuple[str, str], str] = {}
    for s in splits:
        test = by_split[s]
        train = [r for r in rows if r.split != s]
        ci_te, ci_tr = cands(test), cands(train)
        flips[("rules", s)] = set()
        # A: one threshold on the item's similarity to its best chunk
        t = best_threshold(np.array([a_score(train[i]) for i in ci_tr]), target(train, ci_tr))
        flips[("A-emb", s)] = {i for i in ci_te if a_score(test[i]) >= t}
        chosen[("A-emb", s)] = f"{t:.2f}"
        # A on sentences rather than 60-word chunks
        t = best_threshold(np.array([train[i].feats["sent_max"] for i in ci_tr]), target(train, ci_tr))
        flips[("A-sent", s)] = {i for i in ci_te if test[i].feats["sent_max"] >= t}
        chosen[("A-sent", s)] = f"{t:.2f}"
        # A per profile
        fl: set[int] = set()
        parts = []
        for p in PROFILES:
            tr_p = [i for i in ci_tr if train[i].profile == p]
            tp = best_threshold(np.array([a_score(train[i]) for i in tr_p]), target(train, tr_p))
            fl |= {i for i in ci_te if test[i].profile == p and a_score(test[i]) >= tp}
            parts.append(f"{p[:5]}={tp:.2f}")
        flips[("A-emb/profile", s)] = fl
        chosen[("A-emb/profile", s)] = " ".join(parts)
        # B: probability threshold chosen by an inner leave-one-split-out on the training splits
        for kind in ("logreg", "gbt"):
            inner_p: list[float] = []
            inner_y: list[int] = []
            for s2 in splits:
                if s2 == s:
                    continue
                tr2 = [i for i in ci_tr if train[i].split != s2]
                te2 = [i for i in ci_tr if train[i].split == s2]
                if not te2:
                    continue
                x2, xt2 = design(train, tr2, train, te2)
                inner_p += list(fit_predict(kind, x2, target(train, tr2), xt2))
                inner_y += list(target(train, te2))
            tb = best_threshold(np.array(inner_p), np.array(inner_y))
            x1, xt1 = design(train, ci_tr, test, ci_te)
            p = fit_predict(kind, x1, target(train, ci_tr), xt1)
            flips[(f"B-{kind}", s)] = {i for i, q in zip(ci_te, p, strict=True) if q >= tb}
            chosen[(f"B-{kind}", s)] = f"{tb:.2f}"
    table(by_split, splits, methods, flips, chosen)


def table(by_split, splits, methods, flips, chosen) -> None:  # type: ignore[no-untyped-def]
    for labels in ("reader1", "adjudicated"):
        adj = labels == "adjudicated"
        print(f"\n## agreement against {labels} labels (leave one split out)")
        for scope in ("ALL", *PROFILES):
            print(f"\n{scope}")
            print(f"{'split':<10}{'items':>6}" + "".join(f"{m:>14}" for m in methods))
            sums: dict[str, list[float]] = defaultdict(list)
            for s in splits:
                rows = [r for r in by_split[s] if scope == "ALL" or r.profile == scope]
                keep = {i for i, r in enumerate(by_split[s]) if scope == "ALL" or r.profile == scope}
                index = {old: new for new, old in enumerate(sorted(keep))}
                cells = []
                n = 0
                for m in methods:
                    f = {index[i] for i in flips[(m, s)] if i in keep}
                    a, n = agreement(rows, f, adj)
                    cells.append(a)
                    if not math.isnan(a):
                        sums[m].append(a)
                if n == 0:
                    continue
                print(f"{s:<10}{n:>6}" + "".join(f"{100 * a:>13.1f}%" for a in cells))
            print(f"{'mean':<16}" + "".join(f"{100 * np.mean(sums[m]):>13.1f}%" for m in methods))
            base = np.array(sums["rules"])
            print(
                f"{'mean delta':<16}" + "".join(f"{100 * (np.mean(sums[m]) - base.mean()):>+13.1f} " for m in methods)
            )
            print(
                f"{'worst fold':<16}" + "".join(f"{100 * (np.array(sums[m]) - base).min():>+13.1f} " for m in methods)
            )
    print("\nthresholds chosen per held-out split:")
    for m in methods[1:]:
        print(f"  {m}: " + ", ".join(f"{s}={chosen[(m, s)]}" for s in splits))
    print("\nflips per split (reader1: present / other):")
    for m in methods[1:]:
        cells = []
        for s in splits:
            rs = by_split[s]
            good = sum(rs[i].label == "present" for i in flips[(m, s)])
            cells.append(f"{s}={good}/{len(flips[(m, s)]) - good}")
        print(f"  {m}: " + ", ".join(cells))


def cost(corpus: Path) -> int:
    from bench_card_parsing import synthetic_card

    from tef_harness.api import TextDocument

    t0 = time.perf_counter()
    wl = load_wordllama()
    print(f"load: {time.perf_counter() - t0:.2f} s")
    profile = load_documentation_profile("eu-ai-act-annex-iv")[0]
    item_text = [f"{i.title}. {i.hint}" for i in profile.items]
    typical = find_card(corpus / "heldout7", "annexiv-ama-adaptive-learning") or find_card(
        corpus / "dev", "classic-gpt2"
    )
    docs = []
    if typical is not None:
        docs.append(("typical " + typical.name, parse_document(read_document(typical, role="card", field="card"))))
    big = synthetic_card(30000)
    docs.append(("30,000 sections", parse_document(TextDocument(role="card", path="<synthetic>", sha256="", text=big))))
    for name, doc in docs:
        t0 = time.perf_counter()
        assess(profile, [doc])
        rules = time.perf_counter() - t0
        t0 = time.perf_counter()
        ch = chunks(doc)
        cvec = norm_rows(np.asarray(wl.embed([c[2] for c in ch])))
        desc = norm_rows(np.asarray(wl.embed(item_text)))
        (desc @ cvec.T).max(axis=1)
        emb = time.perf_counter() - t0
        print(f"{name}: {len(ch)} chunks; rules assess {rules:.2f} s, embedding + similarity {emb:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
