"""The engine: check discovery (registry), planning, running each check (runner), judging
its measurements (judge), the requirements table, and the process's offline settings."""
