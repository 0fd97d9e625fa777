"""Config keys renamed to the field's words, whose old names are still read.

The schema accepts an old name as a pydantic validation alias; this module is what tells the
user: a file that uses an old name gets one warning line naming the file and the key, and a
file that sets both names is an error (which of the two would win is not obvious to a reader
of the file).
"""

from __future__ import annotations

from typing import Any

from tef_harness.sdk.errors import ConfigError

#: (section, old key) -> new key; the new key is the field's word (scikit-learn's ``pos_label``)
RENAMED: dict[tuple[str, str], str] = {
    ("data", "positive_label"): "pos_label",
}


def renamed_key_warnings(raw: dict[str, Any], source: str) -> tuple[str, ...]:
    """One line per old key set in ``raw`` (the config table before validation), each naming
    ``source`` and the dotted key. Raises ConfigError (file and old field named) when a section
    sets both the old and the new key."""
    warnings = []
    for (section, old), new in RENAMED.items():
        table = raw.get(section)
        if not isinstance(table, dict) or old not in table:
            continue
        if new in table:
            raise ConfigError(
                f"set {section}.{new} only: {old} is its deprecated name and both are set",
                file=source,
                field=f"{section}.{old}",
            )
        warnings.append(f"{source}: {section}.{old} is deprecated: rename it to {section}.{new}")
    return tuple(warnings)
