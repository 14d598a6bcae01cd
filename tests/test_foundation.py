"""The foundation (issue 2): strict build, notice and item pages, offline, Chinese search, languages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from conftest import ROOT, SHARED, norm, soup
from guide import notice as notice_mod

NOTICE = notice_mod.load(str(ROOT / "docs/notice/notice-2020.txt"))

# Item slugs are published URLs: officers have sent them round. Never change one.
ITEM_URLS = {
    1: "items/01-theory-study/", 2: "items/02-reading-campaign/", 3: "items/03-skills/",
    4: "items/04-volunteering/", 5: "items/05-henan-protection-rules/", 6: "items/06-needs-survey/",
    7: "items/07-democratic-rights/", 8: "items/08-care-action/", 9: "items/09-mental-health/",
    10: "items/10-childcare/", 11: "items/11-culture-sports/", 12: "items/12-innovation/",
    13: "items/13-cadre-training/",
}


def test_notice_copy_is_the_seed_byte_for_byte():
    seed = SHARED / "seed/notice-2020.txt"
    if not seed.exists():
        pytest.skip("../shared/seed is not beside this checkout")
    assert (ROOT / "docs/notice/notice-2020.txt").read_bytes() == seed.read_bytes()


def test_notice_parses_into_five_sections_and_thirteen_items():
    assert [len(s.items) for s in NOTICE.sections] == [2, 2, 3, 4, 2]
    assert [i.number for i in NOTICE.items] == list(range(1, 14))
    assert NOTICE.item(5).title == "（五）进一步推动落实《河南省女职工劳动保护特别规定》"
    assert NOTICE.item(11).title == "（十一）开展丰富多彩的文体活动"


def test_notice_page_reproduces_the_seed_verbatim(site):
    page = soup(site / "notice/index.html")
    shown = [norm(p.get_text()) for p in page.select(".notice-text .notice-line")]
    original = [norm(line) for line in NOTICE.lines if line.strip()]
    assert shown == original
    # each item of the notice links to its page
    for number, url in ITEM_URLS.items():
        para = page.select_one(f"#item-{number}")
        assert para is not None, f"item {number} has no anchor on the notice page"
        link = para.find_next_sibling("p")
        assert "notice-item-link" in link["class"]
        assert link.a["href"] == f"../{url}"


def test_thirteen_item_pages_in_notice_order_with_the_notice_wording(site):
    for item in NOTICE.items:
        page = soup(site / ITEM_URLS[item.number] / "index.html")
        assert norm(page.h1.get_text()).rstrip("#") == norm(item.title)
        quote = page.select_one("article .admonition.quote")
        assert norm(quote.get_text()).endswith(norm(item.wording))
    # the navigation lists them in the notice's order, under the five headings
    home = soup(site / "index.html")
    nav_links = [a["href"] for a in home.select("nav.md-nav--primary a.md-nav__link[href]")]
    item_hrefs = [h for h in nav_links if re.match(r"items/\d\d-", h)]
    assert item_hrefs == [ITEM_URLS[n] for n in range(1, 14)]


def test_item_front_matter_names_item_section_and_audience():
    for path in sorted((ROOT / "docs/items").glob("[0-9][0-9]-*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        item = NOTICE.item(meta["item"])
        assert meta["kind"] == "item" and meta["section"] == item.section, path
        assert set(meta["audience"]) <= {"会员", "工会干部"} and meta["audience"], path
        assert path.stem[:2] == f"{meta['item']:02d}", path


def test_overview_lists_the_sections_and_items_in_order(site):
    page = soup(site / "items/index.html")
    headings = [norm(h.get_text()).rstrip("#") for h in page.select("article h2[id^=section-]")]
    assert headings == [norm(s.wording) for s in NOTICE.sections]
    links = [a["href"] for a in page.select("article ol li a")]
    assert links == [ITEM_URLS[n][len('items/'):] for n in range(1, 14)]


RESOURCE_ATTRS = {"src", "href", "srcset", "data", "poster", "action", "content"}
NAMESPACE_URI = re.compile(r"^http://www\.w3\.org/")


def _outside(url: str) -> bool:
    url = url.strip()
    if NAMESPACE_URI.match(url):
        return False
    parsed = urlparse(url)
    return bool(parsed.netloc) or parsed.scheme not in ("", "mailto", "tel", "data", "blob", "javascript")


def test_html_and_css_reference_no_outside_host(site):
    problems = []
    for path in site.rglob("*.html"):
        page = soup(path)
        for tag in page.find_all(True):
            for attr in RESOURCE_ATTRS & set(tag.attrs):
                if attr == "content" and tag.name != "meta":
                    continue
                values = tag[attr] if isinstance(tag[attr], list) else [tag[attr]]
                for value in values:
                    for url in (value.split(",") if attr == "srcset" else [value]):
                        url = url.strip().split(" ")[0]
                        if attr == "content" and not url.startswith(("http:", "https:", "//")):
                            continue
                        if url and _outside(url):
                            problems.append(f"{path.relative_to(site)}: <{tag.name} {attr}={url}>")
        for style in page.find_all("style"):
            problems += [f"{path.relative_to(site)}: {u}" for u in _css_urls(style.get_text())]
    for path in site.rglob("*.css"):
        problems += [f"{path.relative_to(site)}: {u}" for u in _css_urls(path.read_text(encoding="utf-8"))]
    assert problems == []


def _css_urls(css: str) -> list[str]:
    found = re.findall(r"url\(\s*['\"]?([^'\")]+)", css) + re.findall(r"@import\s+['\"]([^'\"]+)", css)
    return [u for u in found if _outside(u)]


def test_no_web_fonts_and_a_chinese_system_font_stack(site):
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert config["theme"]["font"] == "false"
    assert "repo_url" not in config and "google_analytics" not in config
    assert "analytics" not in config.get("extra", {})
    css = (site / "assets/stylesheets/guide.css").read_text(encoding="utf-8")
    for family in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"):
        assert family in css
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in index and "fonts.gstatic" not in index


def _search_docs(site: Path) -> list[dict]:
    return json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]


def test_each_language_has_its_own_search_index(site):
    """Chinese pages load search/, English pages en/search/ (their __config base is en/)."""
    zh = _search_docs(site)
    en = json.loads((site / "en/search/search_index.json").read_text(encoding="utf-8"))["docs"]
    assert zh and en
    assert not [d for d in zh if d["location"].startswith("en/")]
    assert {d["location"].split("#")[0] for d in en} >= {"", "rights/", "items/05-henan-protection-rules/"}
    config = lambda page: json.loads(soup(site / page).select_one("#__config").string)["base"]
    assert config("items/05-henan-protection-rules/index.html") == "../.."
    assert config("en/items/05-henan-protection-rules/index.html") == "../../../en/"
    assert config("en/index.html") == "../en/"


def test_search_index_holds_segmented_chinese(site):
    docs = _search_docs(site)
    tokens = set()
    for doc in docs:
        tokens.update(re.split(r"[\s\u200b]+", doc["title"] + " " + doc["text"]))
    # jieba's own words ...
    assert "女职工" in tokens and "工作" in tokens
    # ... and the field's terms from the user dictionary, kept whole
    assert "书香三八" in tokens, "the jieba user dictionary was not applied"
    assert "\u200b" in "".join(doc["text"] for doc in docs)


def test_user_dictionary_has_the_fields_terms():
    words = {line.split()[0] for line in (ROOT / "scripts/guide/userdict.txt").read_text(encoding="utf-8").splitlines() if line.strip()}
    for term in ("女职工", "哺乳期", "职代会", "专项集体合同", "书香三八", "送温暖", "爱心妈咪小屋", "两癌筛查"):
        assert term in words


def test_search_separator_splits_on_the_segmentation_mark(site):
    config = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["config"]
    assert re.split(config["separator"].replace("\\u200b", "\u200b").replace("\\u3000", "\u3000"), "哺乳期\u200b时间") == ["哺乳期", "时间"]


def test_english_edition_has_every_item_page(site):
    home = soup(site / "index.html")
    assert home.html["lang"].startswith("zh")
    switch = [a["href"] for a in home.select(".md-select a[hreflang]")]
    assert any(h.rstrip("/").endswith("en") for h in switch), switch
    for number, url in ITEM_URLS.items():
        en = soup(site / "en" / url / "index.html")
        assert en.html["lang"] == "en"
        assert en.select_one("h1").get_text().startswith(f"({number}) "), url


def test_every_page_shows_review_date_and_contacts(site):
    for path in site.rglob("index.html"):
        page = soup(path)
        if page.select_one("article") is None:
            continue
        info = page.select_one("article .guide-page-info")
        assert info is not None, path
        assert info.select_one(".guide-reviewed time[datetime]") is not None, path
        assert len(info.select(".guide-contacts li")) == 3, path
        assert "12351" in info.get_text()


def test_site_map_lists_no_broken_urls(site):
    assert "None" not in (site / "sitemap.xml").read_text(encoding="utf-8")
