"""The README's demo-output excerpt (between ``<!-- demo-output:start -->`` and ``:end``),
made from a real run of what ``make demo`` runs: ``build_demo.py`` then ``tef check`` on the
demo's ``tef.toml``, in a scratch copy of ``examples/credit`` (the repository's own is left
alone), at 100 columns. Timings, the MLflow run id and the scratch folder are written as ``…``,
so the excerpt is the same on every machine; everything else is what the run printed.

    .venv/bin/python tools/demo_excerpt.py --write    # rewrite the README's excerpt
    .venv/bin/python tools/demo_excerpt.py            # print it

``tests/test_readme_demo.py`` runs the same and fails when the README has drifted from it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START, END = "<!-- demo-output:start -->", "<!-- demo-output:end -->"
COMMAND = "$ make demo      # or, once built, with .venv activated: cd examples/credit && tef check --no-third-party"
#: the two lines the Makefile's demo recipe echoes after tef check (``rc`` is its exit code)
CLOSING = (
    "demo report: examples/credit/out/report.html (and report.md, junit.xml, report.json, manifest.json;"
    " report.pdf when the pdf extra and its libraries are installed) (tef check exited {rc}: 0 conformant,"
    " 1 not conformant)",
    "MLflow run: .venv/bin/mlflow ui --backend-store-uri sqlite:///examples/credit/mlflow.db",
)
COLUMNS = 100


def normalise(text: str, scratch: Path) -> str:
    """``text`` with the scratch folder as ``…``, and timings and run ids (which differ from run
    to run) as ``…``."""
    text = text.replace(str(scratch), "…")
    text = re.sub(r"\((\d+\.\d+)s\)$", "(…s)", text, flags=re.M)  # a check's progress line
    text = re.sub(r"\(\d+\.\d+ s\)$", "(… s)", text, flags=re.M)  # the tracking step
    return re.sub(r"MLflow run [0-9a-f]{32}", "MLflow run …", text)


def run_demo() -> str:
    """Build the demo in a scratch ``…/examples/credit`` and run its audit; the lines ``make demo``
    prints from the build on, normalised. Raises RuntimeError when a step fails. The scratch
    folder is always a new ``tempfile`` folder: a path's length decides where the console
    wraps a line that holds it, so the tool and the test must use folders of one length."""
    with tempfile.TemporaryDirectory(prefix="tef-demo-") as tmp:
        return _run_in(Path(tmp))


def _run_in(scratch: Path) -> str:
    demo = scratch / "examples" / "credit"
    demo.mkdir(parents=True)
    for name in ("tef.toml", "MODEL_CARD.md"):
        shutil.copyfile(ROOT / "examples" / "credit" / name, demo / name)
    env = {k: v for k, v in os.environ.items() if k not in ("TEF_NO_TRACKING", "MLFLOW_TRACKING_URI")}
    env.update(COLUMNS=str(COLUMNS), PYTHONUNBUFFERED="1", MLFLOW_DISABLE_TELEMETRY="true")
    build = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "credit" / "build_demo.py"), "--out", str(demo / "generated")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if build.returncode != 0:
        raise RuntimeError(f"build_demo.py failed: {build.stderr[-2000:]}")
    tef = str(Path(sys.executable).with_name("tef"))
    # one pipe for both streams, as a terminal shows them: the summary (stderr) before the
    # report path (stdout)
    check = subprocess.run(
        [tef, "check", "--config", "tef.toml", "--no-third-party"],
        cwd=demo,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        check=False,
    )
    if check.returncode > 1:
        raise RuntimeError(f"tef check exited {check.returncode}: {check.stdout[-2000:]}")
    lines = [build.stdout.strip(), check.stdout.rstrip("\n"), *(c.format(rc=check.returncode) for c in CLOSING)]
    return normalise("\n".join(lines), scratch)


def excerpt_block(output: str) -> str:
    """The README's block between the markers for ``output``."""
    return f"{START}\n```console\n{COMMAND}\n{output}\n```\n{END}"


def readme_excerpt(readme: str) -> str:
    """The README's block between the markers, markers included."""
    start, end = readme.index(START), readme.index(END) + len(END)
    return readme[start:end]


def main() -> int:
    block = excerpt_block(run_demo())
    if "--write" in sys.argv[1:]:
        text = README.read_text(encoding="utf-8")
        README.write_text(text.replace(readme_excerpt(text), block), encoding="utf-8")
        print("demo_excerpt: README.md's demo-output excerpt rewritten")
    else:
        print(block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
