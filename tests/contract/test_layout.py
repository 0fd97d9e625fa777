"""The package's seams, held by tests: built-in checks import only the plugin API and their
own family (exactly what a third-party plugin can do), the plugin API is a fixed list of
names that all live in ``tef_harness.sdk``, and only the engine's offline module writes
environment variables."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import tef_harness
import tef_harness.api as api
import tef_harness.sdk

PACKAGE_DIR = Path(tef_harness.__file__).parent
CHECKS_DIR = PACKAGE_DIR / "checks"

#: The plugin author's import path, as committed. Adding a name is an API change: add it here
#: in the same commit, and only if it is defined in tef_harness.sdk.
API_NAMES = [
    "AuditSpec",
    "CAPABILITIES",
    "CalibrationCurve",
    "Check",
    "CheckOutput",
    "CheckResult",
    "ConfigError",
    "Curve",
    "CurvePoint",
    "Dataset",
    "Dimensions",
    "EvidenceOutcome",
    "ExampleRows",
    "Finding",
    "GroupRow",
    "GroupTable",
    "IntakeError",
    "Interval",
    "ItemState",
    "ItemStates",
    "Measured",
    "Metric",
    "ModelAdapter",
    "ModelAnswer",
    "ModelCallError",
    "ModelClient",
    "Params",
    "PluginError",
    "ResultsView",
    "RunContext",
    "Severity",
    "Status",
    "Task",
    "TefError",
    "TextDocument",
    "View",
    "bca_interval",
    "bootstrap_indices",
    "data_text",
    "example_cell",
    "free_text_columns",
    "jackknife_blocks",
    "mask",
    "metric_name",
    "percentile_interval",
    "run_audit",
    "wilson_ci",
    "wilson_interval",
]
#: the two engine names the API re-exports on purpose (one audit as one function), lazily
ENGINE_API_NAMES = {"AuditSpec": "tef_harness.engine.audit", "run_audit": "tef_harness.engine.audit"}

#: api.__all__ before the package was reorganised; every one must keep importing
API_NAMES_BEFORE_REORGANISATION = {
    "CAPABILITIES", "Check", "CheckOutput", "Dataset", "Finding", "Interval", "Metric", "ModelAdapter", "Params",
    "RunContext", "Severity", "Status", "Task", "TextDocument", "bootstrap_indices", "mask", "metric_name",
    "percentile_interval", "wilson_ci", "wilson_interval",
}  # fmt: skip


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Every module a source imports, absolute, with its line; relative imports resolved
    against ``module``, and ``from pkg import name`` counted as importing ``pkg.name``."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names if alias.name != "*"]
    return found


def allowed(target: str, module: str) -> bool:
    if target != "tef_harness" and not target.startswith("tef_harness."):
        return True  # a third-party or standard-library import
    family = ".".join(module.split(".")[:3])  # tef_harness.checks.<family>
    ok_prefixes = ["tef_harness.api", "tef_harness.sdk"]
    if family.count(".") == 2:
        ok_prefixes.append(family)
    return any(target == p or target.startswith(p + ".") for p in ok_prefixes)


def forbidden_imports(source: str, module: str, is_package: bool = False) -> list[str]:
    # ``from tef_harness import api`` yields the top-level package as well as ``tef_harness.api``:
    # the package alone is harmless, each name imported from it is judged on its own
    return [
        f"{module}:{line}: {target}"
        for line, target in imported_modules(source, module, is_package)
        if target != "tef_harness" and not allowed(target, module)
    ]


CHECK_MODULES = sorted(CHECKS_DIR.rglob("*.py"))


def test_the_walk_sees_every_family() -> None:
    families = {p.relative_to(CHECKS_DIR).parts[0] for p in CHECK_MODULES if len(p.relative_to(CHECKS_DIR).parts) > 1}
    assert {"bias", "documentation", "performance", "privacy", "robustness"} <= families
    assert len(CHECK_MODULES) > 40


@pytest.mark.parametrize("path", CHECK_MODULES, ids=lambda p: str(p.relative_to(CHECKS_DIR)))
def test_checks_import_only_the_api_and_their_family(path: Path) -> None:
    bad = forbidden_imports(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")
    assert not bad, "import tef_harness.api (or your own family) instead:\n" + "\n".join(bad)


@pytest.mark.parametrize(
    ("source", "module", "bad"),
    [
        ("from tef_harness.sdk.errors import ConfigError", "tef_harness.checks.bias.x", []),
        ("from tef_harness.api import Check", "tef_harness.checks.bias.x", []),
        ("from tef_harness.checks.bias._common import num", "tef_harness.checks.bias.x", []),
        ("from . import _common", "tef_harness.checks.bias.x", []),
        ("from ._common import num", "tef_harness.checks.bias.x", []),
        ("import numpy as np\nimport os", "tef_harness.checks.bias.x", []),
        ("from tef_harness.engine.judge import judge", "tef_harness.checks.bias.x", ["tef_harness.engine.judge"]),
        ("import tef_harness.reports.schema", "tef_harness.checks.bias.x", ["tef_harness.reports.schema"]),
        ("from tef_harness import engine", "tef_harness.checks.bias.x", ["tef_harness.engine"]),
        ("from tef_harness import api", "tef_harness.checks.bias.x", []),
        ("from tef_harness.checks import privacy", "tef_harness.checks.bias.x", ["tef_harness.checks.privacy"]),
        ("from ..privacy.scan import x", "tef_harness.checks.bias.x", ["tef_harness.checks.privacy.scan"]),
        ("from ...intake import build", "tef_harness.checks.bias.x", ["tef_harness.intake"]),
        ("def f():\n    from tef_harness.config import schema", "tef_harness.checks.bias.x", ["config.schema"]),
    ],
)
def test_the_import_rule_on_planted_imports(source: str, module: str, bad: list[str]) -> None:
    found = forbidden_imports(source, module)
    for needle in bad:
        assert any(needle in f for f in found), (source, found)
    assert bool(found) == bool(bad), (source, found)


def test_api_names_are_the_committed_list() -> None:
    assert sorted(api.__all__) == API_NAMES
    assert set(API_NAMES_BEFORE_REORGANISATION) <= set(API_NAMES)
    for name in API_NAMES:
        assert hasattr(api, name), name


def test_api_names_are_defined_in_the_sdk() -> None:
    """So the API cannot grow by re-exporting engine, config or report internals."""
    sdk_modules = [
        importlib.import_module(m.name)
        for m in pkgutil.iter_modules(tef_harness.sdk.__path__, "tef_harness.sdk.")
    ]
    for name in API_NAMES:
        if name in ENGINE_API_NAMES:
            assert getattr(api, name).__module__ == ENGINE_API_NAMES[name], name
            continue
        homes = [m.__name__ for m in sdk_modules if getattr(m, name, None) is getattr(api, name)]
        assert homes, f"{name} is not defined in tef_harness.sdk"
        defined = getattr(getattr(api, name), "__module__", None)
        if isinstance(defined, str) and defined.startswith("tef_harness."):
            assert defined.startswith("tef_harness.sdk."), (name, defined)


def test_importing_the_api_does_not_import_the_engine() -> None:
    import subprocess
    import sys

    code = "import sys, tef_harness.api; print(sorted(m for m in sys.modules if m.startswith('tef_harness.engine')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    code = "import tef_harness.api as a; print(a.run_audit.__module__, a.AuditSpec.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["tef_harness.engine.audit", "AuditSpec"]


@pytest.mark.parametrize("module", ["cli.py", "pytest_plugin.py", "mlflow_evaluator.py", "engine/in_memory.py"])
def test_every_audit_goes_through_run_audit(module: str) -> None:
    """The callers of one audit compose nothing of their own: no prepare/run from the runner,
    only run_audit (so a change to the pipeline reaches all of them)."""
    path = PACKAGE_DIR / module
    targets = {t for _, t in imported_modules(path.read_text(encoding="utf-8"), module_name(path), False)}
    assert "tef_harness.engine.audit.run_audit" in targets, module
    composed = {"tef_harness.engine.runner", "tef_harness.engine.planning", "tef_harness.engine.binding"}
    assert not {t for t in targets if t.rsplit(".", 1)[0] in composed or t in composed}, module


def test_sdk_imports_no_later_stage() -> None:
    for path in sorted((PACKAGE_DIR / "sdk").glob("*.py")):
        for line, target in imported_modules(path.read_text(encoding="utf-8"), module_name(path), False):
            if target.startswith("tef_harness."):
                assert target.startswith("tef_harness.sdk"), f"{path.name}:{line} imports {target}"


def _writes_environment(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = ast.unparse(node.func.value)
            if (owner == "os.environ" and node.func.attr in ("setdefault", "update", "pop", "clear")) or (
                owner == "os" and node.func.attr in ("putenv", "unsetenv")
            ):
                lines.append(node.lineno)
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign | ast.Delete):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        lines += [t.lineno for t in targets if isinstance(t, ast.Subscript) and ast.unparse(t.value) == "os.environ"]
    return lines


def test_only_the_offline_module_writes_environment_variables() -> None:
    assert _writes_environment(ast.parse("import os\nos.environ['A'] = '1'\nos.environ.setdefault('B', '')"))
    writers = {
        str(path.relative_to(PACKAGE_DIR)): lines
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if (lines := _writes_environment(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert set(writers) == {"engine/offline.py"}, writers
