"""Checks of a built site before it is published (scripts/docs.py deploy runs them; the tests too).

- every internal link and anchor resolves to a file of the site;
- no page or stylesheet loads anything from another host;
- every URL in tests/published-urls.txt is still published (or redirected).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from guide.urls import published

RESOURCE_RE = re.compile(r'<(?:script|link|img|iframe|source|video|audio|embed)\b[^>]*?\b(?:src|href)="([^"]+)"')
LINK_RE = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"')
ID_RE = re.compile(r'\bid="([^"]+)"')
CSS_URL_RE = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)")


def _outside(url: str) -> bool:
    parts = urlparse(url)
    return bool(parts.netloc) and not url.startswith("http://www.w3.org/")


def broken_links(site: Path) -> list[str]:
    ids: dict[Path, set[str]] = {}
    problems = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text[:2000] or page.name == "404.html":
            continue   # redirects; the 404 page is served at any path, so its links are absolute
        for href in LINK_RE.findall(text):
            parts = urlparse(href)
            if parts.scheme or parts.netloc or href.startswith("#") and not parts.fragment:
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{page.relative_to(site)}: link to a missing file: {href}")
            elif parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(ID_RE.findall(target.read_text(encoding="utf-8")))
                if unquote(parts.fragment) not in ids[target]:
                    problems.append(f"{page.relative_to(site)}: link to a missing anchor: {href}")
    return problems


def outside_resources(site: Path) -> list[str]:
    problems = []
    for page in site.rglob("*.html"):
        problems += [f"{page.relative_to(site)}: {u}" for u in RESOURCE_RE.findall(page.read_text(encoding="utf-8"))
                     if _outside(u)]
    for css in site.rglob("*.css"):
        for a, b in CSS_URL_RE.findall(css.read_text(encoding="utf-8")):
            if _outside(a or b):
                problems.append(f"{css.relative_to(site)}: {a or b}")
    return problems


def vanished_urls(site: Path, manifest: Path, redirected: set[str]) -> list[str]:
    if not manifest.exists():
        return [f"{manifest} is missing"]
    now = set(published(site))
    return [u for u in manifest.read_text(encoding="utf-8").split() if u not in now and u.split("#")[0] not in redirected]


def verify(site: Path, manifest: Path, redirected: set[str]) -> list[str]:
    return broken_links(site) + outside_resources(site) + vanished_urls(site, manifest, redirected)
