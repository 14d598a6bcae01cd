"""The English edition (issue 9): every page translated and kept in step with the Chinese page,
the glossary, the policy translations, the language switcher, English PDF and .docx."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, replace_once, run_build, soup
from guide import policies, translation
from guide.content_model import FRONT_MATTER_RE

DOCS = ROOT / "docs"
HAN = re.compile(r"[\u3400-\u9fff]")
ZH_PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md") if not p.name.endswith(".en.md"))
BILINGUAL = {"about/glossary.md"}     # the glossary's table has a Chinese column
CITED = sorted({m.group(1) for p in ZH_PAGES if not p.startswith("policies/")
                for m in translation.CITE_RE.finditer((DOCS / p).read_text(encoding="utf-8")) if ":" in m.group(1)})


def _en(rel: str) -> str:
    return rel[:-3] + ".en.md"


def _html(site: Path, rel: str, lang: str) -> Path:
    """Built HTML file of a source page."""
    stem = rel[:-3]
    url = stem[: -len("index")] if stem.endswith("index") else stem + "/"
    return site / ("en/" if lang == "en" else "") / url / "index.html"


def _prose(tag) -> str:
    """Visible text of an article, without code, quoted Chinese originals and untranslated articles."""
    for el in tag.select('code, pre, [lang="zh-Hans"], .guide-keywords, .md-source-file'):
        el.decompose()
    return tag.get_text(" ")


# --------------------------------------------------------------------------- parity of the sources

@pytest.mark.parametrize("rel", ZH_PAGES)
def test_every_page_has_an_english_page_with_the_same_structure(rel):
    en = DOCS / _en(rel)
    assert en.exists(), f"docs/{rel} has no English page docs/{_en(rel)}"
    problems = translation.parity(rel, (DOCS / rel).read_text(encoding="utf-8"), _en(rel), en.read_text(encoding="utf-8"))
    assert not problems, "\n".join(map(str, problems))


def test_parity_compares_headings_citations_template_links_and_markers():
    zh = "---\nkind: page\n---\n## 甲 {#a}\n见[[gwy-619:8]]、[[gwy-619:7]]和[表](../templates/sign-in-sheet.md)。\n<!-- guide:items -->\n"
    same = "---\nkind: page\n---\n## A {#a}\nSee [[gwy-619:8]], [[gwy-619:7]] and the [form](../templates/sign-in-sheet.md).\n<!-- guide:items -->\n"
    assert translation.parity("x.md", zh, "x.en.md", same) == []
    drifted = {
        "heading id": same.replace("{#a}", "{#b}"),
        "citation": same.replace("gwy-619:7", "gwy-619:9"),
        "template link": same.replace("sign-in-sheet", "registration-form"),
        "marker": same.replace("<!-- guide:items -->\n", ""),
        "order": same.replace("[[gwy-619:8]], [[gwy-619:7]]", "[[gwy-619:7]], [[gwy-619:8]]"),
        "section": same.replace("## A {#a}\nSee", "See").replace(" and the [form]", "\n## A {#a}\nand the [form]"),
        "kind": same.replace("kind: page", "kind: item"),
    }
    for what, en in drifted.items():
        assert translation.parity("x.md", zh, "x.en.md", en), what


def test_every_built_page_exists_in_both_languages_and_no_fallback_remains(site):
    for rel in ZH_PAGES:
        zh, en = _html(site, rel, "zh"), _html(site, rel, "en")
        assert zh.exists() and en.exists(), rel
        page = soup(en)
        assert page.html["lang"] == "en", rel
        article = page.select_one("article")
        text = _prose(article)
        letters = [c for c in text if c.isalpha()]
        han = HAN.findall(text)
        # English pages keep Chinese only for names given once in brackets, and controlled values
        if rel not in BILINGUAL:
            assert len(han) < 0.05 * len(letters), f"{rel}: {len(han)} Chinese characters in {len(letters)} letters"


def test_language_selector_points_to_the_same_page(site):
    for rel in ZH_PAGES:
        for lang, other in (("zh", "en"), ("en", "zh")):
            path = _html(site, rel, lang)
            links = {a["hreflang"]: a["href"] for a in soup(path).select(".md-select__link[hreflang]")}
            target = (path.parent / links[other]).resolve() / "index.html"
            assert target == _html(site, rel, other).resolve(), (rel, lang, links)


# --------------------------------------------------------------------------- glossary

GLOSSARY = yaml.safe_load((ROOT / "scripts/guide/glossary.yml").read_text(encoding="utf-8"))


def test_glossary_entries_are_complete_and_unambiguous():
    seen = {}
    for term in GLOSSARY["terms"]:
        assert isinstance(term["zh"], str) and isinstance(term["en"], str), term
        for bad in term.get("avoid", []):
            assert bad.lower() not in term["en"].lower(), term
        assert term["zh"] not in seen or seen[term["zh"]] == term["en"], term
        seen[term["zh"]] = term["en"]
    assert set(GLOSSARY["tags"]) == {"会员", "工会干部", "学习", "维权", "关爱", "健康", "托管", "文体", "组织建设"}


def _missing_terms(zh: str, en: str) -> list[str]:
    """Glossary terms the Chinese text uses whose English (`en` or an `accept` form) the English text lacks."""
    zh, en = re.sub(r"`[^`]*`", "", zh), en.lower()
    return [f"{t['zh']} → {t['en']}" for t in translation.glossary_terms_in(zh)
            if not any(form.lower() in en for form in [t["en"], *t.get("accept", [])])]


def _assert_no_avoided_form(rel: str, en: str) -> None:
    for term in GLOSSARY["terms"]:
        for bad in term.get("avoid", []):
            assert not re.search(rf"(?<![a-z]){re.escape(bad.lower())}(?![a-z])", en.lower()), (rel, bad)


@pytest.mark.parametrize("rel", [p for p in ZH_PAGES if not p.startswith(("policies/", "notice/"))
                                 and p != "about/glossary.md"])
def test_english_page_uses_the_glossary_terms_of_its_chinese_page(rel):
    zh = FRONT_MATTER_RE.sub("", (DOCS / rel).read_text(encoding="utf-8"), count=1)
    en = (DOCS / _en(rel)).read_text(encoding="utf-8")
    missing = _missing_terms(zh, en)
    assert not missing, f"docs/{_en(rel)} lacks the glossary's English for: {missing}"
    _assert_no_avoided_form(rel, en)


ARTICLE_ID = re.compile(r"art-\d+|(?:annex|point)-\d+")


def _blocks(rel: str) -> dict[str, str]:
    """A policy page cut into its articles (by id: art-N, annex-N, point-N) and the rest of the page ("page")."""
    text = FRONT_MATTER_RE.sub("", (DOCS / rel).read_text(encoding="utf-8"), count=1)
    blocks, current = {"page": []}, "page"
    for line in text.splitlines():
        if m := policies.HEADING_RE.match(line):
            current = m.group(3) if ARTICLE_ID.fullmatch(m.group(3)) else "page"
            blocks.setdefault(current, [])
        blocks[current].append(line)
    return {ident: "\n".join(lines) for ident, lines in blocks.items()}


@pytest.mark.parametrize("rel", [p for p in ZH_PAGES if p.startswith("policies/")])
def test_english_policy_translation_uses_the_glossary_terms_of_the_chinese_text(rel):
    """Article by article: each translated article uses the glossary's English for the terms of its Chinese
    article (an article left in Chinese is not checked); the rest of the page as a whole."""
    assert (DOCS / _en(rel)).exists(), f"docs/{rel} has no English page"
    zh, en = _blocks(rel), _blocks(_en(rel))
    untranslated = {ident for ident, art in _articles(_en(rel)).items() if translation.untranslated(art.paragraphs)}
    missing = [f"{ident}: {term}" for ident, text in zh.items()
               if ident in en and ident not in untranslated for term in _missing_terms(text, en[ident])]
    assert not missing, f"docs/{_en(rel)} lacks the glossary's English for: {missing}"
    _assert_no_avoided_form(_en(rel), "\n".join(en.values()))


# --------------------------------------------------------------------------- policies

def _articles(rel: str) -> dict[str, policies.Article]:
    text = (DOCS / rel).read_text(encoding="utf-8")
    return policies.parse_page(FRONT_MATTER_RE.sub("", text, count=1))


def test_every_cited_article_is_translated():
    for cite in CITED:
        pid, ref = cite.split(":")
        art = f"art-{ref}" if ref.isdigit() else ref
        en = _articles(f"policies/{pid}.en.md")[art]
        assert not translation.untranslated(en.paragraphs), f"{cite} is cited but not translated"
        zh = _articles(f"policies/{pid}.md")[art]
        assert len(en.paragraphs) == len(zh.paragraphs), f"{cite}: paragraphs differ from the Chinese"


def test_decree_619_with_its_annex_and_the_facts_pages_are_translated_in_full():
    arts = _articles("policies/gwy-619.en.md")
    assert len(arts) == len(_articles("policies/gwy-619.md")) == 20
    assert all(not translation.untranslated(a.paragraphs) and not HAN.search(a.heading) for a in arts.values())
    for rel in ("policies/henan-186.en.md", "policies/union-women-committee.en.md", "policies/gwy-619.en.md"):
        body = re.sub(r"`[^`]*`", "", FRONT_MATTER_RE.sub("", (DOCS / rel).read_text(encoding="utf-8"), count=1))
        letters = [c for c in body if c.isalpha()]
        assert len(HAN.findall(body)) < 0.05 * len(letters), rel   # names given once in brackets only


def test_untranslated_articles_keep_the_exact_chinese_text():
    for zh_path in sorted(DOCS.glob("policies/*.md")):
        if zh_path.name.endswith(".en.md") or zh_path.name == "index.md":
            continue
        zh = _articles(f"policies/{zh_path.name}")
        for ident, art in _articles(f"policies/{zh_path.stem}.en.md").items():
            if translation.untranslated(art.paragraphs):
                assert art.paragraphs == zh[ident].paragraphs, f"{zh_path.stem} {ident}: Chinese text changed"


def test_english_policy_page_is_labelled_unofficial_and_links_the_chinese(site):
    page = soup(site / "en/policies/gwy-619/index.html")
    header = page.select_one(".guide-policy-header")
    assert "Unofficial translation" in header.get_text()
    assert "Only the Chinese text is authoritative" in header.get_text()
    link = header.select_one('a[hreflang="zh-Hans"]')
    assert (site / "en/policies/gwy-619" / link["href"]).resolve() == (site / "policies/gwy-619").resolve()
    assert page.select_one("h1").get_text(strip=True).startswith("Special Provisions on the Labour Protection of Women Workers")
    assert "In force" in header.get_text()


def test_an_article_left_in_chinese_is_marked_not_yet_translated(project_copy, tmp_path):
    """An uncited article may stay in Chinese: the page says so and marks the text as Chinese."""
    zh = _articles("policies/laodongfa-2018.md")["art-1"]
    en = _articles("policies/laodongfa-2018.en.md")["art-1"]
    if translation.untranslated(en.paragraphs):
        pytest.skip("already untranslated in the sources")
    assert "laodongfa-2018:1" not in CITED
    replace_once(project_copy, "docs/policies/laodongfa-2018.en.md", policies.md_text(en.paragraphs[0]),
          policies.md_text(zh.paragraphs[0]))
    result = run_build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    page = soup(tmp_path / "site/en/policies/laodongfa-2018/index.html")
    note = page.find(id="art-1").find_next_sibling("p")
    assert "guide-not-translated" in note["class"]
    text = note.find_next_sibling("p")
    assert text.get("lang") == "zh-Hans" and text.get_text() == zh.paragraphs[0]
    assert "data-search-exclude" in text.attrs        # indexed once, from the Chinese page
    assert page.find(id="art-2").find_next_sibling("p").get("lang") is None


def test_english_citations_quote_the_translation_and_the_chinese(site):
    page = soup(site / "en/rights/index.html")
    cite = page.select_one('a.guide-cite[href$="#art-7"]')
    assert cite is not None and ", Article 7" in cite.get_text() and not HAN.search(cite.get_text())
    assert not HAN.search(cite["title"])
    quotes = page.select("#cited-articles ~ details.quote")
    assert quotes
    for q in quotes:
        assert q.select('p[lang="zh-Hans"].guide-original'), "the Chinese original follows the translation"
        english = [p for p in q.select("p") if p.get("lang") != "zh-Hans" and "admonition-title" not in (p.get("class") or [])]
        assert english and not any(HAN.search(p.get_text()) for p in english)


# --------------------------------------------------------------------------- notice and item pages

def test_english_notice_keeps_the_line_structure_and_links_items(site):
    page = soup(site / "en/notice/index.html")
    for n in range(1, 14):
        para = page.find(id=f"item-{n}")
        assert para is not None and para.get_text().startswith(f"({n}) ")
        link = para.find_next_sibling("p").find("a")
        assert "/items/" in (site / "en/notice" / link["href"]).resolve().as_posix()
        assert (site / "en/notice" / link["href"] / "index.html").resolve().is_relative_to(site / "en")
    for n in range(1, 6):
        assert page.find(id=f"section-{n}") is not None


def test_english_item_pages_take_their_title_from_the_english_notice(site):
    lines = (DOCS / "notice/notice-2020.en.txt").read_text(encoding="utf-8").splitlines()
    for path in sorted((site / "en/items").glob("*/index.html")):
        page = soup(path)
        h1 = page.select_one("h1")
        n = int(h1["id"].split("-")[1])
        line = next(l for l in lines if l.startswith(f"({n}) "))
        assert line.startswith(h1.get_text(strip=True).rstrip("#")), path
        assert page.select_one(".admonition.quote").get_text().strip().startswith("Wording of the notice")


# --------------------------------------------------------------------------- bad input

def test_drifted_translation_fails_naming_page_and_first_difference(project_copy, tmp_path):
    replace_once(project_copy, "docs/items/06-needs-survey.en.md", "{#faq}", "{#questions}")
    result = run_build(project_copy, tmp_path / "site")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "docs/items/06-needs-survey.en.md:" in out
    # reported on the page that drifted, as its own problem (its skeleton lacks {#faq}); the parity with
    # the Chinese page is compared only once each page is valid on its own (issue 15)
    assert "{#faq}" in out and "docs/items/06-needs-survey.md:" not in out


def test_missing_translation_fails(project_copy, tmp_path):
    (project_copy / "docs/templates/sign-in-sheet.en.md").unlink()
    result = run_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "docs/templates/sign-in-sheet.md: no English page docs/templates/sign-in-sheet.en.md" in result.stdout + result.stderr


def test_avoided_glossary_form_fails_with_file_line_and_term(project_copy, tmp_path):
    path = project_copy / "docs/rights/index.en.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    n = next(i for i, l in enumerate(lines) if "women workers" in l and i > 12)
    lines[n] = lines[n].replace("women workers", "female workers", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_build(project_copy, tmp_path / "site")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"docs/rights/index.en.md:{n + 1}: 'female workers'" in out and "write 'women workers'" in out


def test_untranslated_cited_article_fails(project_copy, tmp_path):
    zh = _articles("policies/gwy-619.md")["art-7"]
    en = _articles("policies/gwy-619.en.md")["art-7"]
    for zh_para, en_para in zip(zh.paragraphs, en.paragraphs):
        replace_once(project_copy, "docs/policies/gwy-619.en.md", policies.md_text(en_para), policies.md_text(zh_para))
    result = run_build(project_copy, tmp_path / "site")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "docs/policies/gwy-619.en.md:" in out and "art-7 is cited by" in out and "not translated" in out


def test_half_translated_or_altered_chinese_article_fails(project_copy, tmp_path):
    zh = _articles("policies/gwy-619.md")["art-7"]
    en = _articles("policies/gwy-619.en.md")["art-7"]
    replace_once(project_copy, "docs/policies/gwy-619.en.md", policies.md_text(en.paragraphs[0]),
          policies.md_text(zh.paragraphs[0]))
    zh1 = _articles("policies/laodongfa-2018.md")["art-1"]
    en1 = _articles("policies/laodongfa-2018.en.md")["art-1"]
    replace_once(project_copy, "docs/policies/laodongfa-2018.en.md", policies.md_text(en1.paragraphs[0]),
          policies.md_text(zh1.paragraphs[0]).replace("制定本法", "制订本法"))
    result = run_build(project_copy, tmp_path / "site")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "docs/policies/gwy-619.en.md:" in out and "art-7 is half translated" in out
    assert "docs/policies/laodongfa-2018.en.md:" in out and "art-1 is left in Chinese but differs" in out


def test_english_notice_out_of_line_fails(project_copy, tmp_path):
    path = project_copy / "docs/notice/notice-2020.en.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([""] + lines) + "\n", encoding="utf-8")
    result = run_build(project_copy, tmp_path / "site")
    out = result.stdout + result.stderr
    assert result.returncode != 0 and "docs/notice/notice-2020.en.txt" in out and "expected section 'I. …'" in out


# --------------------------------------------------------------------------- downloads

def test_english_docx_for_every_template(site):
    from docx import Document

    for src in sorted(DOCS.glob("templates/*.en.md")):
        if src.name == "index.en.md":
            continue
        template_id = src.name[: -len(".en.md")]
        path = site / f"downloads/templates/{template_id}.en.docx"
        assert path.exists(), template_id
        doc = Document(str(path))
        text = " ".join(p.text for p in doc.paragraphs) + " ".join(
            c.text for t in doc.tables for row in t.rows for c in row.cells)
        letters = [c for c in text if c.isalpha()]
        assert letters and len(HAN.findall(text)) < 0.05 * len(letters), template_id
        assert doc.core_properties.language == "en-GB"
        meta = translation.front_matter(src.read_text(encoding="utf-8"))
        assert doc.core_properties.title == meta["title"]
        link = soup(site / f"en/templates/{template_id}/index.html").select_one(".guide-form-actions a[download]")
        assert link["href"].endswith(f"downloads/templates/{template_id}.en.docx")


def test_english_pdf_of_the_whole_guide(site):
    from pypdf import PdfReader

    path = site / "downloads/guide-en.pdf"
    reader = PdfReader(str(path))
    assert len(reader.pages) > 150
    titles = []

    def walk(outline):
        for entry in outline:
            if isinstance(entry, list):
                walk(entry)
            else:
                titles.append(entry.title)
    walk(reader.outline)
    for n in range(1, 14):
        assert any(t.startswith(f"({n}) ") for t in titles), n
    text = " ".join(page.extract_text() or "" for page in reader.pages[:40])
    assert "Contents" in text and "Guide to Women Workers' Work" in text
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert not any("JP" in f or "KR" in f or "TC" in f for f in fonts), fonts
    # every page links its PDF in its own language
    assert soup(site / "en/rights/index.html").select_one('.guide-downloads a[href$="guide-en.pdf"]')
    assert soup(site / "rights/index.html").select_one('.guide-downloads a[href$="guide-zh.pdf"]')


def test_offline_zip_holds_both_pdfs(site):
    with zipfile.ZipFile(site / "downloads/guide-offline.zip") as zf:
        names = set(zf.namelist())
    assert {"guide-offline/downloads/guide-zh.pdf", "guide-offline/downloads/guide-en.pdf"} <= names


# --------------------------------------------------------------------------- in the browser

def test_switching_language_keeps_page_and_anchor(served, browser):
    page = browser.new_page()
    page.goto(served + "items/05-henan-protection-rules/#legal-basis")
    page.hover(".md-header__option .md-select")
    page.click('.md-select__link[hreflang="en"]')
    page.wait_for_load_state()
    assert page.url == served + "en/items/05-henan-protection-rules/#legal-basis"
    assert page.locator("#legal-basis").inner_text().startswith("Legal basis")
    page.close()


@pytest.mark.parametrize("query, expected", [
    ("maternity leave", "en/rights/"),
    ("hygiene allowance", "en/rights/"),
    ("childcare summer", "en/items/10-childcare/"),
    ("special collective contract", "en/templates/special-contract-outline/"),
    ("workers congress women delegates", "en/items/07-democratic-rights/"),
    ("Loving Mothers Room", "en/topics/nursing-room/"),
])
def test_english_search_finds_english_words(served, browser, query, expected):
    from conftest import search

    page = browser.new_page()
    page.goto(served + "en/")
    hits = search(page, query)
    page.close()
    assert any(h.split("#")[0].split("?")[0].endswith(expected) for h in hits[:3]), (query, hits[:5])
