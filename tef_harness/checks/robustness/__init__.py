"""Robustness checks (issue 4): constraint-aware perturbations, black-box adversarial evasion,
a malformed-input battery, and CheckList-style invariance tests for text classifiers."""
