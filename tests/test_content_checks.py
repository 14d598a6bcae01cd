"""Content checks (issue 4): skeleton parts, citations for legal numbers, typography — each fails the build."""

from __future__ import annotations

import pytest

from conftest import ROOT, replace_once, run_build

ITEM = "docs/items/09-mental-health.md"


def test_item_pages_have_no_placeholder_left():
    for path in (ROOT / "docs/items").glob("[0-9][0-9]-*.md"):
        assert "本页正在编写" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("case, old, new, message", [
    ("missing part", "## 常见问题 {#faq}", "## 问答 {#qa}", "missing part '常见问题'"),
    ("no steps list", "### 工作步骤 {#steps}", "### 工作步骤 {#steps}\n\n见下。\n\n### 步骤细节 {#steps-detail}",
     "needs an ordered list"),
    ("wrong order", "## 相关事项 {#related}", "## 相关事项 {#related-x}", "missing part '相关事项'"),
])
def test_skeleton_problems_name_file_and_part(project_copy, tmp_path, case, old, new, message):
    replace_once(project_copy, ITEM, old, new)
    result = run_build(project_copy, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0, case
    assert ITEM in output and message in output, output


def test_legal_basis_without_citation_fails(project_copy, tmp_path):
    path = project_copy / ITEM
    text = path.read_text(encoding="utf-8")
    start = text.index("## 政策依据 {#legal-basis}")
    end = text.index("## 表格模板 {#templates}")
    path.write_text(text[:start] + "## 政策依据 {#legal-basis}\n\n见有关规定。\n\n" + text[end:], encoding="utf-8")
    result = run_build(project_copy, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and ITEM in output and "needs at least one citation" in output, output


def test_legal_number_without_citation_fails(project_copy, tmp_path):
    path = project_copy / ITEM
    path.write_text(path.read_text(encoding="utf-8") + "\n### 补充说明 {#extra-note}\n\n女职工每年可以休息3天。\n",
                    encoding="utf-8")
    result = run_build(project_copy, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and f"{ITEM}:" in output and "'3天' is stated without a citation" in output, output


def test_item_tags_name_audience_and_theme(site):
    import yaml

    allowed = {"会员", "工会干部", "学习", "维权", "关爱", "健康", "托管", "文体", "组织建设"}
    themes = allowed - {"会员", "工会干部"}
    english = yaml.safe_load((ROOT / "scripts/guide/glossary.yml").read_text(encoding="utf-8"))["tags"]
    for path in sorted((ROOT / "docs/items").glob("[0-9][0-9]-*.md")):
        if path.name.endswith(".en.md"):
            continue   # the English page carries the English forms (checked by the parity check)
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        assert set(meta["audience"]) <= set(meta["tags"]) <= allowed, path
        assert set(meta["tags"]) & themes, path
    from conftest import soup
    index = soup(site / "tags/index.html")
    listed = {h.get_text().strip().rstrip("#") for h in index.select("article h2")}
    assert allowed <= listed
    index = soup(site / "en/tags/index.html")
    listed = {h.get_text().strip().rstrip("#") for h in index.select("article h2")}
    assert set(english.values()) <= listed, listed


@pytest.mark.parametrize("bad, message", [
    # typography (style guide S-8, S-10)
    ("女职工\u200b权益。", "invisible character U+200B"),
    ("女职工,权益。", "half-width ','"),
    ("女职⼯权益。", "look-alike character"),
    # raw HTML outside the allow-list (S-14)
    ("<script>alert(1)</script>", "raw HTML tag <script> is not allowed"),
    ('<a href="x.pdf" onclick="steal()">下载</a>', "inline event handler 'onclick'"),
    ("[点我](javascript:alert(1))", "a 'javascript:' link"),
    ('<img src="x.png">', "raw HTML tag <img> is not allowed"),
    ('<a href="x.pdf" style="color:red">下载</a>', "attribute 'style' is not allowed"),
])
def test_typography_and_raw_html_problems_fail(project_copy, tmp_path, bad, message):
    replace_once(project_copy, "docs/about/index.md", "## 来源 {#sources}\n", f"## 来源 {{#sources}}\n\n{bad}\n")
    result = run_build(project_copy, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "docs/about/index.md:" in output and message in output, output
