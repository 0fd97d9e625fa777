"""report.md: verdict and reasons, escaped values, and never over 65,000 characters."""

from __future__ import annotations

import re

import pytest

from tef_harness.reports.renderers.markdown_report import MAX_CHARS, md_text, render_markdown
from tef_harness.reports.schema import ConformityReport
from tef_harness.sdk.results import Finding, Severity, Status
from tests.reports.conftest import hostile_result, make_result, report_with


def test_summary_content(engine_report: ConformityReport) -> None:
    report = report_with(engine_report, [make_result("a.ok"), make_result("b.bad", Status.FAILED), hostile_result()])
    md = render_markdown(report, full_report="out/report.html")
    assert "non-conformant" in md
    assert "`b.bad`" in md and "why b.bad is failed" in md
    assert "Passed: `a.ok`" in md
    assert "out/report.html" in md
    assert "BIAS001" in md  # the top findings table


def test_markup_is_escaped(engine_report: ConformityReport) -> None:
    md = render_markdown(report_with(engine_report, [hostile_result()]))
    assert "<script>" not in md.replace("\\<script>", "") and "<img" not in md.replace("\\<img", "")
    assert "\\<script>" in md  # CommonMark's backslash escape: shown as text, never run
    assert md_text("a|b") == "a\\|b"  # a pipe would end a table cell


def test_never_over_the_limit(engine_report: ConformityReport) -> None:
    many = [
        make_result(
            f"fam.check_{i:04d}",
            Status.FAILED,
            reason="x" * 400,
            findings=tuple(
                Finding(code="ABC001", severity=Severity.HIGH, message="y" * 290 + str(j)) for j in range(5)
            ),
        )
        for i in range(800)
    ]
    md = render_markdown(report_with(engine_report, many))
    assert len(md) <= MAX_CHARS
    assert "truncated to stay under 65,000 characters" in md
    # a small limit still holds, note included
    assert len(render_markdown(report_with(engine_report, many), limit=3000)) <= 3000


#: values as a card, a data set or a reason can hold them: markup, entities, quotes, plain maths
HOSTILE = [
    "needs >= 0.8; a < b & c",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</p><b>bold</b>",
    "<!-- hidden --> <?php ?>",
    "<https://example.org> and <mail@example.org>",
    "&amp; &gt; &#60; &#x3C; &copy;",
    "> a quote",
    "**strong** _em_ `code` [link](https://x) ![img](y) | cell # h ~strike~",
    "x < y > z & w",
    "\\<b>already escaped\\</b>",
]


def _text_of(markdown: str) -> tuple[str, list[str]]:
    """The text a CommonMark renderer (raw HTML allowed, as on GitHub) shows for ``markdown``,
    and the kinds of the inline tokens it made that are not plain text."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", {"html": True}).parse(markdown)
    inline = [child for t in tokens if t.type == "inline" for child in t.children or ()]
    block_markup = [t.type for t in tokens if t.type not in ("paragraph_open", "paragraph_close", "inline")]
    text = "".join(c.content for c in inline if c.type in ("text", "code_inline"))
    return text, block_markup + [c.type for c in inline if c.type != "text"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_value_reads_as_written_and_never_as_markup(value: str) -> None:
    """md_text escapes exactly what Markdown would read as markup: rendered by a CommonMark
    parser, the text is the value itself and there is no HTML, link, emphasis or quote."""
    text, markup = _text_of(md_text(value))
    assert markup == [] and text == value


def test_plain_comparisons_are_not_html_escaped(engine_report: ConformityReport) -> None:
    """Before, report.md printed 'needs &gt;= 0.8': entities in plain text, for a comparison
    that Markdown reads as text anyway."""
    failed = make_result("a.bad", Status.FAILED, reason="gap = 0.3, needs <= 0.1; ratio = 0.5, needs >= 0.8 & more")
    md = render_markdown(report_with(engine_report, [failed]))
    assert "gap = 0.3, needs <= 0.1; ratio = 0.5, needs >= 0.8 & more" in md
    assert not re.search(r"&(gt|lt|amp);", md)
