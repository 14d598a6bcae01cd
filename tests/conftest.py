"""Shared fixtures: the real site, built once per test session with the project's own build command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "scripts"))

# What a copy of the project needs in order to build on its own.
PROJECT_PARTS = ("docs", "overrides", "scripts", "mkdocs.yml")


def run_build(project: Path, out: Path, pdf: bool = False, **extra_env) -> subprocess.CompletedProcess:
    """Run the project's build command (strict, staged) in `project`; the PDF and the offline zip
    only when asked for (they take half a minute)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", GUIDE_PDF="1" if pdf else "0",
               GUIDE_OFFLINE_ZIP="1" if pdf else "0", **extra_env)
    return subprocess.run([sys.executable, str(project / "scripts/docs.py"), "build", "--out", str(out)],
                          cwd=project, env=env, capture_output=True, text=True)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    reuse = os.environ.get("GUIDE_TEST_SITE")
    if reuse:   # maintainers iterating on tests: a site already built by `docs.py build --out DIR`
        return Path(reuse)
    out = tmp_path_factory.mktemp("built") / "site"
    result = run_build(ROOT, out, pdf=True)
    assert result.returncode == 0, f"strict build failed:\n{result.stdout}\n{result.stderr}"
    return out


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A throw-away copy of the project, for tests that break its content on purpose."""
    dest = tmp_path / "project"
    dest.mkdir()
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    return dest


def replace_once(project: Path, rel: str, old: str, new: str) -> None:
    """Break (or change) one file of a project copy: replace the first `old` with `new`."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def norm(text: str) -> str:
    """Whitespace-normalized text."""
    return "".join(text.split())


# --------------------------------------------------------------------------- real browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def served(site):
    """The built site on a loopback HTTP server; yields its base URL."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (installed by scripts/dev.sh test)."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is missing: apt-get install chromium (scripts/dev.sh test does this)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def search(page, query: str) -> list[str]:
    """Type `query` into Material's search box like a person; return result links (hrefs)."""
    if not page.is_visible("input.md-search__input"):
        page.keyboard.press("s")
    page.fill("input.md-search__input", "")
    page.type("input.md-search__input", query, delay=20)
    page.keyboard.press("End")  # CJK text arrives as insertText; a real keystroke triggers the search
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/键入|Type to start|初始化|Initializing/.test(m.textContent); }",
        timeout=10_000)
    page.wait_for_timeout(150)
    return page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.getAttribute('href'))")
