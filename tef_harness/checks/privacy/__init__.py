"""Privacy checks: PII in data, documentation and generated text (presidio, offline, with
EU national identifiers), membership inference, and canary exposure.

Importing any submodule runs this file first, so the tldextract variables are set here,
before any presidio import can happen (import sorters cannot reorder a package's
``__init__`` after its submodules' imports). It imports nothing heavy.
"""

from tef_harness.checks.privacy._offline import configure_offline

configure_offline()
