"""Regenerate docs/report-desktop.png from the demo's own report (``make demo`` first): the
README captions it as the demo's HTML report, so it is taken from examples/credit/out, not from
the browser test's smaller audit. Debian's Chromium through Playwright, headless, offline, at
the 1280 px width and 1400 px height the browser test uses. The report shows the input files'
absolute paths; in the picture the repository's folder is written ``…`` (the text of the page
is changed in the browser before the shot, never the report file).

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
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def main() -> int:
    exe = os.environ.get("TEF_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        print("screenshot_demo: Debian's chromium is not installed", file=sys.stderr)
        return 2
    if not REPORT.is_file():
        print(f"screenshot_demo: {REPORT} not found: run `make demo` first", file=sys.stderr)
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
