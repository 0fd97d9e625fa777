"""Typed views a check emits beside its metrics: small, frozen, aggregate-only data that a
renderer draws without knowing the check (a reliability diagram, masked example rows)."""
