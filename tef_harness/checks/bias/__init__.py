"""Bias checks (issue 3): group fairness with intervals, intersectional subgroup search,
counterfactual flips and data representation.

All four share one engine: sensitive columns are encoded to integer group codes once
(``_groups``), and every rate is derived from group × cell counts made with ``np.bincount``
(``_counts``), so a million rows cost a few passes of integer arithmetic.
"""
