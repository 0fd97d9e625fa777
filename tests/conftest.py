"""Shared fixtures: small, real artifacts built once per session (no downloads)."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import settings as hypothesis_settings

from tef_harness.engine.offline import apply_offline_defaults

apply_offline_defaults()
# Every `tef check` would otherwise create an MLflow store in its temp folder (seconds each);
# the tracking tests (tests/tracking) turn it back on where they test it.
os.environ.setdefault("TEF_NO_TRACKING", "1")

# Hypothesis profiles. A red CI blocks every change, so CI and `make test` run a derandomized
# search: the same examples every run, no example database carried between runs. Development
# (`make test-fast`) keeps hypothesis' random search, and `make test-explore` widens it; a
# failure found there prints the seed to reproduce it (`--hypothesis-seed`).
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
hypothesis_settings.register_profile("dev", print_blob=True)
hypothesis_settings.register_profile("explore", max_examples=1000, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("TEF_HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_PLUGIN = ROOT / "tests" / "plugins" / "tef_example_plugin"
_PLUGIN_SITE = pytest.StashKey[Path]()


def _make_example_plugin_visible(site: Path) -> None:
    """The example third-party plugin, seen by tests only: its package folder and a
    ``dist-info`` written from its pyproject.toml go on this process's path and on
    ``PYTHONPATH`` for the ``tef`` processes tests start. Discovery reads it through
    ``importlib.metadata`` exactly as an installed distribution, and nothing is installed
    into the environment ``make demo`` and users run in."""
    import tomllib

    project = tomllib.loads((EXAMPLE_PLUGIN / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dist_info = site / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    dist_info.mkdir(parents=True, exist_ok=True)
    requires = "".join(f"Requires-Dist: {d}\n" for d in project.get("dependencies", []))
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n{requires}", encoding="utf-8"
    )
    lines = [f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in eps.items())
             for group, eps in project["entry-points"].items()]
    (dist_info / "entry_points.txt").write_text("\n".join(lines), encoding="utf-8")
    paths = [str(site), str(EXAMPLE_PLUGIN)]
    sys.path[:0] = paths
    os.environ["PYTHONPATH"] = os.pathsep.join([*paths, *filter(None, [os.environ.get("PYTHONPATH")])])


def pytest_configure(config: pytest.Config) -> None:
    import tempfile

    site = Path(tempfile.mkdtemp(prefix="tef-test-plugins-"))
    config.stash[_PLUGIN_SITE] = site
    _make_example_plugin_visible(site)


def pytest_unconfigure(config: pytest.Config) -> None:
    import shutil

    site = config.stash.get(_PLUGIN_SITE, None)
    if site is not None:
        shutil.rmtree(site, ignore_errors=True)



@pytest.fixture(scope="session", autouse=True)
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The harness's cache folder (the migrated MLflow store template) is a temp folder for the
    whole session, for this process and every ``tef`` it starts: tests never write into the
    user's ``~/.cache/tef-harness``, and never depend on what an earlier session left there."""
    from tef_harness.reports.sinks.mlflow_store_seed import CACHE_ENV

    folder = tmp_path_factory.mktemp("tef-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(CACHE_ENV, str(folder))
        yield folder


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/demo_report.json from this run instead of comparing with it",
    )


def _load_demo_builder():
    spec = importlib.util.spec_from_file_location("tef_demo_builder", ROOT / "examples/credit/build_demo.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["tef_demo_builder"] = module
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Artifacts:
    folder: Path
    eval_csv: Path
    train_csv: Path
    skops: Path
    onnx: Path
    pickle: Path
    card: Path
    features: list[str]

    def config(self, extra: str = "") -> str:
        """A tef.toml for these files; ``extra`` is raw TOML appended at the end."""
        lines = [
            'profile = "default"',
            "seed = 0",
            'out = "out"',
            "[model]",
            f'path = "{self.skops}"',
            'trusted_types = ["sklearn.tree._tree.Tree"]',
            "[data]",
            f'path = "{self.eval_csv}"',
            'target = "default"',
            'sensitive = ["sex", "age_group"]',
            "[documents]",
            f'card = "{self.card}"',
        ]
        return "\n".join(lines) + "\n" + extra


@pytest.fixture(scope="session")
def demo_builder():
    return _load_demo_builder()


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory, demo_builder) -> Artifacts:
    """A 3,000-row credit data set, a logistic-regression pipeline as skops, ONNX and pickle."""
    import joblib
    import skops.io as sio
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    folder = tmp_path_factory.mktemp("artifacts")
    b = demo_builder
    df = b.make_data(3000, seed=3)
    df[b.NUMERIC] = df[b.NUMERIC].astype(np.float32).astype(np.float64)
    train, holdout = df.iloc[:2000], df.iloc[2000:].reset_index(drop=True)
    features = b.NUMERIC + b.CATEGORICAL
    pipe = Pipeline(
        [
            (
                "pre",
                ColumnTransformer(
                    [
                        ("num", StandardScaler(), b.NUMERIC),
                        ("cat", OneHotEncoder(handle_unknown="ignore"), b.CATEGORICAL),
                    ]
                ),
            ),
            ("clf", LogisticRegression(max_iter=1000)),
        ]
    ).fit(train[features], train["default"])
    holdout.to_csv(folder / "eval.csv", index=False)
    train.iloc[:800].to_csv(folder / "train.csv", index=False)
    sio.dump(pipe, folder / "model.skops")
    b.export_onnx(pipe, folder / "model.onnx")
    joblib.dump(pipe, folder / "model.pkl")
    (folder / "card.md").write_text(
        (ROOT / "examples/credit/MODEL_CARD.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return Artifacts(
        folder,
        folder / "eval.csv",
        folder / "train.csv",
        folder / "model.skops",
        folder / "model.onnx",
        folder / "model.pkl",
        folder / "card.md",
        features,
    )


@pytest.fixture()
def in_tmp(tmp_path: Path):
    """Run a test inside an empty folder (config discovery walks up from the cwd)."""
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


@pytest.fixture()
def eval_frame(artifacts: Artifacts) -> pd.DataFrame:
    return pd.read_csv(artifacts.eval_csv)
