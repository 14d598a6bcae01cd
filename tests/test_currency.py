"""The law as it stands today (issue 13): new texts in the library, facts quotations with their
caveats, history passages, the retirement tables, and the page of changes since 2020."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SHARED, norm, run_build, soup
from guide import citations, content_model, policies, retirement

POLICIES = SHARED / "policies"


def reference(name: str) -> str:
    path = POLICIES / name
    if not path.exists():
        pytest.skip("../shared/policies is not beside this checkout")
    return path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- importer

def test_lawtext_layout_is_read_with_chapters_and_without_the_table_of_contents():
    doc, warnings = policies.parse_plain(reference("gonghuifa-2009.md"))
    numbers = [a.number for a in doc.articles]
    assert numbers == list(range(1, 58))
    assert [e[1] for e in doc.sequence if e[0] == "chapter"] == [f"ch-{n}" for n in range(1, 8)]
    assert doc.preamble[0] == "中华人民共和国工会法" and doc.preamble[1].startswith("（1992年4月3日")
    art10 = next(a for a in doc.articles if a.number == 10)
    assert "女职工人数较多的，可以建立工会女职工委员会" in art10.text
    art22 = next(a for a in doc.articles if a.number == 22)
    assert "（四）侵犯女职工和未成年工特殊权益的；" in art22.paragraphs   # `  - （四）…` items
    assert warnings == []


def test_the_decision_has_points_measures_articles_and_annexes():
    doc, _ = policies.parse_plain(reference("yanchi-tuixiu-2024.md"))
    assert [a.id for a in doc.articles] == [*(f"point-{n}" for n in range(1, 6)), *(f"art-{n}" for n in range(1, 10)),
                                            *(f"annex-{n}" for n in range(1, 5))]
    assert doc.articles[0].text.startswith("一、同步启动延迟男、女职工的法定退休年龄")
    assert ("part", "measures", "国务院关于渐进式延迟法定退休年龄的办法") in doc.sequence
    art6 = next(a for a in doc.articles if a.id == "art-6")
    assert len(art6.paragraphs) == 3
    assert all(a.table for a in doc.articles if a.id.startswith("annex-"))


def test_a_paragraph_break_inside_a_sentence_is_flagged_and_joined_only_when_asked():
    text = reference("laodongfa-2018.md")
    doc, warnings = policies.parse_plain(text)
    assert [w for w in warnings if "paragraph break inside a sentence in 第三十七条" in w]
    assert len(next(a for a in doc.articles if a.number == 37).paragraphs) == 2
    doc, warnings = policies.parse_plain(text, {"art-37": ["劳动定额"]})
    art37 = next(a for a in doc.articles if a.number == 37)
    assert art37.paragraphs == ["对实行计件工作的劳动者，用人单位应当根据本法第三十六条规定的工时制度合理确定其劳动定额和计件报酬标准。"]
    assert not [w for w in warnings if "paragraph break" in w]
    assert len(doc.joined) == 1 and "劳动定额" in doc.joined[0] and doc.joined[0].startswith("第三十七条")
    with pytest.raises(policies.ImportProblem, match="no paragraph break splits"):
        policies.parse_plain(text, {"art-38": ["休息"]})


def test_the_import_records_a_join_in_the_doubts_of_the_page(tmp_path):
    meta_file = ROOT / "scripts/policy-imports/laodongfa-2018.yml"
    result = subprocess.run([sys.executable, str(ROOT / "scripts/import_policy.py"), str(POLICIES / "laodongfa-2018.md"),
                             "--meta", str(meta_file), "--out-dir", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    written = (tmp_path / "laodongfa-2018.md").read_text(encoding="utf-8")
    assert written == (ROOT / "docs/policies/laodongfa-2018.md").read_text(encoding="utf-8")
    assert "joins:" not in written.split("\n---\n")[0]          # an import setting, not a page field
    assert "第三十七条：来源转录" in written


# --------------------------------------------------------------------------- retirement tables

# Rows worked out by hand from 《办法》第一条 (and read in the source where they survived):
# man born 1965-01: original retirement 2025-01, first group → +1 month → 2025-02;
# woman (55) born 1981-09: original 2036-09, (140 // 4) + 1 = 36 → 58 years, 2039-09;
# woman (50) born 1975-03: original 2025-03, (2 // 2) + 1 = 2 → 50 years 2 months, 2025-05;
# woman (50) born 1984-12: original 2034-12, min(60, 119 // 2 + 1) = 60 → 55 years, 2039-12.
HAND_WORKED = [
    (1, "1965年1月", "60岁1个月", "2025年2月", "1"),
    (2, "1981年9月", "58岁", "2039年9月", "36"),
    (3, "1975年3月", "50岁2个月", "2025年5月", "2"),
    (3, "1984年12月", "55岁", "2039年12月", "60"),
]


def test_rebuilt_tables_agree_with_every_value_that_survived_in_the_source():
    doc, _ = policies.parse_plain(reference("yanchi-tuixiu-2024.md"))
    tables = {int(a.id[6:]): a.table for a in doc.articles if a.id.startswith("annex-")}
    assert retirement.check_source(1, tables[1]) == (144, 36)
    assert retirement.check_source(2, tables[2]) == (144, 36)
    assert retirement.check_source(3, tables[3]) == (120, 60)
    assert retirement.check_source(4, tables[4]) == (15, 15)
    broken = [line.replace("| 2025年3月 |", "| 2025年4月 |", 1) for line in tables[1]]
    with pytest.raises(ValueError, match="1965年2月 retires in 2025年4月"):
        retirement.check_source(1, broken)


def test_lookup_follows_the_rule_beyond_the_tables():
    assert retirement.lookup("women50", 1974, 12).delay == 0          # original retirement 2024-12: before the reform
    assert retirement.lookup("women50", 1990, 6).age_months == 55 * 12
    assert retirement.lookup("women55", 1970, 5).retire == 2025 * 12 + 6   # July 2025
    assert [retirement.minimum_contribution(y) for y in (2029, 2030, 2031, 2039, 2045)] == [180, 186, 192, 240, 240]


def test_the_policy_page_shows_the_tables_as_real_tables_with_how_they_were_made(site):
    page = soup(site / "policies/yanchi-tuixiu-2024/index.html")
    counts = {}
    for n in range(1, 5):
        heading = page.find(id=f"annex-{n}")
        box = heading.find_next_sibling(class_="admonition")
        assert "本表的制作方法" in box.get_text() and "逐格核对" in box.get_text() or n == 4
        table = heading.find_next("table")
        counts[n] = len(table.select("tbody tr"))
    assert counts == {1: 144, 2: 144, 3: 120, 4: 15}
    rows = {}
    for n in range(1, 4):
        table = page.find(id=f"annex-{n}").find_next("table")
        for tr in table.select("tbody tr"):
            cells = [td.get_text() for td in tr.select("td")]
            rows[(n, cells[0])] = cells
    for annex, born, age, retire, delay in HAND_WORKED:
        assert rows[(annex, born)] == [born, age, retire, delay]
    last = page.find(id="annex-4").find_next("table").select("tbody tr")
    assert [td.get_text() for td in last[5].select("td")] == ["2030年", "15年+6个月"]
    assert page.find(id="point-1") and page.find(id="art-9") and page.find(id="measures")
    en = soup(site / "en/policies/yanchi-tuixiu-2024/index.html")
    assert "How this table was produced" in en.get_text()


# --------------------------------------------------------------------------- labels and facts quotations

def test_labels_of_points_articles_and_annexes_of_the_decision():
    lib = _library()
    pol = lib.policies["yanchi-tuixiu-2024"]
    assert pol.article_label_in("point-1", "zh") == "《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》第一点"
    assert pol.article_label_in("art-3", "zh") == "《国务院关于渐进式延迟法定退休年龄的办法》第三条"
    assert pol.article_label_in("annex-3", "zh") == "《国务院关于渐进式延迟法定退休年龄的办法》附件3"
    assert pol.article_label_in("art-3", "en").endswith(", Article 3")
    assert pol.article_label_in("point-5", "en").endswith(", point 5")


def _library() -> citations.Library:
    pages, problems = content_model.check_tree(ROOT / "docs", {n: s for n, s in
                                                                [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 3),
                                                                 (8, 4), (9, 4), (10, 4), (11, 4), (12, 5), (13, 5)]})
    assert not problems, problems
    return citations.Library.load(ROOT / "docs", pages)


def test_a_facts_quotation_carries_its_caveat_in_link_tooltip_quote_and_pdf(site):
    page = soup(site / "rights/index.html")
    link = page.select_one('a.guide-cite[href="../policies/henan-rkjhsy-2021/#art-25"]')
    assert link is not None, "the rights page cites the 2021 Henan art. 25 for the extra three months"
    assert link.get_text() == "《河南省人口与计划生育条例》（2021年修改）第二十五条"
    caveat = link.find_next_sibling("span")
    assert "guide-caveat" in caveat["class"] and caveat.get_text() == "（丙级：单一来源转引，待与官方文本核对）"
    assert "增加产假三个月" in link["title"] and "单一来源转引，待与官方文本核对" in link["title"]
    quoted = [d for d in page.select("#cited-articles ~ details") if "第二十五条" in d.summary.get_text()]
    assert quoted and "单一来源转引，待与官方文本核对" in quoted[0].select_one(".guide-caveat").get_text()
    en = soup(site / "en/rights/index.html")
    link = en.select_one('a.guide-cite[href="../policies/henan-rkjhsy-2021/#art-25"]')
    assert "level C" in link.find_next_sibling("span").get_text()
    from pypdf import PdfReader
    text = norm("".join(p.extract_text() for p in PdfReader(str(site / "downloads/guide-zh.pdf")).pages))
    assert norm("（2021年修改）第二十五条（丙级：单一来源转引，待与官方文本核对）") in text


# --------------------------------------------------------------------------- history passages

def test_no_superseded_text_is_cited_outside_a_history_passage():
    """The figure the issue asks for: citations of superseded or amended texts outside history passages."""
    lib = _library()
    past = {pid for pid, pol in lib.policies.items() if pol.past}
    assert past >= {"fnqybzf-2018", "gonghuifa-2009", "henan-rkjhsy-2020"}
    outside, inside = [], 0
    for path in sorted((ROOT / "docs").rglob("*.md")):
        rel = path.relative_to(ROOT / "docs").as_posix()
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        if meta.get("kind") == "policy":
            continue
        body, offset = content_model.split_body(path.read_text(encoding="utf-8"))
        history = citations.history_lines(body, offset)
        for n, line in enumerate(body.splitlines(), offset + 1):
            for m in citations.CITE_RE.finditer(line):
                if m.group(1) in past:
                    if meta.get("history") or n in history:
                        inside += 1
                    else:
                        outside.append(f"{rel}:{n}")
    assert outside == []
    assert inside > 0     # the 2020 positions are still there, marked as history


def test_history_boxes_render_and_every_item_change_box_links_the_changes_page(site):
    changes = soup(site / "changes/index.html")
    ids = {t["id"] for t in changes.find_all(id=True)}
    boxes = 0
    for path in sorted((site / "items").glob("*/index.html")):
        for box in soup(path).select(".admonition.history"):
            if "2020年以后的变化" not in box.select_one(".admonition-title").get_text():
                continue
            boxes += 1
            links = [a["href"] for a in box.select("a") if "changes/" in a["href"]]
            assert links, f"{path.parent.name}: the box does not link the changes page"
            for href in links:
                anchor = href.partition("#")[2]
                assert not anchor or anchor in ids, f"{path.parent.name}: {href}"
    assert boxes >= 10


def test_the_changes_page_lists_the_changes_in_date_order_with_citations(site):
    page = soup(site / "changes/index.html")
    wanted = ["renkou-2021", "henan-2021", "gonghuifa-2021", "fnqybzf-2022", "retirement-2025", "childcare-subsidy-2025"]
    headings = [h for h in page.select("h2[id]") if h["id"] in wanted]
    assert [h["id"] for h in headings] == wanted
    dates = []
    for h in headings:
        m = re.match(r"(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?", h.get_text())
        assert m, h.get_text()
        dates.append(tuple(int(g or 0) for g in m.groups()))
        section = []
        for sib in h.find_next_siblings():
            if sib.name == "h2":
                break
            section.append(sib)
        assert any(a for s in section for a in s.select("a.guide-cite")), h["id"]
    assert dates == sorted(dates)


# --------------------------------------------------------------------------- bad input

ITEM = "docs/items/05-henan-protection-rules.md"


def _lines_of(project: Path, rel: str, needle: str) -> int:
    """The line of the last occurrence (the lines a test appends come last)."""
    return [n for n, line in enumerate((project / rel).read_text(encoding="utf-8").splitlines(), 1) if needle in line][-1]


def test_superseded_citations_unquoted_articles_and_uncaveated_quotations_stop_the_build(project_copy, tmp_path):
    item = project_copy / ITEM
    item.write_text(item.read_text(encoding="utf-8")
                    + "\n经期受特殊保护[[fnqybzf-2018:26]]。\n\n婚假另见[[henan-rkjhsy-2021:27]]。\n\n"
                      "河南规定：符合法律、法规规定生育子女的，除国家规定的产假外，增加产假三个月。\n\n"
                      '!!! history "2020年时的规定"\n\n    2020年时见[[fnqybzf-2018:27]]。\n', encoding="utf-8")
    out = tmp_path / "site"
    result = run_build(project_copy, out)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and not out.exists()
    line = _lines_of(project_copy, ITEM, "[[fnqybzf-2018:26]]")
    assert f"{ITEM}:{line}: citation [[fnqybzf-2018:26]]" in output
    assert "cite the text in force now, 《中华人民共和国妇女权益保障法》（2022年修订）" in output
    assert "[[fnqybzf-2018:27]]" not in output                       # inside the history box: allowed
    line = _lines_of(project_copy, ITEM, "[[henan-rkjhsy-2021:27]]")
    assert f"{ITEM}:{line}: citation [[henan-rkjhsy-2021:27]]" in output
    assert "does not quote article '27'" in output and "the facts page quotes only [[henan-rkjhsy-2021:25]]" in output
    line = _lines_of(project_copy, ITEM, "河南规定：")
    assert (f"{ITEM}:{line}: quotes 《河南省人口与计划生育条例》（2021年修改）第二十五条 without its caveat" in output)
    assert "put the citation [[henan-rkjhsy-2021:25]] right after the quotation" in output


@pytest.mark.parametrize("mistake", ["no quotes entry", "no level"])
def test_a_facts_quotation_without_its_caveat_on_the_facts_page_stops_the_build(project_copy, tmp_path, mistake):
    facts = "docs/policies/henan-186.md"
    text = (project_copy / facts).read_text(encoding="utf-8")
    if mistake == "no quotes entry":
        text = re.sub(r"quotes:\n(?:[- ] .*\n)+", "", text, count=1)
    else:
        text = re.sub(r"^  level: 丙\n", "", text, count=1, flags=re.M)
    (project_copy / facts).write_text(text, encoding="utf-8")
    result = run_build(project_copy, tmp_path / "site")
    output = result.stdout + result.stderr
    line = _lines_of(project_copy, facts, "{#art-11}")
    assert result.returncode != 0 and "Traceback" not in output
    assert f"{facts}:{line}: the facts page quotes art-11 without its caveat" in output
    if mistake == "no level":
        assert "a 'quotes' entry is incomplete" in output


def test_search_finds_the_texts_in_force_not_the_superseded_ones(site):
    import json
    docs = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    en = json.loads((site / "en/search/search_index.json").read_text(encoding="utf-8"))["docs"]
    pages = {d["location"].split("#")[0] for d in docs} | {"en/" + d["location"].split("#")[0] for d in en}
    for old in ("fnqybzf-2018", "gonghuifa-2009", "henan-rkjhsy-2020"):
        assert not {p for p in pages if f"policies/{old}/" in p}, old
    for current in ("fnqybzf-2022", "gonghuifa-2021", "henan-rkjhsy-2021", "yanchi-tuixiu-2024"):
        assert f"policies/{current}/" in pages and f"en/policies/{current}/" in pages, current
