"""The built site in a real browser (issue 7): crawl, offline copy, language switch, phone width, accessibility."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import ROOT, search
from guide.verify import broken_links

AXE = ROOT / "tests/node_modules/axe-core/axe.min.js"


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


def test_crawl_makes_no_outside_request_and_logs_no_error(browser, served, site):
    context = browser.new_context()
    page = context.new_page()
    host = urlparse(served).netloc
    outside, errors = [], []
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).netloc not in (host, "") and
            urlparse(r.url).scheme in ("http", "https") else None)
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    urls = _pages(site)
    for url in urls:
        response = page.goto(served + url, wait_until="load")
        assert response.status == 200, url
    context.close()
    assert len(urls) > 100
    assert outside == [], outside[:10]
    assert errors == [], errors[:10]


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


PAGE_TYPES = ["", "rights/", "notice/", "items/", "items/09-mental-health/", "policies/", "policies/gwy-619/",
              "templates/", "templates/needs-survey/", "topics/nursing-room/", "calendar/", "tags/", "en/",
              "en/items/09-mental-health/", "tools/leave/?birth=2026-03-10&babies=2&lawful=unsure",
              "tools/leave/?birth=2026-03-10&babies=0", "en/tools/retirement/?born=1975-03&track=f55"]


@pytest.mark.parametrize("url", PAGE_TYPES)
def test_accessibility_no_serious_or_critical_violations(browser, served, url):
    assert AXE.exists(), "axe-core missing: npm ci --prefix tests (scripts/dev.sh test does this)"
    page = browser.new_page()
    page.goto(served + url)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                       target: v.nodes[0] && v.nodes[0].target.join(' ')}));
    }""")
    page.close()
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    print(f"\naxe {url or '/'}: " + (", ".join(f"{v['id']}({v['impact']},{v['nodes']})" for v in result) or "no violations"))
    assert bad == [], bad
