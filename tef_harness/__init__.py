"""tef-harness: pre-market conformity testing for machine-learning models.

The public plugin API lives in :mod:`tef_harness.api`.
"""

__version__ = "0.1.0"
