"""Chinese search in the real search box, in Chromium, with no outside request."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from conftest import search


@pytest.fixture
def page(browser, served):
    context = browser.new_context()
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.goto(served)
    yield pg
    context.close()


@pytest.mark.parametrize("query, expected", [
    ("书香三八", "items/02-reading-campaign/"),
    ("子女托管", "items/10-childcare/"),
    ("志愿服务", "items/04-volunteering/"),
    ("干部队伍", "items/13-cadre-training/"),
])
def test_chinese_words_find_their_page(page, query, expected):
    hrefs = search(page, query)
    assert any(expected in h for h in hrefs[:3]), (query, hrefs)


def test_english_search_finds_english_page(page, served):
    page.goto(served + "en/")
    hrefs = search(page, "women")
    assert hrefs and all("/en/" in h for h in hrefs), hrefs


def test_search_makes_no_outside_request(page, served):
    search(page, "女职工")
    hosts = {urlparse(u).netloc for u in page.requests if urlparse(u).scheme in ("http", "https")}
    assert hosts == {urlparse(served).netloc}
