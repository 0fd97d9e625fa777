"""What a check reads besides the model: the evaluation and training tables and the text
documents, each validated by intake and carrying the digest the report records."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True, eq=False)
class Dataset:
    """A validated table and where it came from. ``role`` is ``eval`` or ``train``."""

    role: str
    path: str
    sha256: str
    frame: pd.DataFrame

    @property
    def n_rows(self) -> int:
        return len(self.frame)


@dataclass(frozen=True)
class TextDocument:
    """``role`` is ``card``, ``technical_documentation`` or ``datasheet``."""

    role: str
    path: str
    sha256: str
    text: str
