"""Published URLs: pages, policy anchors and downloads, as a sorted list.

tests/published-urls.txt is the committed list (paths from the site root). A test fails when one of its URLs
is no longer published, unless mkdocs.yml redirects it (mkdocs-redirects).
Regenerate it with `python scripts/docs.py urls` after adding pages.
"""

from __future__ import annotations

import re
from pathlib import Path

ID_RE = re.compile(r'<h[1-6][^>]* id="((?:art|annex|ch)-[0-9a-z-]+)"')


def published(site: Path) -> list[str]:
    urls = set()
    for path in site.rglob("index.html"):
        rel = path.relative_to(site).parent.as_posix()
        url = "/" if rel == "." else f"/{rel}/"
        text = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text[:2000]:      # a redirect page, not a published page
            continue
        urls.add(url)
        if url.startswith(("/policies/", "/en/policies/")):
            urls.update(f"{url}#{ident}" for ident in ID_RE.findall(text))
    for path in (site / "downloads").rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            urls.add("/" + path.relative_to(site).as_posix())
    return sorted(urls)


def redirected(config_file: Path) -> set[str]:
    """URLs (from the site root) that mkdocs.yml redirects elsewhere (mkdocs-redirects)."""
    import yaml

    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    maps = next((p["redirects"].get("redirect_maps") or {} for p in config["plugins"]
                 if isinstance(p, dict) and "redirects" in p), {})
    out = set()
    for old in maps:
        stem = old.removesuffix(".md").removesuffix("index").rstrip("/")
        out.add(f"/{stem}/" if stem else "/")
    return out
