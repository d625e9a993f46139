"""Writers: the rendered Markdown as Markdown, a printable HTML page, and a Word document.

One parser (markdown-it, CommonMark with tables, raw HTML disabled) reads the Markdown for
both HTML and DOCX, so the three formats always say the same thing. HTML escapes every
value; DOCX keeps headings, numbered clauses (numbers written out, so that Word never
renumbers them) and the signature table.
"""

from __future__ import annotations

import html
import io
from typing import Any

CSS = """
@page { size: A4; margin: 20mm 18mm 22mm 18mm; }
html { background: #f3f3f3; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", "Times New Roman", serif;
       font-size: 11pt; line-height: 1.7; color: #111; background: #fff;
       max-width: 210mm; margin: 12mm auto; padding: 18mm; box-sizing: border-box;
       box-shadow: 0 0 6px rgba(0,0,0,.15); }
h1 { font-size: 20pt; text-align: center; letter-spacing: .15em; margin: 0 0 1.2em; }
h2 { font-size: 12.5pt; margin: 1.4em 0 .4em; page-break-after: avoid; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 1.1em 0 .3em; }
p { margin: .45em 0; text-align: justify; }
ol, ul { margin: .3em 0 .6em; padding-left: 2em; }
li { margin: .2em 0; }
table { width: 100%; border-collapse: collapse; margin: .8em 0; page-break-inside: avoid;
        break-inside: avoid; }
th, td { border: 1px solid #555; padding: 6px 8px; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
hr { border: none; border-top: 1px solid #999; margin: 1.2em 0; }
@media print {
  html, body { background: #fff; }
  body { margin: 0; padding: 0; max-width: none; box-shadow: none; }
  a { color: inherit; text-decoration: none; }
}
"""


def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def markdown_bytes(text: str) -> bytes:
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def html_page(text: str, *, title: str, language: str) -> str:
    body = _parser().render(text)
    lang = "zh-CN" if language == "zh" else "en"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n"
        f'<body>\n<main class="document">\n{body}</main>\n</body>\n</html>\n'
    )


def html_bytes(text: str, *, title: str, language: str) -> bytes:
    return html_page(text, title=title, language=language).encode("utf-8")


# --------------------------------------------------------------------------- docx


def _set_east_asian_font(style: Any, name: str) -> None:
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _page_numbers(section: Any, language: str) -> None:
    """A centred footer "第 X 页 共 Y 页" (or "Page X of Y") with Word's PAGE/NUMPAGES fields."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    words = ("Page ", " of ", "") if language == "en" else ("第 ", " 页 共 ", " 页")
    for text, field in ((words[0], "PAGE"), (words[1], "NUMPAGES")):
        paragraph.add_run(text)
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), field)
        run = OxmlElement("w:r")
        shown = OxmlElement("w:t")
        shown.text = "1"
        run.append(shown)
        simple.append(run)
        paragraph._p.append(simple)
    if words[2]:
        paragraph.add_run(words[2])


def _new_document(title: str, language: str, author: str = "") -> Any:
    from docx import Document
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(22), Mm(22)
    latin = "Times New Roman"
    east = "SimSun"
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = doc.styles[name]
        style.font.name = latin
        _set_east_asian_font(style, east)
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.core_properties.title = title
    doc.core_properties.language = "zh-CN" if language == "zh" else "en-GB"
    # The document is ours: the library's default author ("python-docx") would show instead.
    doc.core_properties.author = author
    doc.core_properties.last_modified_by = author
    doc.core_properties.comments = ""
    _page_numbers(section, language)
    return doc


def _add_inline(paragraph: Any, token: Any) -> None:
    """Runs for an inline token: text, bold, italics, code and line breaks."""
    bold = italic = False
    for child in token.children or []:
        kind = child.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind in ("softbreak",):
            paragraph.add_run(" ")
        elif kind == "hardbreak":
            paragraph.add_run().add_break()
        elif kind in ("text", "code_inline"):
            run = paragraph.add_run(child.content)
            run.bold = bold or None
            run.italic = italic or None


class _DocxBuilder:
    """Walks the Markdown tokens of a draft and adds Word paragraphs, lists and tables."""

    def __init__(self, doc: Any, tokens: list[Any]) -> None:
        self.doc = doc
        self.tokens = tokens
        self.lists: list[dict[str, Any]] = []  # stack of {"ordered": bool, "next": int}
        self.table_rows: list[list[tuple[Any, bool]]] | None = None
        self.current_row: list[tuple[Any, bool]] | None = None
        self.pending_prefix: str | None = None

    def build(self) -> Any:
        i = 0
        while i < len(self.tokens):
            i += self.step(i, self.tokens[i])
        return self.doc

    def step(self, i: int, tok: Any) -> int:
        """Handle the token at ``i``; returns how many tokens it used."""
        kind = tok.type
        if kind == "heading_open":
            self.heading(int(tok.tag[1]), self.tokens[i + 1])
            return 3
        if kind == "paragraph_open" and self.table_rows is None:
            self.paragraph(self.tokens[i + 1])
            return 3
        if kind.endswith("list_open") or kind.endswith("list_close") or kind == "list_item_open":
            self.list_token(tok)
        elif kind in ("table_open", "tr_open", "th_open", "td_open", "tr_close", "table_close"):
            self.table_token(kind, i)
        elif kind == "hr":
            self.doc.add_paragraph("")
        return 1

    def heading(self, level: int, inline: Any) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        if level == 1:
            heading = self.doc.add_heading(level=0)
            heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            heading = self.doc.add_heading(level=min(level - 1, 3))
        _add_inline(heading, inline)

    def paragraph(self, inline: Any) -> None:
        from docx.shared import Mm

        paragraph = self.doc.add_paragraph()
        depth = len(self.lists)
        if depth:
            paragraph.paragraph_format.left_indent = Mm(7 * depth)
            paragraph.paragraph_format.first_line_indent = Mm(-5)
        if self.pending_prefix:
            paragraph.add_run(self.pending_prefix)
            self.pending_prefix = None
        _add_inline(paragraph, inline)

    def list_token(self, tok: Any) -> None:
        kind = tok.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(tok.attrGet("start") or 1) if kind == "ordered_list_open" else 1
            self.lists.append({"ordered": kind == "ordered_list_open", "next": start})
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            top = self.lists[-1]
            if top["ordered"]:
                self.pending_prefix = f"{top['next']}. "
                top["next"] += 1
            else:
                self.pending_prefix = "• "

    def table_token(self, kind: str, i: int) -> None:
        if kind == "table_open":
            self.table_rows = []
        elif kind == "tr_open":
            self.current_row = []
        elif kind in ("th_open", "td_open"):
            assert self.current_row is not None
            self.current_row.append((self.tokens[i + 1], kind == "th_open"))
        elif kind == "tr_close":
            assert self.table_rows is not None and self.current_row is not None
            self.table_rows.append(self.current_row)
        elif kind == "table_close":
            assert self.table_rows is not None
            self.table(self.table_rows)
            self.table_rows = None

    def table(self, rows: list[list[tuple[Any, bool]]]) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT

        table = self.doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for r, row in enumerate(rows):
            for c, (inline, header) in enumerate(row):
                paragraph = table.cell(r, c).paragraphs[0]
                _add_inline(paragraph, inline)
                if header:
                    for run in paragraph.runs:
                        run.bold = True


def docx_document(text: str, *, title: str, language: str, author: str = "") -> Any:
    doc = _new_document(title, language, author)
    return _DocxBuilder(doc, _parser().parse(text)).build()


def docx_bytes(text: str, *, title: str, language: str, author: str = "") -> bytes:
    doc = docx_document(text, title=title, language=language, author=author)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def write_file(path: Any, data: bytes) -> None:
    """Write a finished document; an unwritable path is ``Invalid`` (exit 2)."""
    from pathlib import Path

    from bizops.domain.errors import Invalid
    from bizops.i18n import _

    target = Path(path)
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise Invalid(
            _("{option}: cannot write {path}: {error}").format(
                option="-o", path=target, error=exc.strerror or exc
            )
        ) from None
