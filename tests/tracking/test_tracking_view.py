"""The report-to-tracker mapping as pure functions: keys MLflow accepts, one-to-one; digests
that identify repeats; URIs checked before an audit runs."""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tef_harness.config.schema import LoadedConfig, TefConfig, TrackingSection
from tef_harness.config.tracking_uri import check_tracking_uri, resolve_tracking
from tef_harness.reports.tracking_view import build_view, input_digest, registered_model, tracker_key
from tef_harness.sdk.errors import ConfigError
from tests.engine.report_factory import sample_report as make_report

MLFLOW_KEY = re.compile(r"^[/\w.\- :]*$")


def mlflow_accepts(key: str) -> bool:
    """MLflow's own rule (mlflow.utils.validation), written out independently."""
    norm = posixpath.normpath(key)
    return (
        0 < len(key) <= 250
        and bool(MLFLOW_KEY.fullmatch(key))
        and norm == key
        and norm != "."
        and not norm.startswith(("..", "/"))
    )


@pytest.mark.parametrize(
    "key", ["performance.metrics/roc_auc", "bias.group_fairness/dp_difference/sex/ci_low", "a b/c-d.e"]
)
def test_valid_keys_are_kept(key: str) -> None:
    assert tracker_key(key) == key


@pytest.mark.parametrize("key", ["a//b", "a/./b", "../a", "/a", "a/", "x|y", "é" * 300, "a" * 251])
def test_invalid_keys_are_sanitised_to_accepted_ones(key: str) -> None:
    out = tracker_key(key)
    assert out != key and mlflow_accepts(out)
    assert out.endswith(hashlib.sha256(key.encode()).hexdigest()[:8])


@given(st.lists(st.text(min_size=1, max_size=300), min_size=2, max_size=2, unique=True))
def test_tracker_key_is_one_to_one_and_always_accepted(pair: list[str]) -> None:
    a, b = (tracker_key(k) for k in pair)
    assert mlflow_accepts(a) and mlflow_accepts(b)
    assert a != b


def test_input_digest_ignores_out_and_tracking_but_not_inputs() -> None:
    base = make_report()
    moved = base.model_copy(update={"config": {**base.config, "out": "elsewhere", "tracking": {"uri": "x"}}})
    assert input_digest(moved) == input_digest(base)
    reseeded = base.model_copy(update={"config": {**base.config, "seed": 99}})
    assert input_digest(reseeded) != input_digest(base)


def test_view_metrics_params_and_tags_from_a_report() -> None:
    report = make_report()
    raw = report.model_dump_json().encode()
    view = build_view(report, raw)
    for r in report.results:
        assert view.tags[f"tef.status.{r.check_id}"] == r.status.value
        for m in r.metrics:
            assert view.metrics[f"{r.check_id}/{m.name}"] == m.value
            if m.ci is not None:
                assert view.metrics[f"{r.check_id}/{m.name}/ci_low"] == m.ci.low
                assert view.metrics[f"{r.check_id}/{m.name}/ci_high"] == m.ci.high
    assert view.report_digest == hashlib.sha256(raw).hexdigest()
    assert all(len(v) <= 500 for v in view.params.values())
    assert all(mlflow_accepts(k) for k in [*view.metrics, *view.params, *view.tags])


@pytest.mark.parametrize(
    ("path", "want"),
    [
        ("models:/credit/3", ("credit", "3", None)),
        ("models:/credit@champion", ("credit", None, "champion")),
        ("/tmp/model.skops", None),
        ("runs:/abc/model", None),
    ],
)
def test_registered_model_reference(path: str, want: tuple | None) -> None:
    report = make_report()
    assert report.subject.model is not None
    model = report.subject.model.model_copy(update={"path": path})
    report = report.model_copy(update={"subject": report.subject.model_copy(update={"model": model})})
    ref = registered_model(report)
    assert (None if ref is None else (ref.name, ref.version, ref.alias)) == want


@pytest.mark.parametrize(
    "uri", ["http://127.0.0.1:5000", "https://mlflow.example.org/prefix", "sqlite:///mlflow.db", "sqlite:////abs/x.db",
            "postgresql+psycopg2://u:p@host/db", "databricks", "file:///tmp/mlruns"],
)
def test_accepted_uris(uri: str) -> None:
    assert check_tracking_uri(uri) == uri


@pytest.mark.parametrize("uri", ["", "mlruns", "./mlruns", "htp:/x", "http://", "sqlite:/x.db", "sqlite://x.db",
                                 "http://h:port", "postgresql:///db", "http://a b"])
def test_refused_uris(uri: str) -> None:
    with pytest.raises(ValueError):
        check_tracking_uri(uri)


def _lc(tmp_path: Path, **tracking: object) -> LoadedConfig:
    return LoadedConfig(
        config=TefConfig(tracking=TrackingSection(**tracking)), source=str(tmp_path / "tef.toml"), base_dir=tmp_path
    )


def test_precedence_flag_then_config_then_env_then_embedded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEF_NO_TRACKING", raising=False)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://env:1")
    assert resolve_tracking(_lc(tmp_path, uri="http://cfg:1"), flag_uri="http://flag:1").uri == "http://flag:1"
    assert resolve_tracking(_lc(tmp_path, uri="http://cfg:1")).uri == "http://cfg:1"
    assert resolve_tracking(_lc(tmp_path)).uri == "http://env:1"
    monkeypatch.delenv("MLFLOW_TRACKING_URI")
    embedded = resolve_tracking(_lc(tmp_path))
    assert embedded is not None and embedded.embedded
    assert embedded.uri == f"sqlite:///{tmp_path.resolve() / 'mlflow.db'}"
    assert embedded.artifact_root == tmp_path.resolve() / "mlartifacts"
    # a relative sqlite path in the config is relative to the config's folder
    rel = resolve_tracking(_lc(tmp_path, uri="sqlite:///sub/t.db"))
    assert rel is not None and rel.uri == f"sqlite:///{tmp_path.resolve() / 'sub' / 't.db'}"
    assert resolve_tracking(_lc(tmp_path), disabled=True) is None
    assert resolve_tracking(_lc(tmp_path, enabled=False)) is None
    monkeypatch.setenv("TEF_NO_TRACKING", "1")
    assert resolve_tracking(_lc(tmp_path)) is None


def test_bad_env_uri_is_a_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEF_NO_TRACKING", raising=False)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "nonsense")
    with pytest.raises(ConfigError, match="MLFLOW_TRACKING_URI"):
        resolve_tracking(_lc(tmp_path))
