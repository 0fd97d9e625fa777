"""A module-level function that skops cannot vouch for (used to test the refusal)."""


def double(x):  # type: ignore[no-untyped-def]
    return x * 2
