"""Broken content stops the build with the file, the line and a hint; a good site is never replaced."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, replace_once, run_build

GOOD_ITEM = "docs/items/06-needs-survey.md"
REVIEWED = re.search(r"^reviewed: .*\n", (ROOT / GOOD_ITEM).read_text(encoding="utf-8"), re.M).group(0)


CASES = {
    "malformed YAML": (GOOD_ITEM, "section: 3\n", "section: [3\n",
                       ["docs/items/06-needs-survey.md:", "not valid YAML"]),
    "unknown field": (GOOD_ITEM, "section: 3\n", "section: 3\nauthor: 张三\n",
                      ["docs/items/06-needs-survey.md:5", "unknown field 'author'"]),
    "missing required field": (GOOD_ITEM, REVIEWED, "",
                               ["docs/items/06-needs-survey.md", "missing required field 'reviewed'"]),
    "wrong section": (GOOD_ITEM, "section: 3\n", "section: 4\n",
                      ["docs/items/06-needs-survey.md:4", "belongs to section 3"]),
    "bad audience": (GOOD_ITEM, "audience: [会员, 工会干部]", "audience: [members]",
                     ["docs/items/06-needs-survey.md:5", "field 'audience'"]),
    "no front matter": ("docs/about/index.md", "---\nkind: page\n", "kind: page\n---\n",
                        ["docs/about/index.md:1", "no front matter"]),
    "broken link": ("docs/about/index.md", "[原始通知](../notice/index.md)", "[原始通知](../notice/missing.md)",
                    ["about/index.md", "missing.md", "docs/about/index.md:"]),
    "broken anchor": ("docs/about/index.md", "[原始通知](../notice/index.md)", "[原始通知](../notice/index.md#item-99)",
                      ["about/index.md", "item-99"]),
    "planner: unknown article": ("docs/tools/planner.yml", "cite: [gwy-619:9]", "cite: [gwy-619:99]",
                                 ["docs/tools/planner.yml:46", "citation gwy-619:99", "has no article '99'"]),
    "planner: superseded text": ("docs/tools/planner.yml", "fnqybzf-2022:48]", "fnqybzf-2018:27]",
                                 ["docs/tools/planner.yml:66", "is 已被取代", "cite the text in force now"]),
    "planner: figure not a number": ("docs/tools/planner.yml", "    days: 98\n", "    days: 九十八\n",
                                     ["docs/tools/planner.yml:15", "'leave.maternity.days: '九十八'' should be a whole number"]),
    "planner: facts page without level": ("docs/tools/planner.yml", "cite: [gwy-619:9]", "cite: [henan-186]",
                                          ["docs/tools/planner.yml:46", "needs the fact's level"]),
    "unknown marker": ("docs/items/index.md", "<!-- guide:items -->", "<!-- guide:itemz -->",
                       ["docs/items/index.md", "unknown marker 'guide:itemz'"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_content_fails_with_file_and_hint(project_copy, tmp_path, case):
    rel, old, new, expected = CASES[case]
    replace_once(project_copy, rel, old, new)
    result = run_build(project_copy, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for text in expected:
        assert text in output, f"{text!r} missing from:\n{output}"
    assert "→" in output, "the message gives no hint of what to do"


def test_failed_build_leaves_the_previous_site_untouched(project_copy, tmp_path):
    out = tmp_path / "site"
    assert run_build(project_copy, out).returncode == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    replace_once(project_copy, GOOD_ITEM, "section: 3\n", "section: [3\n")
    replace_once(project_copy, "docs/index.md", "notice/index.md", "notice/gone.md")
    assert run_build(project_copy, out).returncode != 0
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []
