"""A threshold on a metric name its check never reports is refused before the run.

Where a check declares the names it can report (``Check.metric_names``), a config threshold
on a plain name outside them is a typo (``roc_aucc``) or a metric of another check: it would
bound nothing. The error names the threshold's field and the closest declared names (rapidfuzz
``fuzz.ratio``, the normalised Indel similarity, as ``documentation`` headings are compared).
A name with ``fnmatch`` wildcards, and every name of a check that does not declare its names,
is left to the judge, which reports an unmatched bound as insufficient evidence after the run.
"""

from __future__ import annotations

import fnmatch

from rapidfuzz import fuzz, process

from tef_harness.config.schema import CheckSettings
from tef_harness.sdk.check import Check
from tef_harness.sdk.errors import ConfigError

#: rapidfuzz ratio (0-100) a declared name needs to be offered as a correction
MIN_SIMILARITY = 60
#: corrections offered at most
MAX_SUGGESTIONS = 3
_WILDCARDS = frozenset("*?[")


def check_threshold_names(check_id: str, cls: type[Check], user: CheckSettings | None, source: str) -> None:
    """Raise ConfigError (field ``checks."<id>".thresholds[i].metric``) for the first threshold
    of the user's settings on a plain metric name ``cls`` declares it never reports."""
    declared = cls.metric_names
    if declared is None or user is None:
        return
    for i, spec in enumerate(user.thresholds):
        name = spec.metric
        if _WILDCARDS & set(name) or any(fnmatch.fnmatchcase(name, pattern) for pattern in declared):
            continue
        close = [
            match
            for match, _, _ in process.extract(
                name, declared, scorer=fuzz.ratio, limit=MAX_SUGGESTIONS, score_cutoff=MIN_SIMILARITY
            )
        ]
        hint = f"closest: {', '.join(close)}" if close else f"known: {', '.join(declared)}"
        raise ConfigError(
            f"{check_id} measures no metric named {name!r} ({hint})",
            file=source,
            field=f'checks."{check_id}".thresholds[{i}].metric',
        )
