"""The PDF of the whole guide (issue 6), and printing single pages from the browser."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from conftest import ROOT, norm, run_build
from guide import notice as notice_mod, policies

NOTICE = notice_mod.load(str(ROOT / "docs/notice/notice-2020.txt"))


@pytest.fixture(scope="module")
def reader(site):
    path = site / "downloads/guide-zh.pdf"
    assert path.exists() and path.stat().st_size > 100_000
    return PdfReader(str(path))


def _fonts(reader):
    fonts = {}
    for page in reader.pages:
        for font in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    return fonts


def test_a4_pages(reader):
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 1 and abs(float(box.height) - 841.9) < 1
    assert len(reader.pages) > 100


def test_fonts_are_simplified_chinese_and_embedded(reader):
    fonts = _fonts(reader)
    cjk = [name for name in fonts if "CJK" in name]
    assert cjk, fonts.keys()
    for name in cjk:
        assert re.search(r"CJK[-_ ]?SC", name, re.I), f"{name} is not a Simplified Chinese face"
    for name in fonts:
        assert not re.search(r"CJK[-_ ]?(JP|TC|HK|KR)", name, re.I), name
    for name, font in fonts.items():
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] if "/DescendantFonts" in font \
            else font.get("/FontDescriptor")
        descriptor = descriptor.get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), f"{name} is not embedded"


def _outline_titles(outline, depth=0, out=None):
    out = [] if out is None else out
    for entry in outline:
        if isinstance(entry, list):
            _outline_titles(entry, depth + 1, out)
        else:
            out.append((depth, entry.title, entry))
    return out


def test_outline_has_sections_items_policies_and_templates(reader):
    entries = _outline_titles(reader.outline)
    titles = [norm(t) for _, t, _ in entries]
    for item in NOTICE.items:
        assert norm(item.title) in titles, item.title
    for part in ("工作要点", "表格模板", "政策库"):
        assert part in titles
    assert "女职工劳动保护特别规定" in titles
    # every template starts on a page of its own
    tpl_depth = next(d for d, t, _ in entries if t == "表格模板")
    start = titles.index("表格模板")
    pages = []
    for depth, title, entry in entries[start + 1:]:
        if depth <= tpl_depth:
            break
        pages.append(reader.get_destination_page_number(entry))
    assert len(pages) >= 26 and len(set(pages)) == len(pages)


def test_text_holds_item_titles_and_article_text(reader):
    text = norm("".join(page.extract_text() or "" for page in reader.pages))
    for item in NOTICE.items:
        assert norm(item.title) in text, item.title
    body = (ROOT / "docs/policies/gwy-619.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    article7 = policies.parse_page(body)["art-7"].text
    assert norm(article7) in text
    assert "目录" in text and "焦作市教科文卫体工会女职工委员会" in text


def test_internal_links_stay_inside_the_document(reader):
    internal = external = 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            if action is not None and action.get("/S") == "/URI":
                uri = str(action["/URI"])
                assert uri.startswith(("http://", "https://", "mailto:")), f"relative link left in the PDF: {uri}"
                external += 1
            else:
                assert "/Dest" in annot or (action is not None and action.get("/S") == "/GoTo"), annot
                internal += 1
    assert internal > 500


def test_missing_cjk_font_stops_the_pdf_with_the_package_named(project_copy, tmp_path):
    conf = tmp_path / "fonts.conf"
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>{empty}</dir>'
                    f'<cachedir>{tmp_path / "cache"}</cachedir></fontconfig>', encoding="utf-8")
    out = tmp_path / "site"
    result = run_build(project_copy, out, pdf=True, FONTCONFIG_FILE=str(conf))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "fonts-noto-cjk" in output and "Noto Sans CJK SC" in output, output
    assert not out.exists()


def test_printing_a_page_shows_only_its_content(browser, served):
    page = browser.new_page()
    page.goto(served + "rights/")
    assert page.is_visible("button.guide-print")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".guide-downloads"):
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).display") == "none", selector
    assert page.is_visible("article h1")
    page.goto(served + "templates/sign-in-sheet/")
    page.emulate_media(media="print")
    assert page.is_visible(".guide-form")
    assert not page.is_visible("#when")
    page.close()
