"""The documentation family: model-card completeness against a profile, the card's claims
re-measured, and the training data's datasheet.

``card_template(profile)`` renders a Markdown model-card template for ``tef init``.
"""

from tef_harness.checks.documentation.completeness import DocumentationCompleteness
from tef_harness.checks.documentation.consistency import DocumentationConsistency
from tef_harness.checks.documentation.datasheet import DatasheetCompleteness
from tef_harness.checks.documentation.profiles import (
    DocumentationProfile,
    load_documentation_profile,
    shipped_documentation_profiles,
)
from tef_harness.checks.documentation.template import card_template

__all__ = [
    "DatasheetCompleteness",
    "DocumentationCompleteness",
    "DocumentationConsistency",
    "DocumentationProfile",
    "card_template",
    "load_documentation_profile",
    "shipped_documentation_profiles",
]
