"""The recorded package versions come from the checks' distributions, not a fixed list."""

from __future__ import annotations

from importlib.metadata import distribution, version

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tef_harness.engine.package_versions import recorded_versions, requirements_of


def _expected(dist_name: str) -> dict[str, str]:
    """The same set, computed with packaging's own parser (markers evaluated with no extra)."""
    out = {}
    for line in distribution(dist_name).requires or []:
        req = Requirement(line)
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        name = str(canonicalize_name(req.name))
        try:
            out[name] = version(name)
        except Exception:  # noqa: BLE001 - not installed here: not recorded either
            continue
    return out


def test_the_harness_records_its_declared_dependencies() -> None:
    found = recorded_versions(["tef-harness"])
    assert found == _expected("tef-harness")
    for name in ("scikit-learn", "presidio-analyzer", "numpy"):
        assert found[name] == version(name), name
    assert "pytest" not in found and "adversarial-robustness-toolbox" not in found  # extras' only
    assert list(found) == sorted(found)


def test_extras_are_parsed_as_extras() -> None:
    extras = {name: extra for name, extra in requirements_of("tef-harness") if extra is not None}
    assert extras["adversarial-robustness-toolbox"] in ("art", "dev") and extras["pytest"] == "dev"


def test_a_plugin_distribution_adds_its_own_requirements() -> None:
    # the example plugin's distribution, installed by the test session, declares its own needs
    own = recorded_versions(["tef-example-plugin"])
    assert own == _expected("tef-example-plugin")
    assert own == {"pydantic": version("pydantic"), "tef-harness": version("tef-harness")}  # its Requires-Dist
    assert recorded_versions(["tef-harness", "tef-example-plugin"]) == dict(
        sorted({**recorded_versions(["tef-harness"]), **own}.items())
    )


def test_an_unknown_distribution_records_nothing() -> None:
    assert recorded_versions(["no-such-distribution-here"]) == {}
