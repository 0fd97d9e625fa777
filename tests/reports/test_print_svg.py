"""The printed plots: the flattened SVG paints the same picture as matplotlib's, with fewer
nodes, and the PDF renderer leaves the garbage collector as it found it."""

from __future__ import annotations

import base64
import gc
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tef_harness.reports.renderers.pdf_report import _cyclic_gc_paused, weasyprint_problem
from tef_harness.reports.renderers.plots import render_svg
from tef_harness.reports.renderers.print_svg import flatten_for_print
from tef_harness.reports.views import PlotSpec, Point, RefLine, Series

SPECS = (
    PlotSpec(
        "points",
        "Rates by group: sex*age_group <b>&amp;</b>",
        "group",
        "rate",
        (
            Series("selection rate", tuple(Point(f"g{i}", 0.1 * i, 0.05 * i, 0.12 * i) for i in range(1, 7))),
            Series("true-positive rate", tuple(Point(f"g{i}", 0.08 * i) for i in range(1, 7))),
        ),
        (RefLine(0.5, "threshold 0.8"),),
    ),
    PlotSpec(
        "roc",
        "Membership inference",
        "false-positive rate",
        "true-positive rate",
        (Series("attack", tuple(Point(str(10.0**-k), 10.0 ** (-k / 2)) for k in range(4, -1, -1))),),
    ),
)


def test_flattening_keeps_every_drawn_element_and_its_paint() -> None:
    for spec in SPECS:
        svg = render_svg(spec)
        flat = flatten_for_print(svg)
        for tag in ("path", "use", "text", "clipPath", "rect"):
            assert flat.count(f"<{tag}") == svg.count(f"<{tag}"), tag
        # the path data, the label text and the colours all survive, in the same order
        # (an XML parser reads the newlines inside an attribute as spaces: the same path)
        assert [" ".join(d.split()) for d in re.findall(r' d="([^"]*)"', flat)] == [
            " ".join(d.split()) for d in re.findall(r' d="([^"]*)"', svg)
        ]
        assert re.findall(r">([^<>]+)</text>", flat) == re.findall(r">([^<>]+)</text>", svg)
        assert re.findall(r"#[0-9a-f]{6}", flat) == re.findall(r"#[0-9a-f]{6}", svg)
        assert flat.count("<g") < svg.count("<g") / 2  # the id-only groups are gone
        assert not re.search(r'<path[^>]*style="[^"]*fill:', flat)  # paint is an attribute now
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in flatten_for_print(render_svg(SPECS[0]))  # a label stays escaped text


def _pixels(svg: str, tmp_path: Path, name: str) -> np.ndarray:
    import weasyprint

    data = base64.b64encode(svg.encode()).decode()
    page = "<style>@page { size: 18cm 10cm; margin: 0 }</style>"
    html = f'{page}<img style="width: 17cm" src="data:image/svg+xml;base64,{data}">'
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(weasyprint.HTML(string=html).write_pdf())
    subprocess.run(["pdftoppm", "-r", "60", "-gray", str(pdf), str(tmp_path / name)], check=True)
    (png,) = tmp_path.glob(f"{name}*.pgm")
    raw = png.read_bytes()
    # binary PGM: "P5\n<w> <h>\n<max>\n" then one byte per pixel
    header = raw.split(b"\n", 3)
    width, height = map(int, header[1].split())
    return np.frombuffer(header[3], dtype=np.uint8).reshape(height, width)


@pytest.mark.slow
def test_flattened_plot_prints_the_same_picture(tmp_path: Path) -> None:
    if weasyprint_problem() or shutil.which("pdftoppm") is None:
        pytest.skip("WeasyPrint or pdftoppm missing (test_pdf.py fails for that in CI)")
    for k, spec in enumerate(SPECS):
        svg = render_svg(spec)
        before = _pixels(svg, tmp_path, f"before{k}")
        after = _pixels(flatten_for_print(svg), tmp_path, f"after{k}")
        assert before.shape == after.shape
        assert (before < 250).mean() > 0.02  # something was drawn
        # the same pixels, up to antialiasing noise
        assert np.mean(np.abs(before.astype(int) - after.astype(int)) > 40) < 0.001


def test_the_collector_is_restored() -> None:
    assert gc.isenabled()
    with _cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with _cyclic_gc_paused():
            pass
        assert not gc.isenabled()  # a caller's own choice is kept
    finally:
        gc.enable()
    with pytest.raises(ValueError), _cyclic_gc_paused():
        raise ValueError
    assert gc.isenabled()
