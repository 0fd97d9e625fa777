"""A Markdown model-card template with one section per profile item (for ``tef init``).

Every section holds its hint in an HTML comment (invisible once rendered) and the Hugging
Face template's "[More Information Needed]", so an untouched template scores every item as a
placeholder rather than present.
"""

from __future__ import annotations

from tef_harness.checks.documentation.profiles import DocumentationProfile, ProfileItem, load_documentation_profile

PLACEHOLDER = "[More Information Needed]"


#: Hugging Face-style metadata, commented, by key: what a card of a profile that reads none of
#: them may add
_EXAMPLE_METADATA = {
    "license": ["# license: apache-2.0"],
    "library_name": ["# library_name: sklearn"],
    "datasets": ["# datasets: [your-org/your-dataset]"],
    "model-index": [
        "# model-index:",
        "#   - name: your-model",
        "#     results:",
        "#       - task: {type: tabular-classification}",
        "#         dataset: {name: your evaluation set, type: tabular, split: test}",
        "#         metrics:",
        "#           - {type: accuracy, value: 0.0}",
        "#           - {type: roc_auc, value: 0.0}",
    ],
}


def _metadata_key(item: ProfileItem) -> list[str]:
    """A front-matter key the profile reads, live with the placeholder: a scalar, or for
    ``model-index`` its structure with a placeholder in every value to fill in (an untouched
    one holds no metric value, so it scores as a placeholder, as the scalar would)."""
    key = item.front_matter[0]
    if key != "model-index":
        return [f'{key}: "{PLACEHOLDER}"  # {item.id}: {item.hint}']
    p = f'"{PLACEHOLDER}"'
    return [
        f"model-index:  # {item.id}: {item.hint}",
        f"  - name: {p}",
        "    results:",
        f"      - task: {{type: {p}}}  # e.g. tabular-classification",
        f"        dataset: {{name: {p}, type: {p}, split: {p}}}",
        "        metrics:  # one entry per metric, e.g. {type: roc_auc, value: 0.87}",
        f"          - {{type: {p}, value: {p}}}",
    ]


def card_template(profile: str = "eu-ai-act-annex-iv") -> str:
    """Render the template for a shipped profile name or a profile file path."""
    prof, _ = load_documentation_profile(profile)
    return render_template(prof)


def render_template(profile: DocumentationProfile) -> str:
    kind = "Datasheet" if profile.applies_to == "datasheet" else "Model card"
    # items the profile reads from the metadata only are keys to fill in, not sections
    metadata = [i for i in profile.items if i.front_matter_only and i.front_matter]
    live = {i.front_matter[0] for i in metadata}
    keys = [line for i in metadata for line in _metadata_key(i)]
    # the example block holds only the keys not written above: uncommented, it must still be
    # YAML (a key written twice is an error for strict parsers and the hub)
    example = [line for key, lines in _EXAMPLE_METADATA.items() if key not in live for line in lines]
    out = [
        "---",
        *keys,
        *(["# Hugging Face-style metadata; fill in what applies and delete the rest.", *example] if example else []),
        "---",
        f"# {kind}: <name of the system>",
        "",
        f"<!-- Written by tef-harness from the documentation profile '{profile.name}' (version "
        f"{profile.version}): {profile.title}. Replace every '{PLACEHOLDER}'. Where an item may be "
        "not applicable, write 'Not applicable:' followed by the reason. -->",
        "",
    ]
    children: dict[str, list[ProfileItem]] = {}
    for item in profile.items:
        if item.within:
            children.setdefault(item.within, []).append(item)
    order = {g: i for i, g in enumerate(profile.groups)}
    top = sorted(
        (i for i in profile.items if not i.within and i not in metadata), key=lambda i: order.get(i.group, len(order))
    )
    current_group: str | None = None
    for item in top:
        if item.group != current_group and item.group:
            current_group = item.group
            out += [f"## {profile.groups.get(item.group, item.group)}", ""]
        # a parent's content is its sub-items: no placeholder of its own to forget
        out += _section(item, 3 if item.group else 2, placeholder=item.id not in children)
        for child in children.get(item.id, []):
            out += _section(child, 4 if item.group else 3)
    return "\n".join(out).rstrip() + "\n"


def _section(item: ProfileItem, level: int, placeholder: bool = True) -> list[str]:
    flags = [item.id]
    if item.requirement:
        flags.append(item.requirement)
    if item.na_allowed:
        flags.append("N/A allowed with a reason")
    return [
        f"{'#' * level} {item.title}",
        "",
        f"<!-- {' · '.join(flags)}: {item.hint} -->",
        *([PLACEHOLDER] if placeholder else []),
        "",
    ]
