"""Build the credit-scoring demo: data, a trained pipeline (skops + ONNX) and predictions.

Everything is synthetic and seeded, so the demo's findings are the same on every machine:
- a historical bias: at equal risk factors, women and young applicants were labelled as
  defaulting more often, and the model (which sees ``sex`` and ``age_group``) learns it;
- a free-text ``notes`` column where case workers pasted contact details (personal data);
- a fully grown random forest, which memorises its training rows (membership inference).

Usage: python examples/credit/build_demo.py [--rows 25000] [--out examples/credit/generated]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

NUMERIC = [
    "age",
    "income",
    "loan_amount",
    "loan_term_months",
    "credit_history_years",
    "open_accounts",
    "late_payments",
    "debt_to_income",
    "savings",
    "employment_years",
    "credit_utilization",
    "recent_inquiries",
]
CATEGORICAL = ["sex", "age_group", "housing", "purpose"]
TARGET = "default"
FIRST_NAMES = ["Anna", "Marek", "Lucía", "Jonas", "Chiara", "Pieter", "Aino", "Luca", "Sofia", "Tomás"]


def make_data(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sex = rng.choice(["female", "male"], size=n, p=[0.46, 0.54])
    age = np.clip(rng.gamma(9.0, 4.6, size=n).round(), 18, 85).astype(int)
    age_group = pd.cut(age, bins=[0, 25, 40, 60, 200], labels=["18-25", "26-40", "41-60", "61+"], right=True).astype(
        str
    )
    employment_years = np.clip(rng.exponential(6.0, n) * (age - 17) / 25, 0, age - 17).round(1)
    income = np.round(
        rng.lognormal(10.4, 0.45, n) * (1 + 0.012 * employment_years) * np.where(sex == "male", 1.08, 1.0), -1
    )
    housing = rng.choice(["own", "rent", "free"], size=n, p=[0.45, 0.45, 0.10])
    purpose = rng.choice(["car", "home", "education", "business", "consumer"], size=n, p=[0.3, 0.2, 0.1, 0.1, 0.3])
    loan_amount = np.round(rng.lognormal(9.2, 0.6, n) * np.where(purpose == "home", 3.0, 1.0), -1)
    loan_term_months = rng.choice([12, 24, 36, 48, 60, 120], size=n, p=[0.1, 0.2, 0.3, 0.15, 0.15, 0.1])
    credit_history_years = np.clip(rng.normal((age - 18) * 0.6, 3.0), 0, None).round(1)
    open_accounts = rng.poisson(3.5, n)
    late_payments = rng.poisson(0.6, n)
    debt_to_income = np.clip(rng.beta(2.2, 6.0, n) + loan_amount / income / 10, 0, 2).round(3)
    savings = np.round(rng.lognormal(8.0, 1.2, n) * (housing == "own") + rng.lognormal(6.5, 1.0, n), -1)
    credit_utilization = np.clip(rng.beta(2.0, 3.5, n) + 0.1 * late_payments, 0, 1).round(3)
    recent_inquiries = rng.poisson(1.2, n)

    risk = (
        -2.1
        + 2.6 * debt_to_income
        + 0.55 * late_payments
        + 1.3 * credit_utilization
        + 0.18 * recent_inquiries
        - 0.45 * np.log1p(savings / 1000)
        - 0.04 * credit_history_years
        - 0.5 * (np.log(income) - 10.4)
        + 0.006 * (loan_term_months - 36)
        + 0.3 * (housing == "rent")
        # historical labelling bias the model should not have learnt:
        + 0.55 * (sex == "female")
        + 0.45 * (age_group == "18-25")
    )
    default = (rng.uniform(size=n) < 1 / (1 + np.exp(-risk))).astype(int)

    notes = np.full(n, "", dtype=object)
    kinds = rng.choice(["none", "plain", "email", "phone", "iban"], size=n, p=[0.55, 0.37, 0.03, 0.03, 0.02])
    plain = ["applicant requested a shorter term", "documents complete", "salary slip verified", "co-signer declined"]
    for i in np.flatnonzero(kinds != "none"):
        name = FIRST_NAMES[rng.integers(len(FIRST_NAMES))]
        if kinds[i] == "plain":
            notes[i] = plain[rng.integers(len(plain))]
        elif kinds[i] == "email":
            notes[i] = f"call back {name.lower()}.{rng.integers(100, 999)}@example.org about the payslip"
        elif kinds[i] == "phone":
            notes[i] = f"applicant prefers phone: +44 20 7946 {rng.integers(1000, 9999)}"
        else:
            notes[i] = "refund to GB82 WEST 1234 5698 7654 32 after closing"
    return pd.DataFrame(
        {
            "age": age,
            "income": income,
            "loan_amount": loan_amount,
            "loan_term_months": loan_term_months,
            "credit_history_years": credit_history_years,
            "open_accounts": open_accounts,
            "late_payments": late_payments,
            "debt_to_income": debt_to_income,
            "savings": savings,
            "employment_years": employment_years,
            "credit_utilization": credit_utilization,
            "recent_inquiries": recent_inquiries,
            "sex": sex,
            "age_group": age_group,
            "housing": housing,
            "purpose": purpose,
            "notes": notes,
            TARGET: default,
        }
    )


def build_pipeline(seed: int) -> object:
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    pre = ColumnTransformer(
        [("num", StandardScaler(), NUMERIC), ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL)]
    )
    forest = RandomForestClassifier(
        n_estimators=60, min_samples_leaf=1, max_features="sqrt", random_state=seed, n_jobs=2
    )
    return Pipeline([("preprocess", pre), ("classifier", forest)])


def export_onnx(pipe: object, path: Path) -> None:
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType

    inputs = [(c, FloatTensorType([None, 1])) for c in NUMERIC] + [
        (c, StringTensorType([None, 1])) for c in CATEGORICAL
    ]
    onx = to_onnx(pipe, initial_types=inputs, options={"zipmap": False}, target_opset={"": 17, "ai.onnx.ml": 3})
    path.write_bytes(onx.SerializeToString())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=25_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "generated")
    args = parser.parse_args()
    import skops.io as sio

    args.out.mkdir(parents=True, exist_ok=True)
    df = make_data(args.rows, args.seed)
    # numeric inputs as float32-representable values, so the ONNX export predicts the same
    df[NUMERIC] = df[NUMERIC].astype(np.float32).astype(np.float64)
    rng = np.random.default_rng(args.seed)
    order = rng.permutation(len(df))
    n_train = int(0.7 * len(df))
    train, holdout = df.iloc[order[:n_train]], df.iloc[order[n_train:]]
    pipe = build_pipeline(args.seed)
    pipe.fit(train[NUMERIC + CATEGORICAL], train[TARGET])  # type: ignore[attr-defined]

    holdout.reset_index(drop=True).to_csv(args.out / "eval.csv", index=False)
    train.sample(n=min(5_000, len(train)), random_state=args.seed).reset_index(drop=True).to_csv(
        args.out / "train_sample.csv", index=False
    )
    sio.dump(pipe, args.out / "model.skops")
    export_onnx(pipe, args.out / "model.onnx")
    print(f"demo built in {args.out}: {len(train)} training rows, {len(holdout)} evaluation rows")


if __name__ == "__main__":
    main()
