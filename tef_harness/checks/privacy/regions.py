"""The regions (ISO 3166-1 alpha-2) whose identifier and phone formats the PII scan knows.

Kept apart from the recognizers so that reading a check's params does not import presidio.
"""

from __future__ import annotations

#: scanned by default: the EU and EEA member states, the UK and the US
DEFAULT_REGIONS: tuple[str, ...] = tuple(sorted((
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
    "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "GB", "US",
)))  # fmt: skip
