"""Templates (issue 5): every form is a page and a Word document built from one source."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from conftest import ROOT, replace_once, run_build, soup

SOURCES = sorted(p for p in (ROOT / "docs/templates").glob("*.md") if p.name != "index.md" and ".en." not in p.name)
IDS = [p.stem for p in SOURCES]


def meta(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def test_at_least_26_templates_and_two_per_item():
    assert len(IDS) >= 26
    per_item = {n: [i for p, i in zip(SOURCES, IDS) if n in meta(p)["items"]] for n in range(1, 14)}
    assert all(len(v) >= 2 for v in per_item.values()), per_item


@pytest.mark.parametrize("template_id", IDS)
def test_template_page_and_docx(site, template_id):
    data = meta(ROOT / f"docs/templates/{template_id}.md")
    page = soup(site / f"templates/{template_id}/index.html")
    assert page.h1.get_text().strip().rstrip("#") == data["title"]
    assert page.select_one("#when") is not None, "no explanation of when to use it"
    form = page.select_one("article .guide-form")
    assert form is not None
    link = page.select_one(".guide-form-actions a[download]")
    assert link["href"] == f"../../downloads/templates/{template_id}.docx"
    assert page.select_one(".guide-form-actions button.guide-print") is not None

    docx_file = site / f"downloads/templates/{template_id}.docx"
    doc = Document(str(docx_file))
    assert doc.core_properties.title == data["title"]
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.1) and abs(section.page_height - Cm(29.7)) < Cm(0.1)
    text = "\n".join(p.text for p in doc.paragraphs)
    first_heading = form.find(["h3", "h4"])
    shown = first_heading.get_text().strip().rstrip("#").strip()
    assert doc.paragraphs[0].text == re.sub("＿+", lambda m: "\u3000" * len(m.group()), shown)
    # the same tables, with borders
    html_tables = form.find_all("table")
    assert len(doc.tables) == len(html_tables)
    for table, html in zip(doc.tables, html_tables):
        assert len(table.rows) == len(html.find_all("tr"))
        assert table.style.name == "Table Grid"
    # blanks: runs of ＿ become underlined space
    if "＿＿" in form.get_text():
        runs = [r for p in doc.paragraphs for r in p.runs] + \
               [r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
        assert any(r.font.underline and r.text.strip("\u3000") == "" for r in runs)
    elif html_tables:
        assert any(not c.text.strip() for t in doc.tables for row in t.rows for c in row.cells), "no empty cell to fill"
    # Chinese fonts named explicitly
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    east_asian = {r.element.rPr.rFonts.get(qn("w:eastAsia")) for p in doc.paragraphs for r in p.runs
                  if r.element.rPr is not None and r.element.rPr.rFonts is not None}
    assert "黑体" in east_asian
    assert "＿" not in text


def test_downloads_are_exactly_the_templates(site):
    built = sorted(p.stem for p in (site / "downloads/templates").glob("*.docx"))
    assert built == sorted(IDS + [f"{i}.en" for i in IDS])   # Chinese and English


def test_templates_index_lists_every_template_by_item_and_kind(site):
    page = soup(site / "templates/index.html")
    by_item = {a["href"].strip("/").split("/")[-1] for a in page.select("#by-item ~ .guide-table a[href*='/']")
               if not a["href"].startswith("../items")}
    assert set(IDS) <= by_item
    by_kind = {a["href"].strip("/").split("/")[-1] for a in page.select("#by-kind ~ ul a")}
    assert by_kind == set(IDS)


def test_every_template_is_linked_from_an_item_page(site):
    linked = set()
    for page in (site / "items").glob("[0-9][0-9]-*/index.html"):
        linked |= {m for m in re.findall(r'href="\.\./\.\./templates/([a-z0-9-]+)/"', page.read_text(encoding="utf-8"))}
    assert set(IDS) - linked == set()


# --------------------------------------------------------------------------- bad input

def test_unknown_template_link_in_an_item_page_fails(project_copy, tmp_path):
    path = project_copy / "docs/items/06-needs-survey.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n[问卷](../templates/no-such-form.md)\n", encoding="utf-8")
    result = run_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "items/06-needs-survey.md" in result.stdout + result.stderr
    assert "no-such-form.md" in result.stdout + result.stderr


@pytest.mark.parametrize("case, old, new, message", [
    ("missing title", "title: 签到表\n", "", "missing required field 'title'"),
    ("duplicate id", "template_id: sign-in-sheet\n", "template_id: activity-notice\n", "differs from the file name"),
    ("no form part", "{#form}", "{#the-form}", "no form part"),
])
def test_bad_template_source_fails_with_file(project_copy, tmp_path, case, old, new, message):
    replace_once(project_copy, "docs/templates/sign-in-sheet.md", old, new)
    result = run_build(project_copy, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0, case
    assert "docs/templates/sign-in-sheet.md" in output and message in output, output


def test_malformed_table_fails_with_file_and_line(project_copy, tmp_path):
    path = project_copy / "docs/templates/sign-in-sheet.md"
    text = path.read_text(encoding="utf-8").rstrip() + "\n\n| 甲 | 乙 |\n| --- | --- |\n| 1 | 2 | 3 |\n"
    path.write_text(text, encoding="utf-8")
    line = text.count("\n")
    result = run_build(project_copy, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"docs/templates/sign-in-sheet.md:{line}" in output and "malformed table" in output, output


def test_a_bad_template_leaves_the_published_downloads_alone(project_copy, tmp_path):
    out = tmp_path / "site"
    assert run_build(project_copy, out).returncode == 0
    before = {p.name: p.read_bytes() for p in (out / "downloads/templates").iterdir()}
    replace_once(project_copy, "docs/templates/sign-in-sheet.md", "title: 签到表\n", "")
    assert run_build(project_copy, out).returncode != 0
    after = {p.name: p.read_bytes() for p in (out / "downloads/templates").iterdir()}
    assert after == before
