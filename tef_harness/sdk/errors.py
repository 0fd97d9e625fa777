"""One error hierarchy, so the CLI can turn every expected failure into one line and exit 2.

A message names the file and the dotted field it concerns (``file: field: what is wrong``),
because the person reading it is usually auditing somebody else's files and needs to know
exactly which one to open. Messages never carry raw data values: they may be personal data.
"""

from __future__ import annotations

from pathlib import Path


class TefError(Exception):
    """Base of every error the harness expects and reports as one line."""

    def __init__(self, message: str, *, file: str | Path | None = None, field: str | None = None):
        self.file = str(file) if file is not None else None
        self.field = field
        self.detail = message
        super().__init__(self.one_line())

    def one_line(self) -> str:
        from tef_harness.sdk.masking import redact

        parts = [p for p in (self.file, self.field) if p]
        # the masking door: a message that quotes a cell despite the rule above is masked
        text = redact(" ".join(self.detail.split()))
        return ": ".join([*parts, text])


class ConfigError(TefError):
    """The configuration (file, flags, profile) is invalid."""


class IntakeError(TefError):
    """A model artifact, data file or document could not be taken in safely."""


class PluginError(TefError):
    """A check plugin is malformed (bad metadata, bad Params)."""
