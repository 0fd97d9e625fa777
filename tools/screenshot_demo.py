"""Regenerate docs/report-desktop.png from the demo's own report (``make demo`` first): the
README captions it as the demo's HTML report, so it is taken from examples/credit/out, not from
the browser test's smaller audit. Debian's Chromium through Playwright, headless, offline, at
the 1280 px width and 1400 px height the browser test uses. The report shows the input files'
absolute paths; in the picture the repository's folder is written ``…`` (the text of the page
is changed in the browser before the shot, never the report file). A report older than the
package or the demo's inputs is refused: a picture of a stale report would show output the code
no longer produces.

    .venv/bin/python tools/screenshot_demo.py
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "examples" / "credit" / "out" / "report.html"
TARGET = ROOT / "docs" / "report-desktop.png"
#: what the demo report is made from: a file here newer than the report makes it stale
SOURCES = (ROOT / "tef_harness", ROOT / "examples" / "credit" / "build_demo.py",
           ROOT / "examples" / "credit" / "tef.toml", ROOT / "examples" / "credit" / "MODEL_CARD.md")  # fmt: skip
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def newer_sources(report: Path, sources: tuple[Path, ...] = SOURCES) -> list[Path]:
    """The source files modified after ``report`` was written, newest first (byte-code aside)."""
    written = report.stat().st_mtime
    files = (f for src in sources for f in ([src] if src.is_file() else src.rglob("*")))
    newer = (f for f in files if f.is_file() and f.suffix != ".pyc" and f.stat().st_mtime > written)
    return sorted(newer, key=lambda f: f.stat().st_mtime, reverse=True)


def stale_message(report: Path, sources: tuple[Path, ...] = SOURCES) -> str | None:
    """One line saying why ``report`` cannot be photographed (missing, or older than a source),
    or None when it is current."""
    if not report.is_file():
        return f"screenshot_demo: {report} not found: run `make demo` first"
    newer = newer_sources(report, sources)
    if newer:
        first = newer[0].relative_to(ROOT) if newer[0].is_relative_to(ROOT) else newer[0]
        return (
            f"screenshot_demo: {report.name} is older than {len(newer)} source file(s) (newest: {first}): "
            "run `make demo` first"
        )
    return None


def main() -> int:
    stale = stale_message(REPORT)
    if stale is not None:
        print(stale, file=sys.stderr)
        return 2
    exe = os.environ.get("TEF_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        print("screenshot_demo: Debian's chromium is not installed", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(REPORT.as_uri())
            # this machine's checkout folder means nothing to a reader of the docs
            page.evaluate(
                """root => { const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                   for (let n = w.nextNode(); n; n = w.nextNode())
                     n.nodeValue = n.nodeValue.split(root).join('…'); }""",
                str(ROOT),
            )
            page.screenshot(path=str(TARGET), clip={"x": 0, "y": 0, "width": 1280, "height": 1400}, full_page=True)
        finally:
            browser.close()
    print(f"screenshot_demo: wrote {TARGET.relative_to(ROOT)} from {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
