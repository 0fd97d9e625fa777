"""Helpers shared by the privacy tests (a plain module, not a conftest, so its name is unique)."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable

from faker import Faker

from tef_harness.checks.privacy.fast import Detection
from tef_harness.checks.privacy.recognizers import luhn


def luhn_number(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    return body + next(d for d in "0123456789" if luhn(body + d))


def _cycle(n: int, seed: int, makers: list[Callable[[Faker, random.Random], str]]) -> list[str]:
    """``n`` texts, taking the makers in turn, from a seeded Faker and Random."""
    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    return [makers[i % len(makers)](fake, rng) for i in range(n)]


def pii_texts(n: int, seed: int = 0) -> list[str]:
    """Short texts of the kinds a data set holds: names, sentences, and planted PII."""
    return _cycle(
        n,
        seed,
        [
            lambda f, r: f.name(),
            lambda f, r: f"call {f.phone_number()} about {f.sentence(nb_words=4)}",
            lambda f, r: f"mail {f.email()} now",
            lambda f, r: f"card {f.credit_card_number()} or {luhn_number('4', 19, r)}",
            lambda f, r: f"IBAN {f.iban()} on {f.date()}",
            lambda f, r: f"ssn {f.ssn()} ip {f.ipv4()} url {f.url()}",
            lambda f, r: f.address(),
            lambda f, r: f"phone: +1-{r.randint(201, 989)}-555-{r.randint(1000, 9999)}x{r.randint(1, 999)}",
            lambda f, r: f.sentence(nb_words=10),
        ],
    )


def bare_pii_texts(n: int, seed: int = 0) -> list[str]:
    """Values as a column holds them, without a lead word ("call", "mail"), some next to
    non-ASCII text: the cases where the column name alone decides presidio's context."""
    return _cycle(
        n,
        seed,
        [
            lambda f, r: f.phone_number(),
            lambda f, r: f.email(),
            lambda f, r: f.url(),
            lambda f, r: f"{r.randint(201, 989)}-555-{r.randint(1000, 9999)} Zürich Straße",
            lambda f, r: f"{f.ssn()} {f.ipv4()}",
            lambda f, r: f"Ölçek {f.email()} İstanbul ΟΔΟΣ",
            lambda f, r: f"+44 20 7946 {r.randint(1000, 9999)}",
        ],
    )


def as_detections(results: list) -> tuple[Detection, ...]:
    return tuple(sorted(Detection(r.entity_type, r.start, r.end, float(r.score)) for r in results))


class CharNgramLM:
    """A character n-gram language model with add-k smoothing, trained in the test: the
    smallest model that can memorise a planted canary."""

    def __init__(self, corpus: list[str], order: int = 5, k: float = 0.01) -> None:
        self.order, self.k = order, k
        self.alphabet = sorted({c for line in corpus for c in line} | set("0123456789\n"))
        self.counts: Counter[tuple[str, str]] = Counter()
        self.context_totals: Counter[str] = Counter()
        for line in corpus:
            padded = "\x02" * (order - 1) + line + "\n"
            for i in range(order - 1, len(padded)):
                ctx = padded[i - order + 1 : i]
                self.counts[(ctx, padded[i])] += 1
                self.context_totals[ctx] += 1

    def log_likelihood(self, text: str) -> float:
        padded = "\x02" * (self.order - 1) + text + "\n"
        v = len(self.alphabet)
        total = 0.0
        for i in range(self.order - 1, len(padded)):
            ctx = padded[i - self.order + 1 : i]
            num = self.counts[(ctx, padded[i])] + self.k
            den = self.context_totals[ctx] + self.k * v
            total += math.log(num / den)
        return total

    def generate(self, prompt: str, length: int = 30) -> str:
        """Greedy continuation (deterministic)."""
        text = prompt
        for _ in range(length):
            ctx = ("\x02" * (self.order - 1) + text)[-(self.order - 1) :]
            best = max(self.alphabet, key=lambda c: (self.counts[(ctx, c)], c))
            if best == "\n" or self.counts[(ctx, best)] == 0:
                break
            text += best
        return text[len(prompt) :]
