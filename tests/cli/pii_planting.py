"""A data set with personal data planted in every column, a model trained on it, and the
list of every planted value: the fixture of the masking property test.

Columns (every one a model input except the target):
- ``notes``: free text written by case workers, quoting e-mail addresses and phone numbers
  (a TF-IDF text column);
- ``advisor``: a categorical column whose few levels are e-mail addresses;
- ``phone``: a formatted phone number per row (a high-cardinality string column);
- ``iban``: an IBAN per row, in print format half the time;
- ``national_id``: a national identifier per row (Spanish NIF, Dutch BSN, Polish PESEL, ...);
- ``customer_no``: a numeric-looking identifier the CSV reader turns into integers;
- ``income``, ``sex``: ordinary features (``sex`` is the sensitive attribute);
- two features NAMED after a person: a numeric one whose column name is an e-mail address and
  a categorical one whose column name is a phone number (valid, as ``phonenumbers`` says), as
  pivoted contact exports have; the names are planted values too.
The formats come from Faker's locale providers, so the harness's detectors did not choose them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from faker import Faker

LOCALES = ("en_GB", "de_DE", "fr_FR", "it_IT", "es_ES", "nl_NL", "pl_PL")


def _national_id(fake: Faker, locale: str) -> str:
    if locale == "es_ES":
        return str(fake.nif())
    if locale == "pl_PL":
        return str(fake.pesel())
    return str(fake.ssn())


def _print_iban(iban: str) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


@dataclass(frozen=True)
class Planted:
    frame: pd.DataFrame
    values: tuple[str, ...]
    #: the columns whose names are personal data (numeric, categorical)
    named_columns: tuple[str, str]


def _valid_phone(fake: Faker, region: str) -> str:
    import phonenumbers

    while True:
        candidate = str(fake.phone_number())
        if phonenumbers.is_valid_number(phonenumbers.parse(candidate, region)):
            return candidate


def planted_frame(n: int, seed: int) -> Planted:
    rng = random.Random(seed)
    fakers = {loc: Faker(loc) for loc in LOCALES}
    for i, f in enumerate(fakers.values()):
        f.seed_instance(seed + i)
    advisors = [fakers["en_GB"].unique.email() for _ in range(4)]
    email_column, phone_column = fakers["en_GB"].unique.email(), _valid_phone(fakers["fr_FR"], "FR")
    planted: set[str] = {*advisors, email_column, phone_column}
    rows = []
    for i in range(n):
        loc = LOCALES[i % len(LOCALES)]
        fake = fakers[loc]
        email, phone = fake.unique.email(), fake.phone_number()
        iban = fake.iban()
        iban_text = _print_iban(iban) if i % 2 else iban
        nid = _national_id(fake, loc)
        customer_no = rng.randint(10**9, 10**10 - 1)
        good = rng.random() < 0.5
        mood = "happy with the service" if good else "complained about fees again"
        notes = f"{fake.sentence(nb_words=6)} Client {mood}; reach them at {email} or {phone}."
        rows.append(
            {
                "notes": notes,
                "advisor": advisors[i % len(advisors)],
                "phone": phone,
                "iban": iban_text,
                "national_id": nid,
                "customer_no": customer_no,
                "income": round(rng.uniform(1_000, 9_000), 2),
                "sex": rng.choice(["F", "M"]),
                email_column: round(rng.uniform(0, 1), 3),
                phone_column: rng.choice(["mobile", "landline"]),
                "default": int(not good if rng.random() < 0.85 else good),
            }
        )
        planted.update({email, phone, iban, iban_text, nid, str(customer_no)})
    frame = pd.DataFrame(rows)
    # short planted values ("M", a 4-digit extension) cannot be told apart from ordinary text
    values = tuple(sorted(v for v in planted if len(v) >= 8))
    return Planted(frame, values, (email_column, phone_column))


def train_text_model(frame: pd.DataFrame, path: Path, named_columns: tuple[str, str]) -> list[str]:
    """A TF-IDF + one-hot logistic regression over every column, saved with skops; returns
    the types skops needs trusted to load it."""
    import skops.io as sio
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    categorical = ["advisor", "phone", "iban", "national_id", "sex", named_columns[1]]
    pipe = Pipeline(
        [
            (
                "pre",
                ColumnTransformer(
                    [
                        ("text", TfidfVectorizer(), "notes"),
                        ("cat", OneHotEncoder(handle_unknown="ignore"), categorical),
                        ("num", StandardScaler(), ["income", "customer_no", named_columns[0]]),
                    ]
                ),
            ),
            ("clf", LogisticRegression(max_iter=1000)),
        ]
    )
    features = ["notes", *categorical, "income", "customer_no", named_columns[0]]
    pipe.fit(frame[features], frame["default"])
    sio.dump(pipe, path)
    return [str(t) for t in sio.get_untrusted_types(file=path)]


def card_text(planted: Planted) -> str:
    """A model card that quotes a contact e-mail and a phone number, as real cards do."""
    email = next(v for v in planted.values if "@" in v)
    phone = planted.frame["phone"].iloc[1]
    return (
        "# Model card\n\n## Intended use\nScoring loan applications.\n\n"
        f"## Contact\nWrite to {email} or call {phone}.\n\n## Limitations\nNone known.\n"
    )


def as_float_text(values: tuple[str, ...]) -> tuple[str, ...]:
    """Numeric-looking planted values as a report would print them after a float cast."""
    out = []
    for v in values:
        if v.isdigit():
            out.append(repr(float(np.float64(int(v)))))
    return tuple(out)
