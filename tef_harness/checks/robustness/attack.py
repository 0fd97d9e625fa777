"""Decision-based black-box evasion on tabular rows, in a domain-aware search space.

The search space holds only the mutable numeric features with finite bounds, each scaled
to [0, 1] by its valid range; every point is projected back to a valid row (clipped to the
bounds, integers rounded, categorical and immutable features untouched) *before* the model
sees it, so the model only ever answers for valid rows. The :class:`Oracle` counts queries
per row, enforces the query budget, and keeps the closest adversarial point it has seen.

Two searches share the oracle:

- :func:`boundary_search` (default): HopSkipJump's scheme (Chen et al. 2020), vectorised
  across rows, drawing only from the check's seeded generator: start from the nearest
  differently-predicted data rows and random valid points, binary-search to the decision
  boundary, then repeat {estimate the boundary normal from signs of random probes, step
  along it, binary-search back}.
- :func:`art_hopskipjump`: ART's ``HopSkipJump`` with a ``BlackBoxClassifier``, one row at a
  time. ART draws its gradient probes from NumPy's *global* generator, so this path seeds and
  restores that state under a lock; it is offered for cross-checking, not as the default.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tef_harness.api import ModelAnswer, ModelClient
from tef_harness.checks.robustness.schema import Domain, FeatureDomain


class BudgetExhausted(Exception):
    """The query or time budget ran out (raised inside ART's loop to stop it)."""


class ModelCallFailed(Exception):
    """A query the model did not answer validly; the answer says how (it stops the search)."""

    def __init__(self, answer: ModelAnswer):
        super().__init__(answer.reason())
        self.answer = answer


@dataclass
class Space:
    """Maps points of [0, 1]^d to valid rows of the base frame."""

    base: pd.DataFrame
    features: tuple[FeatureDomain, ...]
    lo: np.ndarray = field(init=False)
    width: np.ndarray = field(init=False)
    integer: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.lo = np.array([f.lo for f in self.features])
        self.width = np.array([f.hi - f.lo for f in self.features])
        self.integer = np.array([f.integer for f in self.features])

    @classmethod
    def from_domain(cls, base: pd.DataFrame, domain: Domain) -> Space:
        feats = tuple(f for f in domain.mutable_numeric if np.isfinite(f.hi - f.lo) and f.hi > f.lo)
        return cls(base, feats)

    @property
    def dim(self) -> int:
        return len(self.features)

    def encode(self, frame: pd.DataFrame) -> np.ndarray:
        values = frame[[f.name for f in self.features]].to_numpy(dtype=float)
        return np.asarray((values - self.lo) / self.width)

    def project(self, z: np.ndarray) -> np.ndarray:
        """The valid point nearest to ``z``: clipped to the bounds, integer features rounded."""
        x = self.lo + np.clip(z, 0.0, 1.0) * self.width
        x = np.where(self.integer, np.round(x), x)
        hi = self.lo + self.width
        x = np.clip(x, np.where(self.integer, np.ceil(self.lo), self.lo), np.where(self.integer, np.floor(hi), hi))
        return np.asarray((x - self.lo) / self.width)

    def rows(self, row_idx: np.ndarray, z: np.ndarray) -> pd.DataFrame:
        """Full valid rows: base rows ``row_idx`` with their mutable numeric features set from ``z``."""
        frame = self.base.iloc[row_idx].reset_index(drop=True)
        x = self.lo + self.project(z) * self.width
        for j, f in enumerate(self.features):
            col = x[:, j]
            if f.integer and pd.api.types.is_integer_dtype(frame[f.name].dtype):
                frame[f.name] = col.astype(frame[f.name].dtype)
            else:
                frame[f.name] = col
        return frame


class Oracle:
    """Asks the model whether projected points are adversarial for their rows."""

    def __init__(
        self,
        model: ModelClient,
        space: Space,
        clean_pred: np.ndarray,
        *,
        max_queries: int,
        timeout_s: float,
        deadline: float,
    ):
        self.model = model
        self.space = space
        self.clean = clean_pred
        self.max_queries = max_queries
        self.timeout_s = timeout_s
        self.deadline = deadline
        n = len(clean_pred)
        self.queries = np.zeros(n, dtype=np.int64)
        self.z0 = space.project(space.encode(space.base))
        self.best_z = np.full((n, space.dim), np.nan)
        self.best_dist = np.full(n, np.inf)
        self.time_exhausted = False

    def remaining(self, rows: np.ndarray) -> np.ndarray:
        return np.asarray(self.max_queries - self.queries[rows])

    def ask(self, rows: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Adversarial flags for points ``z`` (one per entry of ``rows``); projects first."""
        if len(rows) == 0:
            return np.zeros(0, dtype=bool)
        if time.monotonic() > self.deadline:
            self.time_exhausted = True
            raise BudgetExhausted("time")
        zp = self.space.project(z)
        frame = self.space.rows(rows, zp)
        res = self.model.call("predict", frame, timeout_s=self.timeout_s)
        if not res.ok:
            raise ModelCallFailed(res)
        np.add.at(self.queries, rows, 1)
        adv = np.asarray(res.value.reshape(-1).astype(object) != self.clean[rows].astype(object), dtype=bool)
        dist = np.linalg.norm(zp - self.z0[rows], axis=1)
        hits = np.flatnonzero(adv)
        if hits.size:
            # the closest adversarial point per row in this batch, then keep it if it beats the best so far
            hits = hits[np.lexsort((dist[hits], rows[hits]))]
            hits = hits[np.r_[True, rows[hits][1:] != rows[hits][:-1]]]
            better = hits[dist[hits] < self.best_dist[rows[hits]]]
            self.best_dist[rows[better]] = dist[better]
            self.best_z[rows[better]] = zp[better]
        return adv


def _init_candidates(
    oracle: Oracle,
    rows: np.ndarray,
    pool_z: np.ndarray,
    pool_pred: np.ndarray,
    n_near: int,
    n_random: int,
    rng: np.random.Generator,
) -> None:
    """Nearest differently-predicted pool rows, plus uniform random valid points."""
    z0 = oracle.z0[rows]
    cands, owners = [], []
    if len(pool_z):
        d = ((z0[:, None, :] - pool_z[None, :, :]) ** 2).sum(axis=2)
        d[oracle.clean[rows][:, None].astype(object) == pool_pred[None, :].astype(object)] = np.inf
        k = min(n_near, pool_z.shape[0])
        near = np.argsort(d, axis=1)[:, :k]
        ok = np.isfinite(np.take_along_axis(d, near, axis=1))
        for j in range(k):
            sel = ok[:, j]
            cands.append(pool_z[near[sel, j]])
            owners.append(rows[sel])
    if n_random:
        cands.append(rng.random((len(rows) * n_random, oracle.space.dim)))
        owners.append(np.repeat(rows, n_random))
    if cands:
        owner, cand = np.concatenate(owners), np.concatenate(cands)
        # within the query budget: each row's first candidates (nearest rows, then random)
        order = np.argsort(owner, kind="stable")
        rank = np.empty(len(owner), dtype=np.int64)
        starts = np.searchsorted(owner[order], owner[order])
        rank[order] = np.arange(len(owner)) - starts
        keep = rank < oracle.remaining(owner)
        oracle.ask(owner[keep], cand[keep])


def _binary_search(oracle: Oracle, rows: np.ndarray, steps: int, z1: np.ndarray | None = None) -> None:
    """Binary-search the boundary on the segment from each row's clean point to ``z1`` (an
    adversarial point; default: the row's best so far). The oracle keeps the closest hit."""
    z0 = oracle.z0[rows]
    z1 = oracle.best_z[rows].copy() if z1 is None else z1
    lo, hi = np.zeros(len(rows)), np.ones(len(rows))
    for _ in range(steps):
        mid = (lo + hi) / 2
        adv = oracle.ask(rows, z0 + mid[:, None] * (z1 - z0))
        hi = np.where(adv, mid, hi)
        lo = np.where(adv, lo, mid)


def boundary_search(
    oracle: Oracle,
    pool_z: np.ndarray,
    pool_pred: np.ndarray,
    rng: np.random.Generator,
    *,
    n_near: int = 8,
    n_random: int = 16,
    n_probes: int = 32,
    n_steps: int = 6,
    binary_steps: int = 10,
    max_iter: int = 50,
) -> None:
    """HopSkipJump-style search for every row of the oracle, within its query budget."""
    n, d = len(oracle.clean), oracle.space.dim
    rows = np.arange(n)
    try:
        _init_candidates(oracle, rows, pool_z, pool_pred, n_near, n_random, rng)
        found = rows[np.isfinite(oracle.best_dist)]
        _binary_search(oracle, found[oracle.remaining(found) >= binary_steps], binary_steps)
        per_iter = n_probes + n_steps + binary_steps
        for t in range(max_iter):
            active = found[oracle.remaining(found) >= per_iter]
            if len(active) == 0:
                break
            zb = oracle.best_z[active]
            dist = oracle.best_dist[active]
            delta = np.maximum(np.sqrt(d) * 1e-3, 0.05 * dist)
            u = rng.standard_normal((len(active), n_probes, d))
            u /= np.linalg.norm(u, axis=2, keepdims=True)
            probes = zb[:, None, :] + delta[:, None, None] * u
            phi = oracle.ask(np.repeat(active, n_probes), probes.reshape(-1, d)).reshape(len(active), n_probes)
            sign = np.where(phi, 1.0, -1.0)
            centred = sign - sign.mean(axis=1, keepdims=True)
            centred = np.where(np.abs(centred).sum(axis=1, keepdims=True) > 0, centred, sign)
            grad = (centred[:, :, None] * u).mean(axis=1)
            grad /= np.maximum(np.linalg.norm(grad, axis=1, keepdims=True), 1e-12)
            # geometric step sizes, all queried at once; keep the largest adversarial one
            eps = dist / np.sqrt(t + 1.0)
            scales = 0.5 ** np.arange(n_steps)
            steps = zb[:, None, :] + (eps[:, None, None] * scales[None, :, None]) * grad[:, None, :]
            hit = oracle.ask(np.repeat(active, n_steps), steps.reshape(-1, d)).reshape(len(active), n_steps)
            # HopSkipJump: from the largest adversarial step, binary-search back toward the clean point
            stepped = hit.any(axis=1)
            first = hit.argmax(axis=1)
            ends = steps[np.arange(len(active)), first][stepped]
            _binary_search(oracle, active[stepped], binary_steps, ends)
    except BudgetExhausted:
        return


_GLOBAL_RNG_LOCK = threading.Lock()


def art_hopskipjump(
    oracle: Oracle,
    pool_z: np.ndarray,
    pool_pred: np.ndarray,
    rng: np.random.Generator,
    *,
    classes: tuple[object, ...],
    max_iter: int = 20,
    max_eval: int = 200,
    init_eval: int = 20,
) -> None:
    """ART's HopSkipJump, untargeted, L2, one row at a time, started from the nearest
    adversarial candidate found by the same initialisation as :func:`boundary_search`."""
    from art.attacks.evasion import HopSkipJump
    from art.estimators.classification import BlackBoxClassifier

    n = len(oracle.clean)
    try:
        _init_candidates(oracle, np.arange(n), pool_z, pool_pred, 8, 16, rng)
    except BudgetExhausted:
        return
    index = {c: k for k, c in enumerate(classes)}
    seeds = rng.integers(0, 2**32 - 1, size=n)
    with _GLOBAL_RNG_LOCK:
        state = np.random.get_state()
        try:
            for r in np.flatnonzero(np.isfinite(oracle.best_dist)):
                row = np.array([r])

                def predict(z: np.ndarray, row: np.ndarray = row) -> np.ndarray:
                    rows = np.repeat(row, len(z))
                    if oracle.queries[row[0]] + len(z) > oracle.max_queries:
                        raise BudgetExhausted("queries")
                    adv = oracle.ask(rows, z)
                    labels = np.where(adv, -1, index[oracle.clean[row[0]]])
                    # a point that changes the prediction is scored as "some other class"
                    other = (index[oracle.clean[row[0]]] + 1) % len(classes)
                    out = np.zeros((len(z), len(classes)))
                    out[np.arange(len(z)), np.where(labels < 0, other, labels)] = 1.0
                    return out

                clf = BlackBoxClassifier(
                    predict, input_shape=(oracle.space.dim,), nb_classes=len(classes), clip_values=(0.0, 1.0)
                )
                attack = HopSkipJump(
                    clf,
                    targeted=False,
                    norm=2,
                    max_iter=max_iter,
                    max_eval=max_eval,
                    init_eval=init_eval,
                    verbose=False,
                )
                np.random.seed(int(seeds[r]))
                try:
                    attack.generate(oracle.z0[row].astype(np.float32), x_adv_init=oracle.best_z[row].astype(np.float32))
                except BudgetExhausted:
                    if oracle.time_exhausted:
                        break
        finally:
            np.random.set_state(state)
