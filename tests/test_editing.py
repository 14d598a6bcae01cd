"""Editing mistakes union staff make, files saved the way Windows editors save them, and builds killed
midway (issue 15). The checks are called through their one entry point, guide.checks.check_site,
and a few mistakes go through the real build command."""

from __future__ import annotations

import hashlib
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


from conftest import ROOT, replace_once, run_build

from guide import checks, markers, notice as notice_mod, sources

MARKERS = set(markers.MARKERS)        # the marker names the build knows
SECTIONS = {i.number: i.section for i in notice_mod.load(str(ROOT / "docs/notice/notice-2020.txt")).items}
PAGE = "docs/items/06-needs-survey.md"


@pytest.fixture
def docs(tmp_path) -> Path:
    dest = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", dest)
    return dest


def problems_of(docs: Path) -> list[str]:
    return [str(p) for p in checks.check_site(docs, SECTIONS, MARKERS).problems]


def edit(docs: Path, rel: str, old: str, new: str) -> None:
    path = docs.parent / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# The ten mistakes of issue 15, and the message each must give: (file and line, what).
MISTAKES = {
    "unclosed list in front matter": (PAGE, "audience: [会员, 工会干部]", "audience: [会员, 工会干部",
                                      ["docs/items/06-needs-survey.md:", "not valid YAML"]),
    "raw <script>": (PAGE, "## 会员须知 {#for-members}\n", "## 会员须知 {#for-members}\n\n<script>alert(1)</script>\n",
                     ["docs/items/06-needs-survey.md:", "raw HTML tag <script>"]),
    "reviewed: 上个月": (PAGE, "reviewed: 20", "reviewed: 上个月 #20", ["docs/items/06-needs-survey.md:", "field 'reviewed'"]),
    "impossible date": (PAGE, "reviewed: 20", "reviewed: 2026-13-45\n#",
                        ["docs/items/06-needs-survey.md:", "2026-13-45 is not a real date"]),
    "bad tag on the Chinese page": (PAGE, "tags: [", "tags: [女工, ",
                                    ["docs/items/06-needs-survey.md:", "tag(s) ['女工']"]),
    "duplicate heading id": (PAGE, "## 常见问题 {#faq}", "## 常见问题 {#summary}",
                             ["docs/items/06-needs-survey.md:", "heading id '#summary' is used twice"]),
    "duplicate field": (PAGE, "section: 3\n", "section: 3\nsection: 3\n",
                        ["docs/items/06-needs-survey.md:", "field 'section' is written twice"]),
    "number as a title": ("docs/about/index.md", "title: ", "title: 2026\nx_title: ",
                          ["docs/about/index.md:", "field 'title'", "unknown field 'x_title'"]),
    "unclosed code fence": ("docs/about/style-guide.md", "## 语言 {#language}\n", "## 语言 {#language}\n\n```\n",
                            ["docs/about/style-guide.md:", "never closed"]),
    "empty box": ("docs/about/style-guide.md", "## 语言 {#language}\n", "## 语言 {#language}\n\n!!! note \"注意\"\n\n正文没有缩进。\n",
                  ["docs/about/style-guide.md:", "with nothing inside"]),
    "unknown marker": ("docs/items/index.md", "<!-- guide:items -->", "<!-- guide:itemz -->",
                       ["docs/items/index.md:", "unknown marker 'guide:itemz'"]),
}


@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_each_mistake_is_reported_on_the_page_it_was_made(docs, case):
    rel, old, new, expected = MISTAKES[case]
    edit(docs, rel, old, new)
    found = problems_of(docs)
    text = "\n".join(found)
    for part in expected:
        assert part in text, f"{case}: {part!r} not in:\n{text}"
    english = rel.replace(".md", ".en.md")
    assert not any(p.startswith(f"docs/{english.removeprefix('docs/')}") for p in found), \
        f"{case}: reported on the English page as well:\n{text}"
    assert all("→" in p for p in found)


def test_the_site_as_it_stands_has_no_problem(docs):
    assert problems_of(docs) == []


def test_a_title_that_is_a_number_or_a_list(docs):
    edit(docs, "docs/about/index.md", "title: ", "title: [关于, 本站]\nx: ")
    found = "\n".join(problems_of(docs))
    assert "docs/about/index.md:" in found and "field 'title'" in found


def test_many_mistakes_are_gathered_in_one_pass(docs):
    edit(docs, PAGE, "## 常见问题 {#faq}", "## 常见问题 {#summary}")
    edit(docs, "docs/about/style-guide.md", "## 语言 {#language}\n", "## 语言 {#language}\n\n```\n")
    edit(docs, "docs/items/index.md", "<!-- guide:items -->", "<!-- guide:itemz -->")
    found = "\n".join(problems_of(docs))
    assert "used twice" in found and "never closed" in found and "guide:itemz" in found


# --------------------------------------------------------------------------- encodings

def _windows(path: Path) -> None:
    """Save a file the way Notepad does: UTF-8 with a byte-order mark, CRLF line ends."""
    text = path.read_text(encoding="utf-8")
    path.write_bytes(sources.BOM + text.replace("\n", "\r\n").encode("utf-8"))


def test_gbk_page_is_named_with_its_encoding_and_how_to_fix_it(docs):
    path = docs / "items/06-needs-survey.md"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    found = problems_of(docs)
    assert len(found) == 1, found
    assert found[0].startswith("docs/items/06-needs-survey.md:") and "GBK/GB18030" in found[0]
    assert "fix-encoding" in found[0]


def test_bom_and_crlf_sources_build_byte_identical_pages(project_copy, tmp_path, site):
    for rel in ("docs/items/06-needs-survey.md", "docs/items/06-needs-survey.en.md", "docs/notice/notice-2020.txt",
                "docs/tools/planner.yml", "scripts/guide/glossary.yml", "docs/templates/needs-survey.md",
                "docs/policies/gwy-619.md"):
        _windows(project_copy / rel)
    out = tmp_path / "site"
    result = run_build(project_copy, out)
    assert result.returncode == 0, result.stderr[-3000:]
    for page in ("items/06-needs-survey/index.html", "en/items/06-needs-survey/index.html", "notice/index.html",
                 "tools/leave/index.html", "templates/needs-survey/index.html", "policies/gwy-619/index.html"):
        assert (out / page).read_bytes() == (site / page).read_bytes(), page


def test_gbk_page_stops_the_build_without_a_traceback(project_copy, tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("the good site", encoding="utf-8")
    path = project_copy / "docs/items/06-needs-survey.md"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    result = run_build(project_copy, out)
    assert result.returncode != 0
    assert "docs/items/06-needs-survey.md:" in result.stderr and "GBK/GB18030" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert (out / "index.html").read_text(encoding="utf-8") == "the good site"


def test_fix_encoding_shows_then_converts(tmp_path):
    gbk, windows, clean = tmp_path / "a.md", tmp_path / "b.md", tmp_path / "c.md"
    gbk.write_bytes("---\nkind: page\n---\n女职工\n".encode("gb18030"))
    windows.write_bytes(sources.BOM + "---\r\nkind: page\r\n---\r\n女职工\r\n".encode("utf-8"))
    clean.write_text("---\nkind: page\n---\n女职工\n", encoding="utf-8")
    before = gbk.read_bytes()
    cmd = [sys.executable, str(ROOT / "scripts/docs.py"), "fix-encoding", str(gbk), str(windows), str(clean)]
    dry = subprocess.run(cmd, capture_output=True, text=True)
    assert dry.returncode == 0 and "GBK/GB18030 → UTF-8" in dry.stdout and "byte-order mark" in dry.stdout
    assert "2 file(s) would change" in dry.stdout and gbk.read_bytes() == before
    done = subprocess.run(cmd + ["--write"], capture_output=True, text=True)
    assert done.returncode == 0
    for path in (gbk, windows, clean):
        assert path.read_bytes() == "---\nkind: page\n---\n女职工\n".encode("utf-8")


# --------------------------------------------------------------------------- killed builds

def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def test_killed_builds_leave_the_site_as_it_was_and_the_next_build_cleans_up(project_copy, tmp_path):
    out = tmp_path / "site"
    assert run_build(project_copy, out).returncode == 0        # cold: fills .cache
    start = time.perf_counter()
    assert run_build(project_copy, out).returncode == 0        # warm, as the builds killed below
    warm = time.perf_counter() - start
    before = _tree_hash(out)
    replace_once(project_copy, PAGE, "## 会员须知 {#for-members}", "## 会员须知 {#for-members}\n\n改过的一句话。\n")
    rng = random.Random(15)
    env = dict(__import__("os").environ, NO_MKDOCS_2_WARNING="1", GUIDE_PDF="0", GUIDE_OFFLINE_ZIP="0")
    # killed part-way through a build of this machine's speed (a fixed delay outlasted faster builds)
    for delay in sorted(rng.uniform(0.35, 0.85) * warm for _ in range(4)):
        proc = subprocess.Popen([sys.executable, str(project_copy / "scripts/docs.py"), "build", "--out", str(out)],
                                cwd=project_copy, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(delay)
        finished = proc.poll() is not None
        if not finished:
            __import__("os").killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            assert _tree_hash(out) == before, f"killed after {delay:.1f} s: site/ changed"
    leftovers = list(tmp_path.glob(".site-new-*"))
    assert leftovers, "the kills should have left staging folders behind"
    assert run_build(project_copy, out).returncode == 0
    assert list(tmp_path.glob(".site-new-*")) == [] and not (tmp_path / ".site-old").exists()
    assert "改过的一句话" in (out / "items/06-needs-survey/index.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- what is due

def test_due_lists_what_members_act_on_first():
    result = subprocess.run([sys.executable, str(ROOT / "scripts/docs.py"), "due", "--today", "2031-01-01"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0
    lines = [l.strip() for l in result.stdout.splitlines() if l.strip().startswith("docs/")]
    assert lines[0].startswith("docs/rights/index.md") and lines[1].startswith("docs/tools/leave.md")
    assert "Facts pages still carrying 待与官方文本核对: 2" in result.stdout
    assert "Past their 下次核对 date: 0" not in result.stdout
    now = subprocess.run([sys.executable, str(ROOT / "scripts/docs.py"), "due"], capture_output=True, text=True, cwd=ROOT)
    assert "Past their 下次核对 date: 0" in now.stdout


# --------------------------------------------------------------------------- the handbook's catalogue

from guide import catalogue  # noqa: E402


@pytest.mark.parametrize("entry", catalogue.ENTRIES, ids=lambda e: e.anchor)
def test_catalogue_shows_the_message_the_checks_give(docs, entry):
    library = checks.check_site(docs, SECTIONS, MARKERS).library
    problem, _ = catalogue.message(entry, docs, library)
    path = docs / entry.page
    if entry.new == "GBK":
        path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    elif entry.new == "NO-ENGLISH":
        path.with_name(path.name.replace(".md", ".en.md")).unlink()
    elif entry.new.startswith("[["):
        edit(docs, f"docs/{entry.page}", "## 会员须知 {#for-members}\n", "## 会员须知 {#for-members}\n\n见" + entry.new + "。\n")
    else:
        edit(docs, f"docs/{entry.page}", entry.old, entry.new)
    messages = [p.message for p in checks.check_site(docs, SECTIONS, MARKERS).problems]
    assert problem.message in messages, (entry.anchor, problem.message, messages)


def test_handbook_lists_every_message_and_every_hint_links_it(site):
    from conftest import soup
    for page in ("about/editing/index.html", "en/about/editing/index.html"):
        article = soup(site / page).select_one("article")
        ids = {h.get("id") for h in article.select("h3")}
        assert {e.anchor for e in catalogue.ENTRIES} <= ids, page
        assert article.select_one("#errors") is not None
        encoding = article.select_one("#e-encoding").find_next("pre").get_text()
        assert "fix-encoding docs/about/index.md" in encoding, encoding   # the page, not the check's copy of it
    assert str(checks.Problem("docs/x.md", 3, "m", "h")).endswith("(examples: docs/about/editing.md#errors)")


def test_every_catalogued_message_comes_in_chinese_first(docs):
    from guide.messages_zh import zh
    library = checks.check_site(docs, SECTIONS, MARKERS).library
    for entry in catalogue.ENTRIES:
        problem, _ = catalogue.message(entry, docs, library)
        chinese = zh(problem.message)
        assert chinese and any("\u4e00" <= c <= "\u9fff" for c in chinese), (entry.anchor, problem.message)
        first, second = str(problem).splitlines()[:2]
        assert chinese in first and problem.message in second, str(problem)


def test_text_an_editor_writes_cannot_break_the_markup(project_copy, tmp_path):
    """A description with " < > & ends up in <meta content="…"> intact; a citation's tooltip quoting an
    article with quotation marks stays one attribute."""
    from conftest import soup
    from test_checkers import material_stays, vnu_errors
    sentence = 'Rule: 1 < 2 > 0 & "quoted" words'
    replace_once(project_copy, "docs/about/index.en.md", "description: ", f"description: '{sentence}' #")
    # an article whose text has quotation marks and < > &, as a tooltip on every page citing it
    odd = '产假"98天" <含> & \\ 产前15天'
    replace_once(project_copy, "docs/policies/gwy-619.md", "女职工生育享受98天产假", f"女职工生育享受{odd}")
    out = tmp_path / "site"
    result = run_build(project_copy, out)
    assert result.returncode == 0, result.stderr[-2000:]
    page = soup(out / "en/about/index.html")
    assert page.select_one('meta[name="description"]')["content"] == sentence
    # a tooltip quoting 《女职工劳动保护特别规定》第六条, which has “” quotation marks in the English text
    rights = soup(out / "rights/index.html")
    tips = [a["title"] for a in rights.select("a.guide-cite[title]") if "“" in a["title"] or '"' in a["title"]]
    assert all(a.get("href") for a in rights.select("a.guide-cite"))
    assert all(t.count('"') % 2 == 0 for t in tips)
    odd_tips = [a["title"] for a in rights.select('a.guide-cite[href$="gwy-619/#art-7"]')]
    assert odd_tips and all(odd in t for t in odd_tips), odd_tips[:1]
    # and the W3C checker finds nothing wrong with either page
    errors = [m for m in vnu_errors([out / "en/about/index.html", out / "rights/index.html"]) if not material_stays(m)]
    assert errors == [], errors[:3]
