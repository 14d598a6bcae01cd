"""Officers' links keep working (issue 7): no published URL or policy anchor ever disappears."""

from __future__ import annotations

from conftest import ROOT
from guide.urls import published, redirected


def _redirected() -> set[str]:
    return redirected(ROOT / "mkdocs.yml")


def test_no_published_url_disappears(site):
    manifest = (ROOT / "tests/published-urls.txt").read_text(encoding="utf-8").split()
    assert len(manifest) > 1000
    now = set(published(site))
    moved = _redirected()
    gone = [u for u in manifest if u not in now and u.split("#")[0] not in moved]
    assert gone == [], "published URLs vanished (restore them, or add a redirect in mkdocs.yml): " + ", ".join(gone[:20])


def test_redirected_pages_exist(site):
    for url in _redirected():
        assert (site / url.strip("/") / "index.html").exists(), url


def test_a_removed_page_or_anchor_is_noticed(site, tmp_path):
    import shutil

    copy = tmp_path / "site"
    shutil.copytree(site / "policies", copy / "policies")
    shutil.rmtree(copy / "policies/henan-186")
    page = copy / "policies/gwy-619/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace('id="art-7"', 'id="article-7"'), encoding="utf-8")
    now = set(published(copy))
    assert "/policies/henan-186/" not in now and "/policies/gwy-619/#art-7" not in now
    assert "/policies/gwy-619/#art-8" in now
