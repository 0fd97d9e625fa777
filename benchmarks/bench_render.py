"""Report formats: file size and render time of each format, for the demo and a 1M-row audit.

1. The credit demo (``build_demo.py``, 25,000 rows, 7,500 evaluation rows) through a full
   ``tef check`` with every family (the demo's tef.toml), written as report.json only; then
   each renderer on that report: the first render in a fresh process (what ``tef check``
   pays, matplotlib's import included) and the median of three more.
2. A 1M-row evaluation set from the same generator, scored by the demo's model, audited with
   the cheap checks only (``performance.metrics`` and ``bias.group_fairness``, n_boot 50), to
   show that the HTML grows with the number of groups and checks, never with rows.

Each time is given as wall seconds and as the CPU seconds of the rendering process: on a
machine shared with other jobs the wall time measures the neighbours too (a load of 8 on two
cores made the same PDF take 6.6 s of CPU and 28 to 87 s of wall time), the CPU time only the
render. ``--work DIR`` keeps the two audits and reuses them on the next run, so the same
report.json files can be rendered by two versions of the harness (before/after): run this
file with each version's Python. ``render_results.md`` holds the last comparison.

Target: every format under 3 s for the demo; HTML under 1 MB (demo) and 2 MB (1M rows).

Usage: python benchmarks/bench_render.py [--rows 25000] [--large-rows 1000000] [--skip-large] [--work DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEF = str(Path(sys.executable).with_name("tef"))
FORMATS = ("json", "html", "md", "junit", "pdf")


def _run(cmd: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode > 1:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return time.perf_counter() - t0


def _first_render(report: Path, fmt: str, out: Path) -> tuple[float, float]:
    """A fresh process renders one format; the time is measured inside it (no CLI start-up).

    Returns (wall seconds, CPU seconds of that process): on a machine shared with other jobs
    the wall time measures the neighbours too, the CPU time only this render."""
    code = (
        "import sys,time;from pathlib import Path;"
        "from tef_harness.reports.load import load_report;"
        "from tef_harness.reports.renderers.registry import select_renderers;"
        f"r=load_report(Path({str(report)!r}));(x,),_=select_renderers({fmt!r});"
        "t=time.perf_counter();u=time.process_time();c=x.render(r);"
        "d=time.perf_counter()-t;u=time.process_time()-u;"
        f"p=Path({str(out)!r})/x.filename;"
        "p.write_bytes(c if isinstance(c,bytes) else c.encode());print(d,u)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    wall, cpu = proc.stdout.split()
    return float(wall), float(cpu)


def _forget_plots() -> None:
    """Drop the drawn plots cached in this process: within one `tef check` the PDF reuses the
    HTML page's plots, but a warm render here must draw them again to be a fair repeat."""
    try:
        from tef_harness.reports.renderers.plots import render_svg
    except ImportError:
        return
    clear = getattr(render_svg, "cache_clear", None)
    if clear is not None:
        clear()


def _warm_renders(report: Path, fmt: str, repeats: int = 3) -> tuple[float, float]:
    """Median (wall, CPU) seconds of ``repeats`` renders after a first one in this process."""
    from tef_harness.reports.load import load_report
    from tef_harness.reports.renderers.registry import select_renderers

    r = load_report(report)
    (renderer,), _ = select_renderers(fmt)
    renderer.render(r)
    walls, cpus = [], []
    for _ in range(repeats):
        _forget_plots()
        t0, c0 = time.perf_counter(), time.process_time()
        renderer.render(r)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus)


def measure(label: str, report: Path, out: Path) -> None:
    from tef_harness.reports.renderers.pdf_report import weasyprint_problem

    print(f"\n{label}: {report}")
    print(f"{'format':<7} {'size':>12} {'first render':>13} {'(CPU)':>9} {'warm median':>12} {'(CPU)':>9}")
    for fmt in FORMATS:
        if fmt == "pdf" and weasyprint_problem():
            print(f"{fmt:<7} skipped: {weasyprint_problem()}")
            continue
        first, cpu = _first_render(report, fmt, out)
        warm, warm_cpu = _warm_renders(report, fmt)
        name = {"json": "report.json", "html": "report.html", "md": "report.md", "junit": "junit.xml"}.get(
            fmt, "report.pdf"
        )
        size = (out / name).stat().st_size
        print(f"{fmt:<7} {size:>10,} B {first:>11.3f} s {cpu:>7.3f} s {warm:>10.3f} s {warm_cpu:>7.3f} s")


def demo(rows: int, work: Path) -> Path:
    folder = work / "demo"
    shutil.copytree(ROOT / "examples" / "credit", folder, ignore=shutil.ignore_patterns("generated", "out"))
    built = _run([sys.executable, str(folder / "build_demo.py"), "--rows", str(rows), "--out", "generated"], folder)
    took = _run([TEF, "check", "--config", "tef.toml", "--no-third-party", "--format", "json"], folder)
    print(f"demo: built {rows:,} rows in {built:.0f} s; tef check (every family) {took:.0f} s")
    return folder


def large(rows: int, demo_folder: Path, work: Path) -> Path:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_demo", demo_folder / "build_demo.py")
    assert spec and spec.loader
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    folder = work / "large"
    folder.mkdir()
    t0 = time.perf_counter()
    df = builder.make_data(rows, seed=11)
    df.to_parquet(folder / "eval.parquet", index=False)
    print(f"large: {rows:,} rows generated and written in {time.perf_counter() - t0:.0f} s")
    (folder / "tef.toml").write_text(
        "\n".join(
            [
                'profile = "default"',
                'out = "out"',
                "[model]",
                f'path = "{demo_folder / "generated" / "model.skops"}"',
                'trusted_types = ["sklearn.tree._tree.Tree"]',
                "[data]",
                'path = "eval.parquet"',
                'target = "default"',
                'sensitive = ["sex", "age_group"]',
                "pos_label = 1",
                '[checks."performance.metrics"]',
                "params = { n_boot = 50 }",
                '[checks."bias.group_fairness"]',
                "params = { n_boot = 50 }",
                "",
            ]
        )
    )
    took = _run(
        [TEF, "check", "--no-third-party", "--only", "performance.metrics,bias.group_fairness", "--format", "json"],
        folder,
    )
    print(f"large: tef check (performance.metrics, bias.group_fairness) {took:.0f} s")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=25_000)
    parser.add_argument("--large-rows", type=int, default=1_000_000)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument(
        "--work",
        type=Path,
        help="keep the audits here and reuse them on the next run (renders a before/after pair of "
        "the same report.json files); default: a temporary folder",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tef-bench-render-") as tmp:
        work = args.work.resolve() if args.work else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        d = work / "demo"
        if not (d / "out" / "report.json").is_file():
            shutil.rmtree(d, ignore_errors=True)
            d = demo(args.rows, work)
        (work / "r-demo").mkdir(exist_ok=True)
        measure(f"demo ({args.rows:,} rows, every family)", d / "out" / "report.json", work / "r-demo")
        if not args.skip_large:
            big = work / "large"
            if not (big / "out" / "report.json").is_file():
                shutil.rmtree(big, ignore_errors=True)
                big = large(args.large_rows, d, work)
            (work / "r-large").mkdir(exist_ok=True)
            measure(f"{args.large_rows:,}-row audit", big / "out" / "report.json", work / "r-large")


if __name__ == "__main__":
    main()
