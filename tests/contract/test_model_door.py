"""One door to the model: no check module touches the adapter except through the model
client (``ctx.model``), whose public members are the only ones a check may use."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tef_harness.sdk.model import ModelClient
from tests.contract.test_layout import CHECK_MODULES, CHECKS_DIR

#: what a check may use of ``ctx.model``: the client's public interface, nothing behind it
CLIENT_MEMBERS = frozenset(n for n in [*dir(ModelClient), *ModelClient.__annotations__] if not n.startswith("_"))
#: names of what sits behind the client; a check module never names them
BEHIND_THE_DOOR = frozenset(
    {"ModelAdapter", "ModelTransport", "InProcessTransport", "GuardedModelClient", "call_with_timeout"}
)


def _model_names(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Local names bound to the model client: ``model = ctx.model`` or ``model: ModelClient``."""
    names = {
        a.arg
        for a in [*fn.args.args, *fn.args.kwonlyargs]
        if a.annotation is not None and "ModelClient" in ast.unparse(a.annotation)
    }
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and _is_model(node.value, set()):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _is_model(node: ast.expr, names: set[str]) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "model") or (
        isinstance(node, ast.Name) and node.id in names
    )


def door_violations(source: str) -> list[str]:
    tree = ast.parse(source)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name | ast.alias):
            name = node.id if isinstance(node, ast.Name) else node.name.rpartition(".")[2]
            if name in BEHIND_THE_DOOR:
                found.append(f"line {getattr(node, 'lineno', '?')}: names {name}")
    scopes: list[tuple[ast.AST, set[str]]] = [(tree, set())]
    functions = [fn for fn in ast.walk(tree) if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)]
    scopes += [(fn, _model_names(fn)) for fn in functions]
    for scope, names in scopes:
        for node in ast.walk(scope):
            if isinstance(node, ast.Attribute) and _is_model(node.value, names) and node.attr not in CLIENT_MEMBERS:
                found.append(f"line {node.lineno}: {ast.unparse(node)} is not a ModelClient member")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("getattr", "vars", "setattr")
                and node.args
                and _is_model(node.args[0], names)
            ):
                found.append(f"line {node.lineno}: {ast.unparse(node)} reaches around the client")
    return sorted(set(found))


@pytest.mark.parametrize("path", CHECK_MODULES, ids=lambda p: str(p.relative_to(CHECKS_DIR)))
def test_checks_reach_the_model_only_through_the_client(path: Path) -> None:
    bad = door_violations(path.read_text(encoding="utf-8"))
    assert not bad, f"{path.name}: use ctx.model's public members (call, predict, ...):\n" + "\n".join(bad)


@pytest.mark.parametrize(
    ("source", "needle"),
    [
        ("def f(ctx):\n    return ctx.model._transport", "_transport"),
        ("def f(ctx):\n    m = ctx.model\n    return m.estimator.predict(ctx.X)", "m.estimator"),
        ("def f(model: ModelClient):\n    return model._adapter", "model._adapter"),
        ("from tef_harness.api import ModelAdapter", "ModelAdapter"),
        ("from tef_harness.intake.model_call import call_with_timeout", "call_with_timeout"),
        ("def f(ctx):\n    return getattr(ctx.model, '_adapter')", "getattr"),
    ],
)
def test_the_door_rule_on_planted_code(source: str, needle: str) -> None:
    found = door_violations(source)
    assert any(needle in f for f in found), (source, found)


def test_the_client_members_a_check_uses_are_allowed() -> None:
    ok = (
        "def f(ctx, X):\n    ctx.model.call('predict', X, timeout_s=1)\n"
        "    return ctx.model.info, ctx.model.predict(X)\n"
    )
    assert door_violations(ok) == []
    assert {"call", "predict", "predict_proba", "generate", "log_likelihood", "calls", "info"} <= CLIENT_MEMBERS


#: modules and calls that start threads or processes; the engine's workers (``ctx.map``) do that
STARTS_WORKERS = ("multiprocessing", "concurrent", "subprocess", "os.fork", "threading.Thread", "Pool")


def worker_violations(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names]
            base = [node.module or ""] if isinstance(node, ast.ImportFrom) else names
            full = [*base, *(f"{base[0]}.{n}" for n in names)] if isinstance(node, ast.ImportFrom) else names
            found += [f"line {node.lineno}: imports {n}" for n in full if n.split(".")[0] in STARTS_WORKERS[:3]]
            found += [f"line {node.lineno}: imports {n}" for n in full if n in ("threading.Thread", "os.fork")]
        elif isinstance(node, ast.Attribute) and ast.unparse(node) in ("threading.Thread", "os.fork"):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


@pytest.mark.parametrize("path", CHECK_MODULES, ids=lambda p: str(p.relative_to(CHECKS_DIR)))
def test_no_check_starts_threads_or_processes(path: Path) -> None:
    bad = worker_violations(path.read_text(encoding="utf-8"))
    assert not bad, f"{path.name}: ask the engine's workers (ctx.map) instead:\n" + "\n".join(bad)


@pytest.mark.parametrize(
    "source",
    [
        "import multiprocessing",
        "from concurrent.futures import ProcessPoolExecutor",
        "import threading\nthreading.Thread(target=print).start()",
        "from threading import Thread",
        "import os\nos.fork()",
    ],
)
def test_the_worker_rule_on_planted_code(source: str) -> None:
    assert worker_violations(source)
    assert not worker_violations("import threading\nLOCK = threading.Lock()")


def run_raises_input_errors(source: str) -> list[str]:
    """``raise ConfigError/IntakeError`` written inside a check's ``run`` (they belong in ``bind``)."""
    found = []
    for cls in ast.walk(ast.parse(source)):
        if not isinstance(cls, ast.ClassDef):
            continue
        for fn in cls.body:
            if isinstance(fn, ast.FunctionDef) and fn.name == "run":
                for node in ast.walk(fn):
                    if isinstance(node, ast.Raise) and node.exc is not None:
                        text = ast.unparse(node.exc)
                        if text.startswith(("ConfigError", "IntakeError", "TefError")):
                            found.append(f"{cls.name}.run line {node.lineno}: raise {text[:60]}")
    return found


@pytest.mark.parametrize("path", CHECK_MODULES, ids=lambda p: str(p.relative_to(CHECKS_DIR)))
def test_no_check_raises_an_input_error_from_run(path: Path) -> None:
    bad = run_raises_input_errors(path.read_text(encoding="utf-8"))
    assert not bad, "validate in bind() instead:\n" + "\n".join(bad)
    planted = "class C(Check):\n    def run(self, ctx, params):\n        raise ConfigError('x', field='y')\n"
    assert run_raises_input_errors(planted)
