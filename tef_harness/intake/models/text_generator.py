"""Text-generating models: a Python callable (``module:function`` or ``path/file.py:function``)
or an MLflow pyfunc that returns text, plus an optional sequence scorer for canary exposure.

Loading either runs the provider's code, so the adapter refuses unless the user trusted
the artifact explicitly (``--trust-artifact``); the report records that it was trusted.

Callable conventions:
- generate: ``f(prompt: str) -> str``, or with ``batched=True`` ``f(prompts: list[str]) -> list[str]``;
- log_likelihood: ``g(text: str) -> float``, the total natural-log likelihood of the text,
  or with ``batched=True`` ``g(texts: list[str]) -> sequence of floats``.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tef_harness.intake.hashing import sha256_file, sha256_tree
from tef_harness.sdk.errors import IntakeError
from tef_harness.sdk.model import ArtifactInfo, ModelAdapter

GenerateFn = Callable[..., Any]


def _load_callable(spec: str, *, base_dir: Path | None, file: str | Path | None, field: str) -> tuple[GenerateFn, str]:
    """Import ``module:function`` or ``path/to/file.py:function``; returns the callable and
    the sha256 of its source file (or of the spec when there is no file)."""
    module_part, sep, attr = spec.rpartition(":")
    if not sep or not module_part or not attr:
        raise IntakeError(f"expected 'module:function' or 'file.py:function', got {spec!r}", file=file, field=field)
    try:
        if module_part.endswith(".py"):
            path = Path(module_part)
            if not path.is_absolute() and base_dir is not None:
                path = base_dir / path
            if not path.is_file():
                raise IntakeError(f"source file {path} not found", file=file, field=field)
            name = "tef_user_generator_" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
            mod_spec = importlib.util.spec_from_file_location(name, path)
            if mod_spec is None or mod_spec.loader is None:
                raise IntakeError(f"cannot import {path}", file=file, field=field)
            module = importlib.util.module_from_spec(mod_spec)
            sys.modules[name] = module
            mod_spec.loader.exec_module(module)
        else:
            module = importlib.import_module(module_part)
        fn = getattr(module, attr)
    except IntakeError:
        raise
    except AttributeError:
        raise IntakeError(f"{module_part} has no attribute {attr!r}", file=file, field=field) from None
    except Exception as exc:  # noqa: BLE001 - user code may raise anything on import
        raise IntakeError(f"cannot import {module_part}: {type(exc).__name__}", file=file, field=field) from None
    if not callable(fn):
        raise IntakeError(f"{spec} is not callable", file=file, field=field)
    return fn, _source_digest(fn, spec)


def _source_digest(fn: Any, spec: str) -> str:
    try:
        src = inspect.getsourcefile(fn)
    except TypeError:
        src = None
    if src and Path(src).is_file():
        return sha256_file(Path(src))
    return hashlib.sha256(spec.encode()).hexdigest()


class TextGeneratorAdapter(ModelAdapter):
    """A model that continues prompts with text; ``predict`` generates from the first
    column of the frame, so the generic checks see one output per row."""

    has_generate = True
    scores_new_rows = True

    def __init__(
        self,
        generate: str,
        *,
        trusted: bool,
        log_likelihood: str | None = None,
        batched: bool = False,
        base_dir: Path | None = None,
        file: str | Path | None = None,
        field: str = "model.callable",
        log_likelihood_field: str = "model.log_likelihood",
    ) -> None:
        if not trusted:
            raise IntakeError(
                "a text-generator callable runs the provider's code; refused unless the artifact is "
                "trusted explicitly (--trust-artifact)",
                file=file,
                field=field,
            )
        gen, digest = _load_callable(generate, base_dir=base_dir, file=file, field=field)
        ll = None
        if log_likelihood is not None:
            ll, ll_digest = _load_callable(log_likelihood, base_dir=base_dir, file=file, field=log_likelihood_field)
            digest = hashlib.sha256((digest + ll_digest).encode()).hexdigest()
        self._init(gen, ll, batched, ArtifactInfo(
            adapter="text-generator",
            path=generate,
            sha256=digest,
            description=f"Python callable {generate}" + (f" with scorer {log_likelihood}" if log_likelihood else ""),
            trusted=True,
            metadata={"log_likelihood": log_likelihood or ""},
        ))

    def _init(self, gen: GenerateFn, ll: GenerateFn | None, batched: bool, info: ArtifactInfo) -> None:
        self._generate = gen
        self._log_likelihood = ll
        self._batched = batched
        self.has_log_likelihood = ll is not None
        self.info = info

    @classmethod
    def from_callables(
        cls,
        generate: GenerateFn,
        log_likelihood: GenerateFn | None = None,
        *,
        batched: bool = False,
        name: str = "<memory>",
    ) -> TextGeneratorAdapter:
        """For code already running in this process (tests, notebooks): nothing to trust."""
        self = cls.__new__(cls)
        self._init(generate, log_likelihood, batched, ArtifactInfo(
            adapter="text-generator", path=name, sha256="0" * 64, description=f"in-memory callable {name}",
        ))
        return self

    @classmethod
    def from_mlflow(
        cls, uri: str, *, trusted: bool, file: str | Path | None = None, field: str = "model.path"
    ) -> TextGeneratorAdapter:
        """An MLflow pyfunc whose ``predict`` takes a frame with a ``prompt`` column and
        returns one text per row."""
        if not trusted:
            raise IntakeError(
                "an MLflow pyfunc model runs the provider's code; refused unless trusted (--trust-artifact)",
                file=file,
                field=field,
            )
        try:
            import mlflow.pyfunc

            model = mlflow.pyfunc.load_model(uri)
        except Exception as exc:  # noqa: BLE001 - mlflow raises many types
            raise IntakeError(f"cannot load MLflow model: {type(exc).__name__}", file=file, field=field) from None

        def generate(prompts: list[str]) -> list[str]:
            out = model.predict(pd.DataFrame({"prompt": prompts}))
            if isinstance(out, pd.DataFrame):
                out = out.iloc[:, 0]
            return [str(o) for o in list(out)]

        path = Path(uri)
        digest = sha256_tree(path) if path.is_dir() else hashlib.sha256(uri.encode()).hexdigest()
        self = cls.__new__(cls)
        self._init(generate, None, True, ArtifactInfo(
            adapter="text-generator-mlflow", path=uri, sha256=digest,
            description="MLflow pyfunc returning text", trusted=True,
        ))
        return self

    def generate(self, prompts: Sequence[str]) -> list[str]:
        if self._batched:
            out = list(self._generate(list(prompts)))
            if len(out) != len(prompts):
                raise IntakeError(
                    f"generator returned {len(out)} texts for {len(prompts)} prompts", field="model.callable"
                )
            return [str(o) for o in out]
        return [str(self._generate(p)) for p in prompts]

    def log_likelihood(self, texts: Sequence[str]) -> np.ndarray:
        if self._log_likelihood is None:
            return super().log_likelihood(texts)
        if self._batched:
            return np.asarray(self._log_likelihood(list(texts)), dtype=float)
        return np.array([float(self._log_likelihood(t)) for t in texts], dtype=float)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        prompts = ["" if pd.isna(v) else str(v) for v in X.iloc[:, 0].tolist()]
        return np.asarray(self.generate(prompts), dtype=object)


def load_text_generator(
    spec: str,
    log_likelihood: str | None = None,
    *,
    trusted: bool,
    base_dir: Path | None = None,
    batched: bool = False,
) -> TextGeneratorAdapter:
    """The config's ``model.callable`` (and ``model.log_likelihood``) as an adapter;
    relative ``file.py`` paths resolve against ``base_dir`` (the config's folder)."""
    return TextGeneratorAdapter(
        spec, trusted=trusted, log_likelihood=log_likelihood, batched=batched, base_dir=base_dir
    )
