"""The policy library (issue 3): verbatim articles under stable ids, import, citations, backlinks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SHARED, norm, run_build, soup
from guide import policies
from guide.citations import CITE_RE

# policy page id -> reference file in ../shared/policies
REFERENCES = {
    "gwy-619": "gwy-619.md", "laodongfa-2018": "laodongfa-2018.md",
    "laodonghetongfa-2012": "laodonghetongfa-2012.md", "shehuibaoxianfa-2018": "shehuibaoxianfa-2018.md",
    "fnqybzf-2018": "fnqybzf-2018.md", "fnqybzf-2022": "fnqybzf-2022.md", "gonghuifa-2021": "gonghuifa-2021.md",
    "renkou-jihuashengyu-fa-2021": "renkou-jihuashengyu-fa-2021.md",
    "henan-rkjhsy-2020": "henan-rkjhsy-2016-2020text.md", "henan-gonghui-tiaoli-2004": "henan-gonghui-tiaoli-2004.md",
    "henan-qyzg-mzql-2007": "henan-qyzg-mzql-2007.md", "henan-fnqybzf-banfa-2008": "henan-fnqybzf-banfa-2008.md",
    "gonghuifa-2009": "gonghuifa-2009.md",
    "laodong-zhengyi-tiaojie-zhongcai-fa-2007": "laodong-zhengyi-tiaojie-zhongcai-fa-2007.md",
    "shiye-danwei-renshi-guanli-tiaoli-2014": "shiye-danwei-renshi-guanli-tiaoli-2014.md",
    "yanchi-tuixiu-2024": "yanchi-tuixiu-2024.md",
}
FACTS = {"henan-186": "henan-186-facts.md", "union-women-committee": "union-women-committee-facts.md",
         "henan-rkjhsy-2021": "henan-rkjhsy-2021-facts.md", "yuer-butie-2025": "yuer-butie-2025-facts.md"}
# paragraph breaks of a transcription that split a word, joined on import (recorded in the page's doubts)
JOINS = {"laodongfa-2018": {"art-37": ["劳动定额"]}}


def reference(name: str) -> str:
    path = SHARED / "policies" / name
    if not path.exists():
        pytest.skip("../shared/policies is not beside this checkout")
    return path.read_text(encoding="utf-8")


def page_articles(policy: str) -> dict[str, policies.Article]:
    text = (ROOT / f"docs/policies/{policy}.md").read_text(encoding="utf-8")
    return policies.parse_page(text.split("\n---\n", 1)[1])


def test_every_reference_file_has_a_page():
    names = {p.name for p in (SHARED / "policies").glob("*.md")} - {"README.md"}
    if not names:
        pytest.skip("../shared/policies is not beside this checkout")
    assert names == set(REFERENCES.values()) | set(FACTS.values())
    for policy in [*REFERENCES, *FACTS]:
        assert (ROOT / f"docs/policies/{policy}.md").exists(), policy


@pytest.mark.parametrize("policy", sorted(REFERENCES))
def test_importing_the_reference_yields_the_articles_on_the_page(policy):
    doc, _ = policies.parse_plain(reference(REFERENCES[policy]), JOINS.get(policy))
    on_page = page_articles(policy)
    assert [a.id for a in doc.articles] == list(on_page)
    for article in doc.articles:
        assert on_page[article.id].text == article.text, article.id


@pytest.mark.parametrize("policy", sorted(REFERENCES))
def test_every_article_appears_verbatim_under_its_id_in_the_built_page(site, policy):
    source = reference(REFERENCES[policy]).split(policies.SOURCE_MARKER, 1)[1]
    # the lawtext/laws layout (`- **第一条**　　…`, indented paragraphs) read the simple way, independently
    # of the importer
    source = re.sub(r"^- \*\*(第[零一二三四五六七八九十百]+条)\*\*[\u3000 ]*", r"\1 ", source, flags=re.M)
    source = re.sub(r"^  (?:- )?", "", source, flags=re.M)
    expected = {}
    for m in re.finditer(r"^第([零一二三四五六七八九十百]+)条 (.*?)(?=^第[零一二三四五六七八九十百]+条 |^#|^附录|^---|\Z)",
                         source, re.M | re.S):
        expected[f"art-{policies.cn_to_int(m.group(1))}"] = norm(m.group(0))
    page = soup(site / f"policies/{policy}/index.html")
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for ident, text in expected.items():
        heading = page.find(id=ident)
        assert heading is not None and heading.name in ("h3", "h4"), ident
        body = []
        for sib in heading.find_next_siblings():
            if sib.name == "aside" or sib.name and re.fullmatch(r"h[1-6]", sib.name) or "guide-backlinks" in (sib.get("class") or []):
                break
            body.append(sib.get_text())
        assert norm(heading.get_text()).rstrip("#") + norm("".join(body)) == text, ident
    assert len(expected) == sum(1 for i in ids if i.startswith("art-"))


def test_annex_of_619_has_ids(site):
    page = soup(site / "policies/gwy-619/index.html")
    assert page.find(id="annex") is not None
    for n in range(1, 5):
        assert page.find(id=f"annex-{n}") is not None
    assert "女职工在孕期禁忌从事的劳动范围" in page.find(id="annex-3").get_text()


def test_policy_header_shows_version_dates_and_validity(site):
    for policy in [*REFERENCES, *FACTS]:
        page = soup(site / f"policies/{policy}/index.html")
        header = page.select_one(".guide-policy-header table")
        labels = [norm(td.get_text()) for td in header.select("tbody td:first-child")]
        assert labels == ["全称", "制定机关", "文号", "通过日期", "公布日期", "施行日期", "版本", "效力状态", "2020年时", "来源"]
        assert header.select_one(".guide-status").get_text() in ("现行有效", "已修订", "已被取代")


def test_versions_link_to_each_other_and_the_old_one_is_marked(site):
    old = soup(site / "policies/fnqybzf-2018/index.html")
    assert old.select_one(".guide-status").get_text() == "已被取代"
    assert old.select_one('.guide-policy-header a[href="../fnqybzf-2022/"]') is not None
    assert "2023年1月1日" in old.select_one(".guide-policy-header").get_text()
    new = soup(site / "policies/fnqybzf-2022/index.html")
    assert new.select_one('.guide-policy-header a[href="../fnqybzf-2018/"]') is not None
    henan = soup(site / "policies/henan-rkjhsy-2020/index.html").select_one(".guide-policy-header").get_text()
    assert "已修订" in henan and "育儿假" in henan and "以官方公布文本为准" in henan


@pytest.mark.parametrize("policy", sorted(FACTS))
def test_facts_pages_are_marked_and_quote_only_what_the_facts_file_quotes(site, policy):
    page = soup(site / f"policies/{policy}/index.html")
    text = page.select_one("article").get_text()
    assert "以官方公布文本为准" in text or "以中华全国总工会公布文本为准" in text
    quoted = [t["id"] for t in page.find_all(id=True) if re.fullmatch(r"art-\d+", t["id"])]
    # the reference files quote exactly: 河南186 第十一条, 河南2021 第二十五条; the others nothing
    assert quoted == {"henan-186": ["art-11"], "henan-rkjhsy-2021": ["art-25"]}.get(policy, [])
    for ident in quoted:   # each quotation has its level and caveat right after its heading
        box = page.find(id=ident).find_next_sibling()
        assert "admonition" in box["class"] and "丙级" in box.get_text()
        assert "单一来源转引，待与官方文本核对" in box.get_text()
        quotation = box.find_next_sibling("p").get_text()
        assert norm(quotation).rstrip("。") in norm(reference(FACTS[policy])), ident


def test_policy_index_lists_every_policy_with_validity(site):
    page = soup(site / "policies/index.html")
    rows = page.select("#list ~ .guide-table table tbody tr")
    hrefs = {row.a["href"].strip("/") for row in rows}
    assert hrefs == set(REFERENCES) | set(FACTS)
    for row in rows:
        assert row.select("td")[2].get_text() in ("现行有效", "已修订", "已被取代")


# --------------------------------------------------------------------------- the import script

def run_import(tmp_path: Path, text: str, meta: dict) -> subprocess.CompletedProcess:
    src = tmp_path / "text.txt"
    src.write_text(text, encoding="utf-8")
    meta_file = tmp_path / "meta.yml"
    meta_file.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return subprocess.run([sys.executable, str(ROOT / "scripts/import_policy.py"), str(src), "--meta", str(meta_file),
                           "--out-dir", str(tmp_path / "out")], capture_output=True, text=True)


META = yaml.safe_load((ROOT / "scripts/guide/policy-meta.example.yml").read_text(encoding="utf-8"))


def test_import_script_writes_a_page_with_the_same_articles(tmp_path):
    text = reference("gwy-619.md")
    result = run_import(tmp_path, text, {**META, "policy": "gwy-619-copy"})
    assert result.returncode == 0, result.stderr
    written = (tmp_path / "out/gwy-619-copy.md").read_text(encoding="utf-8")
    articles = policies.parse_page(written.split("\n---\n", 1)[1])
    assert {k: v.text for k, v in articles.items()} == {k: v.text for k, v in page_articles("gwy-619").items()}
    assert "half-width" in result.stderr          # the (一) of the annex


def test_import_of_a_plain_gazette_copy_warns_about_lookalikes(tmp_path):
    text = "河南省示例规定\n\n第一章　总则\n\n第一条　为了保护女职工,制定本规定。\n\n第二条 本规定自公布之日起施⾏。\n"
    result = run_import(tmp_path, text, {**META, "policy": "example"})
    assert result.returncode == 0, result.stderr
    assert "half-width ','" in result.stderr and "U+2F8F" in result.stderr
    page = (tmp_path / "out/example.md").read_text(encoding="utf-8")
    assert "### 第一条 {#art-1}" in page and "## 第一章 总则 {#ch-1}" in page


@pytest.mark.parametrize("text, message", [
    ("第一条 甲。\n第三条 乙。\n", "skips the numbering"),
    ("第一条 甲。\n第二条 乙。\n第二条 丙。\n", "repeats the numbering"),
    ("第一章 总则\n第一条 甲。\n第三章 附则\n第二条 乙。\n", "chapter 三 follows chapter 1"),
])
def test_import_stops_on_bad_numbering_naming_the_line(tmp_path, text, message):
    result = run_import(tmp_path, text, {**META, "policy": "bad"})
    assert result.returncode == 1
    assert message in result.stderr and "line " in result.stderr
    assert not (tmp_path / "out/bad.md").exists()


# --------------------------------------------------------------------------- citations

ITEM = "docs/items/05-henan-protection-rules.md"


def _append(project: Path, rel: str, text: str) -> None:
    path = project / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_citation_renders_label_link_text_and_backlink(project_copy, tmp_path):
    _append(project_copy, ITEM, "\n女职工生育享受产假，见[[gwy-619:7]]；禁忌劳动见[[gwy-619:annex-3]]；河南另见[[henan-186]]。\n"
                                "\n[[gwy-619:6]]规定了孕期的保护。\n")
    _append(project_copy, ITEM.replace(".md", ".en.md"),
            "\nMaternity leave: [[gwy-619:7]]; prohibited work: [[gwy-619:annex-3]]; Henan: [[henan-186]].\n"
            "\n[[gwy-619:6]] protects women workers during pregnancy.\n")
    out = tmp_path / "site"
    result = run_build(project_copy, out)
    assert result.returncode == 0, result.stderr
    page = soup(out / "items/05-henan-protection-rules/index.html")
    cite = page.select_one('a.guide-cite[href="../../policies/gwy-619/#art-7"]')
    assert cite is not None and cite.get_text() == "《女职工劳动保护特别规定》第七条"
    article7 = page_articles("gwy-619")["art-7"].text
    assert norm(cite["title"]) == norm(article7)
    assert page.select_one('a.guide-cite[href="../../policies/gwy-619/#annex-3"]').get_text() == "《女职工劳动保护特别规定》附录第三条"
    first = page.select_one('a.guide-cite[href="../../policies/gwy-619/#art-6"]')   # a paragraph that starts with a citation
    assert first.parent.name == "p" and first.parent.get_text().endswith("规定了孕期的保护。"), first.parent
    facts = page.select_one('a.guide-cite[href="../../policies/henan-186/"]')
    assert facts is not None and "以官方公布文本为准" in facts.parent.get_text()
    quoted = [d for d in page.select("#cited-articles ~ details") if "第七条" in d.summary.get_text()]
    assert quoted and norm(article7) in norm(quoted[0].get_text())
    policy = soup(out / "policies/gwy-619/index.html")
    for ident, ref in (("art-7", "gwy-619:7"), ("annex-3", "gwy-619:annex-3"), ("art-1", "gwy-619:1")):
        assert {a["href"] for a in backlinks_of(policy, ident)} == citing_pages(project_copy, ref, "../../"), ident
    index = soup(out / "policies/index.html")
    row = index.select_one('#list ~ .guide-table a[href="gwy-619/"]').find_parent("tr")
    assert "（五）" in row.get_text()
    # the English page: English label, the translation as tooltip, the same anchor
    en = soup(out / "en/items/05-henan-protection-rules/index.html")
    cite = en.select_one('a.guide-cite[href="../../policies/gwy-619/#art-7"]')
    assert cite.get_text() == "Special Provisions on the Labour Protection of Women Workers, Article 7"
    assert norm(cite["title"]) == norm(page_articles("gwy-619.en")["art-7"].text)
    assert "(the officially published text prevails)" in en.select_one(
        'a.guide-cite[href="../../policies/henan-186/"]').parent.get_text()


def backlinks_of(page, ident: str) -> list:
    """Links in the backlinks line of one article (between its heading and the next heading)."""
    for sib in page.find(id=ident).find_next_siblings():
        if sib.name and re.fullmatch(r"h[1-6]", sib.name):
            return []
        if "guide-backlinks" in (sib.get("class") or []):
            return sib.find_all("a")
    return []


def citing_pages(project: Path, ref: str, prefix: str) -> set[str]:
    """URLs (relative to a policy page) of the zh pages whose source cites `ref`."""
    found = set()
    for path in (project / "docs").rglob("*.md"):
        rel = path.relative_to(project / "docs").as_posix()
        cited = {":".join(filter(None, m.groups())) for m in CITE_RE.finditer(path.read_text(encoding="utf-8"))}
        if rel.endswith(".en.md") or ref not in cited:
            continue
        url = rel.removesuffix(".md").removesuffix("index").rstrip("/")
        found.add(f"{prefix}{url}/" if not url.startswith("policies/") else f"../{url.split('/')[1]}/")
    return found


def test_real_backlinks_list_exactly_the_citing_pages(site):
    policy = soup(site / "policies/henan-gonghui-tiaoli-2004/index.html")
    for n in range(1, 43):
        expected = citing_pages(ROOT, f"henan-gonghui-tiaoli-2004:{n}", "../../")
        assert {a["href"] for a in backlinks_of(policy, f"art-{n}")} == expected, n
    assert "../union-women-committee/" in {a["href"] for a in backlinks_of(policy, "art-9")}


@pytest.mark.parametrize("citation, message", [
    ("[[nope-1:7]]", "unknown policy 'nope-1'"),
    ("[[gwy-619:99]]", "has no article '99'"),
    ("[[henan-186:9]]", "holds verified facts only"),
])
def test_broken_citation_fails_with_file_and_line(project_copy, tmp_path, citation, message):
    _append(project_copy, ITEM, f"\n依据{citation}。\n")
    line = (project_copy / ITEM).read_text(encoding="utf-8").count("\n")
    result = run_build(project_copy, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"{ITEM}:{line}" in output and message in output and "→" in output, output


def test_every_citation_sits_in_its_text_and_nothing_generated_is_left_behind(site):
    """Citations, quoted articles and planner forms reach the page as HTML after Markdown (markup.defer):
    each citation stays inside its paragraph, list item or cell, and no placeholder is left."""
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        assert "\ue000" not in text and "\ue001" not in text, path
        if "guide-cite" in text:
            for a in soup(path).select("article a.guide-cite"):
                assert a.parent.name in ("p", "li", "td", "th", "span", "strong", "em", "summary"), (path, a.parent.name, a)


def test_generated_html_that_markdown_lost_is_reported():
    from guide import markup

    markup.discard()
    inline, block = markup.defer('<a href="x">kept</a>'), markup.defer("<form>a block</form>")
    assert markup.restore(f"<p>see {inline}</p>\n<p>{block}</p>") == '<p>see <a href="x">kept</a></p>\n<form>a block</form>'
    kept, _ = markup.defer("<b>kept</b>"), markup.defer("<form>lost</form>")
    with pytest.raises(ValueError, match="1 piece"):
        markup.restore(f"<p>{kept} and text</p>")
