"""Every built page of both languages through today's checkers, over the one build of the session:

- the W3C Nu HTML checker (the `vnu-jar` package, run once by Java over the whole build folder);
- axe-core, all its default rules, in one Chromium tab, page after page; the same crawl also checks
  that no page asks another host for anything or logs an error.

Both are pinned in tests/package-lock.json and installed by `scripts/dev.sh test`. A page that a
checker rejects fails the test, which names the page and its first error. Material markup that stays
on purpose is listed, with the reason, in scripts/guide/markup.py (STAYS).
"""

from __future__ import annotations

import collections
import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import ROOT

from guide import markup

VNU = ROOT / "tests/node_modules/vnu-jar/build/dist/vnu.jar"
AXE = ROOT / "tests/node_modules/axe-core/axe.min.js"


def built_pages(site: Path) -> list[Path]:
    """Every HTML page of the build (both languages, the 404 page), not the theme's assets."""
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)


# --------------------------------------------------------------------------- W3C Nu HTML checker

def vnu_errors(paths: list[Path]) -> list[dict]:
    """The checker's errors for these files, in one Java run: dicts with url, lastLine, message, extract."""
    assert VNU.exists(), "vnu-jar missing: npm ci --prefix tests (scripts/dev.sh test does this)"
    java = shutil.which("java")
    assert java, "Java is missing: apt-get install default-jre-headless (scripts/dev.sh test does this)"
    run = subprocess.run([java, "-Xss4m", "-jar", str(VNU), "--format", "json", "--errors-only", "--stdout",
                          *map(str, paths)], capture_output=True, text=True)
    assert run.stdout.strip(), f"vnu printed nothing (exit {run.returncode}):\n{run.stderr[-2000:]}"
    return [m for m in json.loads(run.stdout)["messages"] if m.get("type") == "error"]


def material_stays(message: dict) -> str | None:
    """Which of markup.STAYS (the Material markup kept on purpose, with its reason) this error is, if any."""
    stays = None
    if (message["message"].startswith("Attribute “autocomplete” is only allowed when the input type is")
            and 'type="checkbox"' in message.get("extract", "") and 'class="md-toggle"' in message.get("extract", "")):
        stays = "autocomplete on checkboxes"
    return stays if stays in markup.STAYS else None


def page_of(message: dict, root: Path) -> str:
    path = message["url"].removeprefix("file:")
    try:
        return str(Path(path).resolve().relative_to(root.resolve()))
    except ValueError:
        return path


def html_report(errors: list[dict], root: Path) -> str:
    """One line per failing page, with its first error; the number of further errors."""
    by_page: dict[str, list[dict]] = collections.defaultdict(list)
    for m in errors:
        by_page[page_of(m, root)].append(m)
    lines = [f"{len(by_page)} page(s) are not valid HTML (W3C Nu checker); the first error of each:"]
    for page, found in sorted(by_page.items()):
        first = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        extract = " ".join(first.get("extract", "").split())[:160]
        lines.append(f"  {page}:{first.get('lastLine', '?')}: {first['message']}{more}\n      near: {extract}")
    return "\n".join(lines)


def test_every_page_is_valid_html(site):
    pages = built_pages(site)
    errors = vnu_errors(pages)
    stays = collections.Counter(filter(None, map(material_stays, errors)))
    ours = [m for m in errors if not material_stays(m)]
    print(f"\nW3C Nu checker over {len(pages)} pages: {len(ours)} errors to fix; "
          f"Material's that stay: {dict(stays) or 'none'}")
    assert len(pages) > 150, f"only {len(pages)} pages were built"
    assert not ours, html_report(ours, site)


def test_the_html_check_names_the_page_and_its_first_error(site, tmp_path):
    """A page the checker rejects (a quotation mark let into an attribute, the mistake issue 16 found)
    fails, and the message names the page, the line and the error."""
    page = tmp_path / "items/08-broken/index.html"
    page.parent.mkdir(parents=True)
    good = (site / "items/index.html").read_text(encoding="utf-8")
    page.write_text(good.replace('<meta name="description" content="',
                                 '<meta name="description" content="“引号” "quoted" ', 1), encoding="utf-8")
    errors = [m for m in vnu_errors([page]) if not material_stays(m)]
    assert errors, "the checker accepted a broken <meta> tag"
    report = html_report(errors, tmp_path)
    assert "items/08-broken/index.html:" in report and "1 page(s)" in report, report
    assert errors[0]["message"] in report


# --------------------------------------------------------------------------- axe-core

AXE_RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return {version: axe.version, violations: r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' '))}))};
}"""


def axe_page(page, url: str) -> tuple[str, list[dict]]:
    page.goto(url, wait_until="load")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(AXE_RUN)
    return result["version"], result["violations"]


def axe_report(found: dict[str, list[dict]]) -> str:
    rules = collections.Counter(v["id"] for vs in found.values() for v in vs)
    lines = [f"{len(found)} page(s) have serious or critical axe findings ({dict(rules)}); the first of each:"]
    for url, vs in sorted(found.items()):
        v = vs[0]
        lines.append(f"  {url}: {v['id']} ({v['impact']}): {v['help']}, at {v['targets'][0]}"
                     + (f" (and {sum(len(x['targets']) for x in vs) - 1} more)" if len(vs) > 1 or len(v['targets']) > 1 else ""))
    return "\n".join(lines)


# Pages in a state a crawl does not reach: the planners with a result shown.
STATES = ["tools/leave/?birth=2026-03-10&babies=2&lawful=unsure", "tools/leave/?birth=2026-03-10&babies=0",
          "en/tools/retirement/?born=1975-03&track=f55"]


@pytest.fixture(scope="module")
def axe_tab(browser):
    assert AXE.exists(), "axe-core missing: npm ci --prefix tests (scripts/dev.sh test does this)"
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def crawl(axe_tab, served, site):
    """Every built page once, in one tab: axe's serious and critical findings, any request to another
    host, any error in the console."""
    host = urlparse(served).netloc
    outside, errors, found, versions = [], [], {}, set()
    axe_tab.on("request", lambda r: outside.append(f"{axe_tab.url}: {r.url}") if urlparse(r.url).netloc not in (host, "")
               and urlparse(r.url).scheme in ("http", "https") else None)
    axe_tab.on("console", lambda m: errors.append(f"{axe_tab.url}: {m.text}") if m.type == "error" else None)
    axe_tab.on("pageerror", lambda e: errors.append(f"{axe_tab.url}: {e}"))
    urls = [p.relative_to(site).as_posix().removesuffix("index.html") for p in built_pages(site)] + STATES
    for url in urls:
        version, violations = axe_page(axe_tab, served + url)
        versions.add(version)
        if violations:
            found[url or "/"] = violations
    return {"urls": urls, "outside": outside, "errors": errors, "axe": found, "versions": versions}


def test_crawl_makes_no_outside_request_and_logs_no_error(crawl):
    assert len(crawl["urls"]) > 150
    assert crawl["outside"] == [], crawl["outside"][:10]
    assert crawl["errors"] == [], crawl["errors"][:10]


def test_every_page_passes_axe(crawl):
    wanted = json.loads((ROOT / "tests/package-lock.json").read_text())["packages"]["node_modules/axe-core"]["version"]
    found = crawl["axe"]
    print(f"\naxe-core {crawl['versions']} over {len(crawl['urls'])} pages: "
          + (", ".join(f"{k}: {n}" for k, n in collections.Counter(
              v["id"] for vs in found.values() for v in vs).items()) or "no serious or critical finding"))
    assert crawl["versions"] == {wanted}, f"axe-core {crawl['versions']} ran, the lock file pins {wanted}: npm ci --prefix tests"
    assert not found, axe_report(found)


def test_the_axe_check_names_the_page_and_its_first_finding(axe_tab, served):
    """Take away the search dialog's name, as plain Material has it: the check fails on that page."""
    axe_tab.goto(served + "rights/", wait_until="load")
    axe_tab.evaluate("document.querySelector('.md-search[role=dialog]').removeAttribute('aria-label')")
    axe_tab.add_script_tag(path=str(AXE))
    violations = axe_tab.evaluate(AXE_RUN)["violations"]
    report = axe_report({"rights/": violations})
    assert "rights/: aria-dialog-name (serious)" in report, report
