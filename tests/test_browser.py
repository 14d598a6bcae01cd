"""The built site in a real browser (issue 7): offline copy, language switch, phone width, text size, and the
keyboard path (issue 16). The crawl of every page, with axe, is in test_checkers.py."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import search
from guide.verify import broken_links



def _pages(site: Path) -> list[str]:
    """URLs (relative to the site root) of every built page, redirect pages left out."""
    out = []
    for path in sorted(site.rglob("index.html")):
        if 'http-equiv="refresh"' in path.read_text(encoding="utf-8")[:2000]:
            continue
        rel = path.relative_to(site).parent.as_posix()
        out.append("" if rel == "." else rel + "/")
    return out


def test_every_in_site_link_and_anchor_resolves(site):
    broken = broken_links(site)            # the same check the deploy script runs
    assert broken == [], "\n".join(broken[:30])


def test_language_switch_keeps_the_page(browser, served):
    page = browser.new_page()
    page.goto(served + "items/05-henan-protection-rules/")
    href = page.get_attribute('.md-select a[hreflang="en"]', "href")
    page.goto(urlparse(page.url)._replace(path=posixpath.normpath(
        posixpath.join(urlparse(page.url).path, href)) + "/").geturl())
    assert urlparse(page.url).path.endswith("/en/items/05-henan-protection-rules/")
    back = page.get_attribute('.md-select a[hreflang="zh"]', "href")
    assert posixpath.normpath(posixpath.join(urlparse(page.url).path, back)).endswith("/items/05-henan-protection-rules")
    page.close()


@pytest.mark.parametrize("url", ["", "rights/", "items/05-henan-protection-rules/", "policies/gwy-619/",
                                 "templates/hardship-application/", "notice/", "en/",
                                 "tools/leave/?birth=2026-03-10&babies=3&lawful=unsure",
                                 "en/tools/retirement/?born=1975-03&track=f55"])
def test_phone_width_has_no_horizontal_scrolling(browser, served, url):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(served + url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
    page.close()


def test_text_size_control_is_remembered_across_pages(browser, served):
    context = browser.new_context()
    page = context.new_page()
    page.goto(served + "rights/")
    base = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.click('.guide-size[data-size="large"]')
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") > base
    page.goto(served + "items/08-care-action/")
    assert page.get_attribute("html", "data-guide-size") == "large"
    assert page.get_attribute('.guide-size[data-size="large"]', "aria-pressed") == "true"
    page.click('.guide-size[data-size="medium"]')
    assert page.get_attribute("html", "data-guide-size") is None
    context.close()


def test_offline_copy_works_from_the_file_system(browser, site, tmp_path):
    archive = site / "downloads/guide-offline.zip"
    assert archive.exists()
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(tmp_path)
    root = tmp_path / "guide-offline"
    assert (root / "downloads/guide-zh.pdf").exists()
    context = browser.new_context()
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "data:", "blob:", "about:"))
            else None)
    page.goto((root / "index.html").as_uri())
    # navigation: follow links from the home page to an item page
    page.click('article a[href$="items/index.html"]')
    page.click('article a[href$="05-henan-protection-rules.html"]')
    assert page.url.endswith("items/05-henan-protection-rules.html")
    assert "河南省女职工劳动保护特别规定" in page.inner_text("article h1")
    # language switch
    en = page.get_attribute('.md-select a[hreflang="en"]', "href")
    assert (Path(unquote(urlparse(page.url).path)).parent / en).resolve().exists()
    # Chinese search through the vendored iframe-worker shim
    hrefs = search(page, "书香三八")
    assert any("items/02-reading-campaign.html" in h for h in hrefs[:3]), hrefs
    context.close()
    assert outside == [], outside


# --------------------------------------------------------------------------- keyboard alone

def tab_to(page, selector: str, limit: int = 400) -> int:
    """Press Tab until the focused element matches `selector`; how many presses it took. The element
    must be visible when it has the focus."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            box = page.evaluate("() => { const r = document.activeElement.getBoundingClientRect();"
                                " return r.width > 0 && r.height > 0 && getComputedStyle(document.activeElement).visibility === 'visible'; }")
            assert box, f"{selector} has the focus but cannot be seen"
            return presses
    raise AssertionError(f"{selector}: not reached with {limit} presses of Tab")


def test_keyboard_alone_reaches_skip_link_text_size_language_search_and_print(browser, served):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.add_init_script("window.__printed = 0; window.print = function () { window.__printed += 1; };")
    page.goto(served + "items/05-henan-protection-rules/")

    # the skip link is the first stop and jumps over the header and the navigation to the content
    assert tab_to(page, "a.md-skip", limit=1) == 1
    page.keyboard.press("Enter")
    assert urlparse(page.url).fragment == "item-5"

    # text size: Enter on 大, Space on 中
    tab_to(page, '.guide-size[data-size="large"]')
    page.keyboard.press("Enter")
    assert page.get_attribute("html", "data-guide-size") == "large"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    assert page.get_attribute("html", "data-guide-size") is None

    # print: the button at the end of the page
    tab_to(page, "button.guide-print")
    page.keyboard.press("Enter")
    assert page.evaluate("window.__printed") == 1

    # search: from the box in the header, type, go down to the first result, open it
    page.goto(served + "items/05-henan-protection-rules/")
    tab_to(page, "input.md-search__input", limit=20)
    page.keyboard.type("哺乳时间", delay=30)
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item > a", timeout=10_000)
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.getAttribute('href')")
    assert first and page.evaluate("document.activeElement.matches('.md-search-result__item > a')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlparse(page.url).path.rstrip("/").endswith(urlparse(first).path.rstrip("/").split("/")[-1])

    # language: the selector in the header opens on focus; Enter on English keeps the page
    page.goto(served + "items/05-henan-protection-rules/")
    tab_to(page, '.md-select a[hreflang="en"]', limit=20)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlparse(page.url).path.endswith("/en/items/05-henan-protection-rules/")
    assert page.evaluate("document.documentElement.lang") == "en"
    context.close()


def test_a_wide_table_is_a_labelled_stop_that_the_keyboard_scrolls(browser, served):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(served + "rights/")
    regions = page.eval_on_selector_all(".guide-table", "rs => rs.map(r => [r.tabIndex, r.scrollWidth > r.clientWidth,"
                                        " r.getAttribute('role'), r.getAttribute('aria-label')])")
    assert regions and all(role == "region" and label.startswith("表格：") for _, _, role, label in regions), regions
    assert all((stop == 0) == scrolls for stop, scrolls, _, _ in regions), regions
    assert any(scrolls for _, scrolls, _, _ in regions), "no table on rights/ is wider than a phone"
    tab_to(page, ".guide-table[tabindex='0']")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.activeElement.scrollLeft > 0")
    # on a wide screen a table that fits is not a stop
    page.set_viewport_size({"width": 1600, "height": 900})
    page.wait_for_timeout(200)
    fits = page.eval_on_selector_all(".guide-table", "rs => rs.filter(r => r.scrollWidth <= r.clientWidth).map(r => r.tabIndex)")
    assert fits and set(fits) == {-1}, fits
    context.close()
