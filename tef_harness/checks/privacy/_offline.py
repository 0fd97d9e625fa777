"""Keep presidio off the network (called from the package ``__init__``).

presidio's e-mail recognizer calls ``tldextract``, which fetches the public-suffix list on
its first match unless told not to; tldextract reads these variables when it is imported,
so they are set here, before the first presidio import, and never later.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def configure_offline() -> None:
    """Make tldextract use its bundled suffix list and a private cache directory."""
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    if not os.environ.get("TLDEXTRACT_CACHE"):
        os.environ["TLDEXTRACT_CACHE"] = str(Path(tempfile.gettempdir()) / "tef-harness-tldextract")



