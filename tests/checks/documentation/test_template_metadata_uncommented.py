"""The model-card templates ``tef init --card-template`` writes: their front matter is YAML as
written and after every commented example line in it is uncommented (before, the hf-model-card
template held a live ``model-index`` key and a commented example of it: uncommented, the key was
there twice). Filled in, the live ``model-index`` documents results."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tef_harness.checks.documentation.profiles import shipped_documentation_profiles
from tef_harness.checks.documentation.template import PLACEHOLDER, card_template
from tef_harness.reports.renderers.doc_check import check_card


class _UniqueKeys(yaml.SafeLoader):
    """A YAML loader that refuses a mapping key given twice (PyYAML keeps the last silently)."""


def _mapping(loader: _UniqueKeys, node: yaml.MappingNode) -> dict[Any, Any]:
    keys = [loader.construct_object(k) for k, _ in node.value]
    duplicated = {k for k in keys if keys.count(k) > 1}
    if duplicated:
        raise yaml.constructor.ConstructorError(None, None, f"duplicate key(s) {sorted(duplicated)}", node.start_mark)
    return loader.construct_mapping(node)


_UniqueKeys.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _front_matter(text: str) -> list[str]:
    lines = text.splitlines()
    assert lines[0] == "---"
    return lines[1 : lines.index("---", 1)]


def _uncommented(lines: list[str]) -> str:
    """Every commented example line made live; a comment in prose (a sentence) is left alone."""
    out = []
    for line in lines:
        body = line[2:] if line.startswith("# ") else None
        if body is not None and not body.startswith(("Hugging Face-style metadata",)):
            line = body
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("profile", sorted(shipped_documentation_profiles()))
def test_the_front_matter_parses_as_written_and_uncommented(profile: str) -> None:
    lines = _front_matter(card_template(profile))
    yaml.load("\n".join(lines), Loader=_UniqueKeys)
    uncommented = yaml.load(_uncommented(lines), Loader=_UniqueKeys)
    assert uncommented is None or isinstance(uncommented, dict)


def test_the_hf_template_model_index_is_a_placeholder_until_filled_in(tmp_path) -> None:
    card = tmp_path / "MODEL_CARD.md"
    text = card_template("hf-model-card")
    card.write_text(text, encoding="utf-8")
    rows = {r["id"]: r["state"] for r in check_card(card, "hf-model-card").details["items"]}  # type: ignore[index, union-attr]
    assert set(rows.values()) == {"placeholder"}
    quoted = f'"{PLACEHOLDER}"'
    filled = (
        text.replace(f"task: {{type: {quoted}}}", "task: {type: tabular-classification}")
        .replace(
            f"dataset: {{name: {quoted}, type: {quoted}, split: {quoted}}}",
            "dataset: {name: credit, type: tabular, split: test}",
        )
        .replace(f"- {{type: {quoted}, value: {quoted}}}", "- {type: roc_auc, value: 0.87}")
        .replace(f"- name: {quoted}", "- name: credit-model")
    )
    assert filled != text
    card.write_text(filled, encoding="utf-8")
    rows = {r["id"]: r["state"] for r in check_card(card, "hf-model-card").details["items"]}  # type: ignore[index, union-attr]
    assert rows["HF-model-index"] == "present"
