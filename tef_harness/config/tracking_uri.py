"""Which MLflow tracking store an audit goes to, decided before the audit runs (no mlflow import).

A malformed URI is a configuration error found before the first check runs (exit 2), not a
failure after a long audit. Precedence: ``--tracking-uri`` > ``[tracking] uri`` >
``MLFLOW_TRACKING_URI`` > the embedded default, ``sqlite:///<config folder>/mlflow.db``, so
``tef check`` works with nothing running and ``mlflow ui --backend-store-uri`` shows the runs.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tef_harness.config.schema import LoadedConfig
from tef_harness.sdk.errors import ConfigError

#: database stores SQLAlchemy understands (MLflow accepts dialect+driver, e.g. postgresql+psycopg2)
_DB_SCHEMES = ("sqlite", "postgresql", "mysql", "mssql")
EMBEDDED_DB = "mlflow.db"
#: artifacts of a local store live beside its database, not in ./mlruns under whatever the
#: working folder happens to be (MLflow's default when the experiment sets no location)
EMBEDDED_ARTIFACTS = "mlartifacts"


@dataclass(frozen=True)
class TrackingTarget:
    """A resolved tracking store.

    ``artifact_root`` is set for local database stores (new experiments keep their artifacts
    there) and None for servers, whose own artifact settings apply."""

    uri: str
    experiment: str | None
    register_alias: str | None
    artifact_root: Path | None
    embedded: bool
    #: register the audited model file as a new version of this registered model first
    register: str | None = None


def check_tracking_uri(uri: str) -> str:
    """Return ``uri`` if MLflow could use it; raise ValueError saying why not.

    Accepted: ``http(s)://host[:port][/path]``, ``sqlite:///path``, ``postgresql|mysql|mssql[+driver]://...``,
    ``databricks[://profile]``, ``file:///path``. A bare path is refused: MLflow 3 refuses a
    file store unless told otherwise, and a typo would otherwise become a folder."""
    text = uri.strip()
    if not text or any(c.isspace() for c in text):
        raise ValueError("tracking URI is empty or contains whitespace")
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    base = scheme.split("+", 1)[0]
    if scheme in ("http", "https"):
        if not parts.hostname:
            raise ValueError(f"tracking URI {text!r} has no host")
        try:
            parts.port  # noqa: B018 - raises ValueError on a non-numeric or out-of-range port
        except ValueError:
            raise ValueError(f"tracking URI {text!r} has an invalid port") from None
        return text
    if base == "sqlite":
        if not text.startswith(f"{scheme}:///") or len(text) <= len(f"{scheme}:///"):
            raise ValueError(f"tracking URI {text!r}: a sqlite URI is sqlite:///relative.db or sqlite:////abs.db")
        return text
    if base in _DB_SCHEMES:
        if not parts.netloc:
            raise ValueError(f"tracking URI {text!r} has no host")
        return text
    if text == "databricks" or scheme == "databricks" or (scheme == "file" and parts.path):
        return text
    raise ValueError(
        f"tracking URI {text!r} is not one MLflow accepts (http(s)://host:port, sqlite:///file.db, "
        "postgresql://..., mysql://..., databricks, file:///path)"
    )


def _resolve_sqlite(uri: str, base_dir: Path) -> tuple[str, Path]:
    """An absolute sqlite URI (a relative one is relative to the config folder) and its folder."""
    scheme, _, rest = uri.partition(":///")
    path = Path(rest) if rest.startswith("/") else base_dir / rest
    return f"{scheme}:///{path.resolve()}", path.resolve().parent


def resolve_tracking(
    lc: LoadedConfig, *, flag_uri: str | None = None, disabled: bool = False, flag_register: str | None = None
) -> TrackingTarget | None:
    """The store this audit is logged to, or None when tracking is off (``--no-tracking``,
    ``tracking.enabled = false``, or ``TEF_NO_TRACKING=1`` in the environment).

    Raises ConfigError (one line, naming where the URI came from) for a malformed URI, and
    for ``--register-as`` with tracking off (a ``[tracking] register_as`` key is then just unused)."""
    t = lc.config.tracking
    if disabled or not t.enabled or os.environ.get("TEF_NO_TRACKING", "") not in ("", "0"):
        if flag_register is not None:
            raise ConfigError("registers the model in MLflow, but tracking is off", field="--register-as")
        return None
    source, uri = "--tracking-uri", flag_uri
    if uri is None and t.uri is not None:
        source, uri = "tracking.uri", t.uri
    if uri is None and os.environ.get("MLFLOW_TRACKING_URI"):
        source, uri = "MLFLOW_TRACKING_URI", os.environ["MLFLOW_TRACKING_URI"]
    embedded = uri is None
    if uri is None:
        source, uri = "default", f"sqlite:///{EMBEDDED_DB}"
    try:
        uri = check_tracking_uri(uri)
    except ValueError as exc:
        raise ConfigError(str(exc), file=lc.source if source == "tracking.uri" else None, field=source) from None
    artifact_root: Path | None = None
    if uri.split(":", 1)[0].split("+", 1)[0] == "sqlite":
        # a path in the config is relative to its folder (like every path there); one typed on
        # the command line or in the environment, to the working folder
        relative_to = lc.base_dir if source in ("tracking.uri", "default") else Path.cwd()
        uri, folder = _resolve_sqlite(uri, relative_to)
        artifact_root = folder / EMBEDDED_ARTIFACTS
    return TrackingTarget(
        uri=uri,
        experiment=t.experiment,
        register_alias=t.register_alias,
        artifact_root=artifact_root,
        embedded=embedded,
        register=flag_register if flag_register is not None else t.register_as,
    )


_HTTP = re.compile(r"^https?://", re.IGNORECASE)


def is_http(uri: str) -> bool:
    return bool(_HTTP.match(uri))
