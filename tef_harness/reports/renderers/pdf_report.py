"""PDF for auditors who file documents: the HTML report printed by WeasyPrint (the extra
``tef-harness[pdf]``), every section open, a page break before each major section and each
check, and the report's digest in every page's header.

WeasyPrint needs Pango from the operating system; without it, importing it raises OSError.
:meth:`PdfRenderer.unavailable` turns both a missing package and missing libraries into one
line naming what to install, so ``--format pdf`` exits 2 instead of a traceback.
"""

from __future__ import annotations

import logging
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

    html = render_html(report, pdf=True, report_digest=sha256_text(render_json(report)))
    # WeasyPrint logs a warning for every SVG presentation property its CSS parser does not
    # know (fill, stroke, ...: hundreds per report) although it draws them; they are noise
    # to the reader of `tef check`, so only its errors reach the log.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    pdf: bytes = weasyprint.HTML(string=html, base_url=None).write_pdf()
    return pdf


class PdfRenderer:
    name: ClassVar[str] = "pdf"
    filename: ClassVar[str] = "report.pdf"

    def unavailable(self) -> str | None:
        return weasyprint_problem()

    def render(self, report: ConformityReport) -> bytes:
        return render_pdf(report)
