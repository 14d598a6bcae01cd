"""Templates: one Markdown source per form, published as a page and as a Word .docx.

A template page (kind: template) explains when to use it, then `## 模板 {#form}`;
everything after that heading is the form. The build wraps the form for printing
and converts its rendered HTML into an A4 .docx with python-docx: 黑体 headings,
仿宋 body text, 宋体 tables with borders, blanks (runs of ＿) as underlined space.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from guide import markup
from guide.content_model import Problem, split_body

FORM_HEADING_RE = re.compile(r"^## .+ \{#form\}\s*$", re.M)
BLANK_RE = re.compile(r"＿{2,}")
DOCX_DIR = "downloads/templates"

BODY_FONT, HEADING_FONT, TABLE_FONT = "仿宋", "黑体", "宋体"


def docx_path(template_id: str, lang: str = "zh") -> str:
    """Site-relative URL of a template's .docx (stable: officers share it); English: ID.en.docx."""
    return f"{DOCX_DIR}/{template_id}{'.en' if lang == 'en' else ''}.docx"


# --------------------------------------------------------------------------- source checks

def check_source(rel: str, text: str, meta: dict) -> list[Problem]:
    shown = f"docs/{rel}"
    problems = []
    stem = Path(rel).name.removesuffix(".md").removesuffix(".en")
    if meta.get("template_id") != stem:
        problems.append(Problem(shown, meta.get("__lines__", {}).get("template_id"),
                                f"template id '{meta.get('template_id')}' differs from the file name '{stem}'",
                                "the id is the file name and the published URL: make them equal"))
    body, offset = split_body(text)
    if not FORM_HEADING_RE.search(body):
        problems.append(Problem(shown, None, "no form part: the heading '## 模板 {#form}' is missing",
                                "put the form after a heading '## 模板 {#form}'"))
    problems += check_tables(shown, body, offset)
    return problems


def check_tables(shown: str, body: str, offset: int) -> list[Problem]:
    """Every pipe table: a header, a separator row, and the same number of cells in every row."""
    problems = []
    lines = body.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].lstrip().startswith("|"):
            start = i
            rows = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(lines[i])
                i += 1
            counts = [len(_cells(r)) for r in rows]
            if len(rows) < 2 or not re.fullmatch(r"\s*\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*\|?\s*", rows[1]):
                problems.append(Problem(shown, offset + start + 1, "malformed table: the second row must be the "
                                        "separator (| --- | --- |)", "add a header row and a separator row"))
            elif len(set(counts)) > 1:
                bad = next(n for n, c in enumerate(counts) if c != counts[0])
                problems.append(Problem(shown, offset + start + bad + 1,
                                        f"malformed table: this row has {counts[bad]} cells, the header {counts[0]}",
                                        "give every row the same number of cells; write empty cells as '|  |'"))
        i += 1
    return problems


def _cells(row: str) -> list[str]:
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return re.split(r"(?<!\\)\|", row)


# --------------------------------------------------------------------------- page markdown

def wrap_form(markdown: str, download_href: str, labels: dict) -> str:
    """Put the download and print buttons under the form heading and wrap the form for print."""
    m = FORM_HEADING_RE.search(markdown)
    if not m:
        return markdown
    buttons = (f'<p class="guide-form-actions"><a class="md-button md-button--primary" href="{download_href}" download>'
               f'{labels["download"]}</a> <button type="button" class="md-button guide-print">{labels["print"]}'
               f"</button></p>")
    # data-search-exclude is meant to keep the form's blanks out of the search index, but Material's
    # search parser ends the exclusion at the first </div> inside the form, so most of a form is indexed
    return (markdown[: m.end()] + "\n\n" + markup.defer(buttons + '\n<div class="guide-form" data-search-exclude>') + "\n\n"
            + markdown[m.end():].rstrip() + "\n\n" + markup.defer("</div>") + "\n")


# --------------------------------------------------------------------------- .docx

def _fonts(run_or_style, east_asian: str, size: float | None = None, bold: bool | None = None):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = "Times New Roman"
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asian)


def _add_inline(paragraph, node, east_asian: str, size: float, bold: bool = False):
    """Text, bold and blanks of one HTML element into a paragraph."""
    from bs4 import NavigableString, Tag

    for child in node.children:
        if isinstance(child, NavigableString):
            parts = BLANK_RE.split(str(child))
            blanks = BLANK_RE.findall(str(child))
            for k, text in enumerate(parts):
                text = re.sub(r"\s+", " ", text)
                if text:
                    _fonts(paragraph.add_run(text), east_asian, size, bold)
                if k < len(blanks):
                    run = paragraph.add_run("\u3000" * len(blanks[k]))
                    run.font.underline = True
                    _fonts(run, east_asian, size, bold)
        elif isinstance(child, Tag) and child.name == "br":
            paragraph.add_run().add_break()
        elif isinstance(child, Tag):
            _add_inline(paragraph, child, east_asian, size, bold or child.name in ("strong", "b"))


def build_docx(title: str, form_html: str, lang: str = "zh") -> bytes:
    # imported here: python-docx and BeautifulSoup are only needed when a .docx is not cached
    from bs4 import BeautifulSoup
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)            # A4
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.5)
    section.left_margin, section.right_margin = Cm(2.6), Cm(2.4)
    _fonts(doc.styles["Normal"], BODY_FONT, 12)
    doc.core_properties.title = title
    doc.core_properties.language = "en-GB" if lang == "en" else "zh-CN"
    soup = BeautifulSoup(form_html, "html.parser")
    first_heading = True
    for el in soup.find_all(["h3", "h4", "h5", "p", "ol", "ul", "table"], recursive=False) or []:
        if el.name in ("h3", "h4", "h5"):
            p = doc.add_paragraph()
            size = 18 if first_heading else (14 if el.name == "h3" else 12)
            if first_heading:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for a in el.select("a.headerlink"):
                a.decompose()
            _add_inline(p, el, HEADING_FONT, size, bold=True)
            first_heading = False
        elif el.name == "p":
            _add_inline(doc.add_paragraph(), el, BODY_FONT, 12)
        elif el.name in ("ol", "ul"):
            for n, li in enumerate(el.find_all("li", recursive=False), 1):
                p = doc.add_paragraph()
                marker = f"{n}. " if el.name == "ol" else "• "
                _fonts(p.add_run(marker), BODY_FONT, 12)
                _add_inline(p, li, BODY_FONT, 12)
        elif el.name == "table":
            rows = el.find_all("tr")
            cols = max(len(r.find_all(["th", "td"])) for r in rows)
            table = doc.add_table(rows=len(rows), cols=cols)
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for r, row in enumerate(rows):
                for c, cell in enumerate(row.find_all(["th", "td"])):
                    target = table.cell(r, c).paragraphs[0]
                    _add_inline(target, cell, TABLE_FONT, 10.5, bold=cell.name == "th")
            doc.add_paragraph()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


FORM_START_RE = re.compile(r'<div class="guide-form"[^>]*>')   # data-search-exclude may still be on it
DIV_RE = re.compile(r"<(/?)div\b")


def form_html(page_html: str) -> str:
    """The inner HTML of the form's <div class="guide-form"> (found by counting nested divs)."""
    found = FORM_START_RE.search(page_html)
    if not found:
        return ""
    start, depth = found.start(), 0
    for m in DIV_RE.finditer(page_html, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return page_html[found.end(): m.start()]
    return page_html[found.end():]


def write_docx(site_dir: Path, cache_dir: Path, template_id: str, title: str, html: str, lang: str = "zh") -> Path:
    """Write the .docx of one template, reusing a cached file when the form did not change."""
    key = hashlib.sha256(f"v1|{lang}|{title}|{html}".encode()).hexdigest()[:20]   # "--" never occurs in an id
    name = f"{template_id}.{lang}"
    cached = cache_dir / f"{name}--{key}.docx"
    if not cached.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        for old in cache_dir.glob(f"{name}--*.docx"):
            old.unlink()
        cached.write_bytes(build_docx(title, html, lang))
    out = site_dir / docx_path(template_id, lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(cached.read_bytes())
    return out
