"""The whole guide as one PDF, made by WeasyPrint from the pages the build renders.

The hooks hand over each page's article HTML in navigation order (templates after
the templates index). This module joins them into one print document: a cover, a
contents list with page numbers, one part per navigation section, each page and each
template starting on a new page, internal links turned into in-document links, and
PDF bookmarks to the same depth as the contents. Fonts are named explicitly
(Noto Sans/Serif CJK SC) so no Japanese or Traditional glyph shapes appear.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import logging
import posixpath
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from typing import TYPE_CHECKING

if TYPE_CHECKING:   # imported where used: only a build that makes the PDF needs it
    from bs4 import BeautifulSoup

FONT_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC")
FONT_PACKAGE = "fonts-noto-cjk"
CSS_FILE = Path(__file__).with_name("pdf.css")


class PdfError(RuntimeError):
    pass


@dataclass
class Node:
    """A navigation entry: a section (title, children) or a page (url)."""
    title: str
    url: str | None = None
    children: list["Node"] = field(default_factory=list)


def missing_fonts() -> list[str]:
    """The required families that fontconfig cannot find."""
    if not shutil.which("fc-list"):
        return list(FONT_FAMILIES)
    missing = []
    for family in FONT_FAMILIES:
        out = subprocess.run(["fc-list", f"{family}:lang=zh-cn", "family"], capture_output=True, text=True).stdout
        if family not in out:
            missing.append(family)
    return missing


def _slug(url: str) -> str:
    return "p-" + (re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home")


def _clean(article: BeautifulSoup) -> None:
    """Remove what has no place on paper."""
    for sel in ("a.headerlink", ".guide-form-actions", ".guide-textsize", ".md-source-file",
                ".md-tags", "aside.guide-page-info", "button", "script", ".md-content__button", "form"):
        for el in article.select(sel):
            el.decompose()
    for box in article.select(".guide-planner"):   # a planner computes in the browser only: say so on paper
        note = article.new_tag("p")
        note.string = box.get("data-pdf-note", "")
        box.replace_with(note)
    for details in article.find_all("details"):
        details["open"] = ""


def _rewrite(article, page_url: str, pages: dict[str, str]) -> None:
    """Prefix ids with the page's slug; point links to pages inside the document."""
    prefix = pages[page_url]
    for el in article.find_all(id=True):
        el["id"] = f"{prefix}--{el['id']}"
    for a in article.find_all("a", href=True):
        href = a["href"]
        parts = urlsplit(href)
        a.attrs.pop("title", None)
        if parts.scheme or parts.netloc:
            a["class"] = a.get("class", []) + ["pdf-external"]
            continue
        if not parts.path:
            a["href"] = f"#{prefix}--{parts.fragment}" if parts.fragment else f"#{prefix}"
            continue
        target = posixpath.normpath(posixpath.join(page_url or ".", parts.path))
        target = "" if target == "." else target.rstrip("/") + "/"
        if target in pages:
            a["href"] = f"#{pages[target]}--{parts.fragment}" if parts.fragment else f"#{pages[target]}"
        else:  # a download or a file beside the page: keep the text, drop the dead link
            a.name = "span"
            a.attrs = {"class": "pdf-file"}


def build_html(nav: list[Node], articles: dict[str, str], meta: dict) -> str:
    """One HTML document: cover, contents, then the parts and pages of `nav`."""
    from bs4 import BeautifulSoup

    page_urls = []

    def walk(nodes):
        for node in nodes:
            if node.url is not None and node.url in articles:
                page_urls.append(node.url)
            walk(node.children)
    walk(nav)
    slugs = {url: _slug(url) for url in page_urls}

    toc: list[str] = []
    body: list[str] = []

    def emit(nodes, depth):
        for node in nodes:
            if node.url is not None and node.url in articles:
                soup = BeautifulSoup(articles[node.url], "html.parser")
                _clean(soup)
                _rewrite(soup, node.url, slugs)
                h1 = soup.find("h1")
                if h1 is not None:
                    h1["class"] = h1.get("class", []) + [f"pdf-level-{min(depth, 4)}"]
                kind = "pdf-template" if re.match(r"(en/)?templates/.", node.url) else ""
                body.append(f'<section class="pdf-page {kind}" id="{slugs[node.url]}">{soup.decode()}</section>')
                toc.append(f'<li class="toc-{depth}"><a href="#{slugs[node.url]}">{html.escape(node.title)}</a></li>')
            if node.url is None:
                anchor = f"part-{len(toc)}"
                level = min(depth, 4)
                body.append(f'<h1 class="pdf-part pdf-level-{level}" id="{anchor}">{html.escape(node.title)}</h1>')
                toc.append(f'<li class="toc-{depth} toc-part"><a href="#{anchor}">{html.escape(node.title)}</a></li>')
            emit(node.children, depth + 1)
    emit(nav, 1)

    lang = meta.get("lang", "zh")
    labels = {"zh": ("目录", "版"), "en": ("Contents", " edition")}[lang if lang == "en" else "zh"]
    cover = (f'<section class="pdf-cover"><p class="pdf-cover-title">{html.escape(meta["title"])}</p>'
             f'<p class="pdf-cover-subtitle">{html.escape(meta["subtitle"])}</p>'
             f'<p class="pdf-cover-issuer">{html.escape(meta["issuer"])}</p>'
             f'<p class="pdf-cover-date">{html.escape(meta["date"])}{labels[1]}</p></section>')
    contents = f'<section class="pdf-toc"><h1 class="pdf-toc-title">{labels[0]}</h1><ul>{"".join(toc)}</ul></section>'
    html_lang = "zh-Hans" if lang != "en" else "en"
    return (f'<!doctype html><html lang="{html_lang}"><head><meta charset="utf-8"><title>{html.escape(meta["title"])}'
            f'</title></head><body>{cover}{contents}{"".join(body)}</body></html>')


def render(document: str, out: Path, cache_dir: Path) -> tuple[Path, bool]:
    """Write the PDF (through a temporary file), reusing a cached one when nothing changed.

    Returns (path, from_cache). Raises PdfError with a readable message on failure.
    """
    css = CSS_FILE.read_text(encoding="utf-8")
    key = hashlib.sha256((document + css).encode()).hexdigest()[:20]
    cached = cache_dir / f"{out.stem}--{key}.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    if cached.exists():
        shutil.copyfile(cached, out)
        return out, True
    missing = missing_fonts()
    if missing:
        raise PdfError(f"no Simplified Chinese font found ({', '.join(missing)}); the PDF needs it so that no "
                       f"Japanese or Traditional glyph shapes appear.\n    → install it: apt-get install {FONT_PACKAGE} "
                       f"(bash scripts/dev.sh does this), or skip the PDF with GUIDE_PDF=0")
    from weasyprint import CSS, HTML  # imported here: slow to load, and only needed for the PDF

    tmp = out.with_suffix(".tmp.pdf")
    failures = _Failures()
    logging.getLogger("weasyprint").addHandler(failures)
    try:
        HTML(string=document, base_url=str(out.parent)).write_pdf(tmp, stylesheets=[CSS(string=css)])
    except Exception as err:  # WeasyPrint raises many kinds
        tmp.unlink(missing_ok=True)
        raise PdfError(f"WeasyPrint could not lay out the guide: {err}") from err
    finally:
        logging.getLogger("weasyprint").removeHandler(failures)
    if failures.messages:
        tmp.unlink(missing_ok=True)
        raise PdfError("resources could not be loaded:\n    " + "\n    ".join(failures.messages)
                       + "\n    → fix or remove the image or file on the page that uses it")
    cache_dir.mkdir(parents=True, exist_ok=True)
    for old in cache_dir.glob(f"{out.stem}--*.pdf"):
        old.unlink()
    shutil.copyfile(tmp, cached)
    tmp.replace(out)
    return out, False


class _Failures(logging.Handler):
    """Collects WeasyPrint's warnings about resources it could not load (it does not raise)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        message = record.getMessage()
        if "Failed to load" in message:
            self.messages.append(message)


def today_label(lang: str = "zh") -> str:
    d = dt.date.today()
    return d.strftime("%B %Y") if lang == "en" else f"{d.year}年{d.month}月"
