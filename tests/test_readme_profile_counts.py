"""The README's item counts for the shipped Annex IV documentation profile are the profile's
own group sizes, as the report counts them (``completeness/<group>`` over that group's items).
Before, AIV-8 (a copy of the EU declaration of conformity, Annex IV point 8) sat in the Annex V
group: the README said 26 and 8, the report 25 and 9."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from tef_harness.checks.documentation.profiles import load_documentation_profile

README = Path(__file__).parents[1] / "README.md"
#: how the README names each group in its count
PHRASES = {"annex_iv": "Annex IV", "instructions_for_use": "Art. 13(3) instructions-for-use", "annex_v": "Annex V"}


def test_readme_counts_are_the_profile_group_sizes() -> None:
    text = " ".join(README.read_text(encoding="utf-8").split())
    found = re.search(r"`eu-ai-act-annex-iv` \(([^)]*\)[^)]*)\)", text)
    assert found, "the README no longer lists the eu-ai-act-annex-iv profile's counts"
    said = {}
    for group, phrase in PHRASES.items():
        number = re.search(rf"(\d+) {re.escape(phrase)} items", found.group(1))
        assert number, (phrase, found.group(1))
        said[group] = int(number.group(1))
    profile, _ = load_documentation_profile("eu-ai-act-annex-iv")
    assert said == dict(Counter(item.group for item in profile.items))
    # and each group holds the items of its own text: every AIV item is an Annex IV point
    prefix = {"annex_iv": "AIV-", "instructions_for_use": "IFU-", "annex_v": "AV-"}
    assert all(item.id.startswith(prefix[item.group]) for item in profile.items)
    # the profile's description says the same Annex IV count
    assert f"The {said['annex_iv']} Annex IV items" in " ".join(profile.description.split())
