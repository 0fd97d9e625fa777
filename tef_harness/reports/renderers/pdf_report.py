"""PDF for auditors who file documents: the HTML report printed by WeasyPrint (the extra
``tef-harness[pdf]``), every section open, a page break before each major section and each
check, and the report's digest in every page's header.

WeasyPrint needs Pango from the operating system; without it, importing it raises OSError.
:meth:`PdfRenderer.unavailable` turns both a missing package and missing libraries into one
line naming what to install, so ``--format pdf`` exits 2 instead of a traceback.
"""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import Iterator
from typing import ClassVar

from tef_harness.intake.hashing import sha256_text
from tef_harness.reports.schema import ConformityReport

#: the Debian packages WeasyPrint loads at run time (`.ci/run` installs them)
DEBIAN_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core")


def weasyprint_problem() -> str | None:
    """None when WeasyPrint imports here, else what is missing."""
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        return "WeasyPrint is not installed: pip install 'tef-harness[pdf]'"
    except OSError as exc:
        return (
            f"WeasyPrint cannot load its system libraries ({str(exc).splitlines()[0][:120]}); "
            f"on Debian: apt-get install {' '.join(DEBIAN_PACKAGES)}"
        )
    return None


def render_pdf(report: ConformityReport) -> bytes:
    import weasyprint

    from tef_harness.reports.renderers.html_report import render_html
    from tef_harness.reports.renderers.json_report import render_json

    # WeasyPrint logs a warning for every SVG presentation property its CSS parser does not
    # know (fill, stroke, ...: hundreds per report) although it draws them; they are noise
    # to the reader of `tef check`, so only its errors reach the log.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    with _cyclic_gc_paused():
        html = render_html(report, pdf=True, report_digest=sha256_text(render_json(report)))
        pdf: bytes = weasyprint.HTML(string=html, base_url=None).write_pdf()
    return pdf


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while WeasyPrint builds and paints its boxes.

    A render allocates hundreds of thousands of long-lived objects (styles, boxes, line
    boxes); each allocation burst triggers a collection that walks all of them again, which
    measured 0.6 to 0.8 s of the demo PDF's ~4 s of CPU (benchmarks/render_results.md). The
    objects are freed by reference counting as usual; the cycles among them wait for the
    next collection after the render (peak memory of the demo's render: about 210 MB either
    way). The collector's previous state is restored, so a caller that disabled it keeps it
    disabled."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class PdfRenderer:
    name: ClassVar[str] = "pdf"
    filename: ClassVar[str] = "report.pdf"

    def unavailable(self) -> str | None:
        return weasyprint_problem()

    def render(self, report: ConformityReport) -> bytes:
        return render_pdf(report)
