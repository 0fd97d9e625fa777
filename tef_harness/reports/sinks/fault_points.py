"""Points where a test can stop the tracking code as a crash or an interruption would.

Some failures cannot be produced from outside at the right moment: the tracking worker dying
just after it created its run, or ``tef check`` being interrupted while a new store's temporary
file exists. ``TEF_TEST_FAULT=<point>:<action>`` makes the code act at ``<point>``:

* ``exit``: leave the process at once with status 70 (``os._exit``: no ``finally``, no
  flush), as a crash or ``SIGKILL`` would;
* ``wait``: sleep (up to 120 s) so the test can signal the process there.

The variable is honoured only while pytest runs a test (``PYTEST_CURRENT_TEST`` is set, and
inherited by the processes the test starts); anywhere else it is ignored. The points are
``store-seed`` (``mlflow_store_seed``: the temporary copy of a new store exists) and
``run-created`` (``mlflow_worker``: the worker has created its run and told the parent).
"""

from __future__ import annotations

import os
import time

FAULT_ENV = "TEF_TEST_FAULT"
EXIT_STATUS = 70


def fault_point(point: str) -> None:
    """Act as ``TEF_TEST_FAULT`` asks at ``point`` (see the module docstring); else nothing."""
    wanted = os.environ.get(FAULT_ENV)
    if not wanted or "PYTEST_CURRENT_TEST" not in os.environ:
        return
    name, _, action = wanted.partition(":")
    if name != point:
        return
    if action == "exit":
        os._exit(EXIT_STATUS)
    if action == "wait":
        time.sleep(120)
