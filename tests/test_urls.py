"""Officers' links keep working (issue 7): no published URL or policy anchor ever disappears."""

from __future__ import annotations

import yaml

from conftest import ROOT
from guide.urls import published


def _redirected() -> set[str]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    maps = next((p["redirects"].get("redirect_maps") or {} for p in config["plugins"]
                 if isinstance(p, dict) and "redirects" in p), {})
    out = set()
    for old in maps:
        stem = old.removesuffix(".md").removesuffix("index").rstrip("/")
        out.add(f"/{stem}/" if stem else "/")
    return out


def test_no_published_url_disappears(site):
    manifest = (ROOT / "tests/published-urls.txt").read_text(encoding="utf-8").split()
    assert len(manifest) > 1000
    now = set(published(site))
    redirected = _redirected()
    gone = [u for u in manifest if u not in now and u.split("#")[0] not in redirected]
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
