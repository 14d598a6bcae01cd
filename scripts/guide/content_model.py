"""Content model: which front-matter fields each kind of page has.

Documented for editors in docs/about/content-model.md; that page's field table
is checked against FIELDS by the tests, so the two cannot drift.

Every Markdown file under docs/ starts with a YAML front matter block. This
module parses it itself (MkDocs silently ignores YAML it cannot read) and
reports every problem as `file:line: message` followed by what to do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from guide import sources

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)     # libyaml when present: 150 pages parse in a blink

FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)

AUDIENCES = ("会员", "工会干部")
HIDE_VALUES = ("navigation", "toc", "footer", "path", "tags")


def split_body(text: str) -> tuple[str, int]:
    """A page's body after its front matter, and the number of lines the front matter takes."""
    m = FRONT_MATTER_RE.match(text)
    return (text[m.end():], text[: m.end()].count("\n")) if m else (text, 0)


def prose_lines(text: str, offset: int = 0):
    """(line number, line) of the lines outside fenced code blocks; numbers start after `offset`."""
    fence = False
    for n, line in enumerate(text.splitlines(), offset + 1):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
            continue
        if not fence:
            yield n, line


@dataclass
class Problem:
    path: str
    line: int | None
    message: str
    hint: str

    def __str__(self) -> str:
        """Chinese first (guide/messages_zh.py) where the kind has its wording, then the check's English
        message, each after the file and line (editors jump to `file:line`), then what to do."""
        from guide.messages_zh import zh

        where = f"{self.path}:{self.line}" if self.line else self.path
        chinese = zh(self.message)
        head = f"{where}: {chinese}\n{where}: {self.message}" if chinese else f"{where}: {self.message}"
        return f"{head}\n    → {self.hint} (examples: {HANDBOOK})"


HANDBOOK = "docs/about/editing.md#errors"   # the editor's handbook: every message, with an example and the fix


# --- field checks: each returns an error message, or None when the value is fine

def _date(value: Any) -> str | None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        return "expected a date written as YYYY-MM-DD, for example 2026-11-29"
    if value > dt.date.today():
        return "the review date is in the future"
    return None


def _int_range(low: int, high: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            return f"expected a whole number from {low} to {high}"
        return None
    return check


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "expected a non-empty text"


def _list_of(allowed: tuple[str, ...] | None) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            return "expected a non-empty list, for example [会员, 工会干部]"
        if allowed is not None and (bad := [v for v in value if v not in allowed]):
            return f"unknown value(s) {bad}; allowed: {list(allowed)}"
        return None
    return check


def _search(value: Any) -> str | None:
    if not isinstance(value, dict) or not set(value) <= {"boost", "exclude"}:
        return "expected a mapping with 'boost' (a number) and/or 'exclude' (true/false)"
    if "boost" in value and not isinstance(value["boost"], (int, float)):
        return "'boost' must be a number such as 2"
    return None


KINDS = ("home", "notice", "item", "page", "policy", "template")
FORMS = ("通知", "方案", "表格", "问卷", "协议", "清单", "总结", "示例")
VALIDITY = ("现行有效", "已修订", "已被取代")
POLICY_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _policy_id(value: Any) -> str | None:
    return None if isinstance(value, str) and POLICY_ID.match(value) else \
        "expected a short id of lower-case letters, digits and hyphens, e.g. gwy-619"


def _texts(value: Any) -> str | None:
    ok = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
    return None if ok else "expected a list of texts"


# field -> (check, kinds that require it, kinds that allow it, description for editors)
FIELDS: dict[str, tuple[Callable[[Any], str | None], tuple[str, ...], tuple[str, ...], str]] = {
    "kind": (lambda v: None if v in KINDS else f"expected one of {list(KINDS)}", KINDS, KINDS,
             "what the page is: home, notice, item (one of the 13 work items), page, policy or template"),
    "reviewed": (_date, KINDS, KINDS,
                 "date the content was last checked (YYYY-MM-DD); shown on the page"),
    "title": (_text, ("policy", "template"), ("home", "notice", "page", "policy", "template"),
              "page title when it differs from the first heading (item titles come from the notice)"),
    "description": (_text, (), KINDS, "one sentence for search results and link previews"),
    "item": (_int_range(1, 13), ("item",), ("item",), "the item's number in the notice, 1 to 13"),
    "section": (_int_range(1, 5), ("item",), ("item",),
                "the notice's heading the item belongs to, 1 (一) to 5 (五)"),
    "audience": (_list_of(AUDIENCES), ("item",), ("item", "page"),
                 "who the page is for: 会员 and/or 工会干部"),
    "tags": (_list_of(None), (), KINDS, "Material tags: the audience and the theme (see mkdocs.yml tags_allowed)"),
    "keywords": (_list_of(None), (), ("item", "page"),
                 "other words readers search for (synonyms); shown at the end of the page and indexed"),
    "hide": (_list_of(HIDE_VALUES), (), KINDS, "Material: parts of the layout to hide"),
    "search": (_search, (), KINDS, "Material: search boost or exclusion"),
    # --- template pages (forms officers print or download as .docx)
    # (not "template": MkDocs reads that key as the name of a Jinja template)
    "template_id": (_policy_id, ("template",), ("template",), "the template's id: its file name and URL (templates/ID/)"),
    "form": (lambda v: None if v in FORMS else f"expected one of {list(FORMS)}", ("template",), ("template",),
             "what kind of document it is"),
    "items": (lambda v: None if isinstance(v, list) and v and all(isinstance(n, int) and 1 <= n <= 13 for n in v)
              else "expected a list of item numbers 1 to 13", ("template",), ("template",),
              "the work items that use this template"),
    # --- policy pages (the policy library); written by scripts/import_policy.py
    "policy": (_policy_id, ("policy",), ("policy",), "the policy's id; also its URL (policies/ID/) and citation key"),
    "text": (lambda v: None if v in ("full", "facts") else "expected 'full' or 'facts'", ("policy",), ("policy",),
             "full: the text article by article; facts: verified facts only, cannot be cited by article"),
    "cite_as": (_text, (), ("policy",), "label used by citations, e.g. 《…》（2018年修正）; default 《title》"),
    "articles_cite_as": (_text, (), ("policy",),
                         "label for citations of 第N条 when the articles belong to an attached text "
                         "(the 2024 retirement decision's 《办法》); points and the rest use cite_as"),
    "issuer": (_text, ("policy",), ("policy",), "制定机关"),
    "number": (_text, ("policy",), ("policy",), "文号 (write 来源未载 when unknown)"),
    "adopted": (_text, ("policy",), ("policy",), "通过日期"),
    "promulgated": (_text, ("policy",), ("policy",), "公布日期"),
    "effective": (_text, ("policy",), ("policy",), "施行日期"),
    "version": (_text, ("policy",), ("policy",), "which version of the text this is"),
    "validity": (lambda v: None if v in VALIDITY else f"expected one of {list(VALIDITY)}", ("policy",), ("policy",),
               "效力状态: 现行有效 / 已修订 / 已被取代"),
    "validity_note": (_text, (), ("policy",), "what changed and when; shown with the status"),
    "newer_version": (_text, (), ("policy",), "a newer version that the library does not hold"),
    "supersedes": (_policy_id, (), ("policy",), "id of the older version this text replaced"),
    "superseded_by": (_policy_id, (), ("policy",), "id of the newer version that replaced this text"),
    "applied_2020": (_text, (), ("policy",), "whether this text applied when the 2020 notice was issued"),
    "source": (_text, ("policy",), ("policy",), "where the text comes from"),
    "doubts": (_texts, (), ("policy",), "known doubts about the text, shown on the page"),
    "quotes": (lambda v: None if isinstance(v, list) and v and all(isinstance(e, dict) for e in v)
               else "expected a list of entries: - article: 25 / level: 丙 / caveat: … / source: …",
               (), ("policy",),
               "facts pages: articles quoted second-hand, each with article, level (甲/乙/丙/丁), caveat and source; "
               "only these can be cited by number"),
    "planner": (lambda v: None if v in ("leave", "retirement") else "expected leave or retirement", (), ("page",),
                "the page is a planner (tools/): its form and rules come from docs/tools/planner.yml through the "
                "markers <!-- guide:planner --> and <!-- guide:planner-basis -->"),
    "history": (lambda v: None if v is True else "expected true (or leave the field out)", (), ("page",),
                "true: the whole page explains history (what changed since 2020), so it may cite superseded texts"),
}


def field_lines(block: str, offset: int) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Line numbers (1-based, in the file) of the top-level keys, and the keys written twice (key, line)."""
    lines: dict[str, int] = {}
    twice: list[tuple[str, int]] = []
    node = yaml.compose(block, Loader=LOADER)
    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            name, line = str(key.value), key.start_mark.line + offset
            if name in lines:
                twice.append((name, line))
            lines.setdefault(name, line)
    return lines, twice


DATE_LIKE_RE = re.compile(r"^([A-Za-z_]+):\s*['\"]?(\d{4})-(\d{1,2})-(\d{1,2})['\"]?\s*$")


def _impossible_date(block: str, offset: int) -> tuple[int, str, str] | None:
    """(line, field, value) of a date that does not exist, e.g. reviewed: 2026-13-45."""
    for n, line in enumerate(block.splitlines(), offset):
        if m := DATE_LIKE_RE.match(line):
            try:
                dt.date(int(m.group(2)), int(m.group(3)), int(m.group(4)))
            except ValueError:
                return n, m.group(1), f"{m.group(2)}-{m.group(3)}-{m.group(4)}"
    return None


def read_front_matter(path: Path, rel: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        text = sources.read(path)
    except sources.EncodingProblem as err:
        return None, [Problem(rel, err.line, f"the file is not saved as UTF-8: {err.found}", err.hint)]
    if not text.strip():
        return None, [Problem(rel, 1, "the file is empty",
                              "restore it from git (git checkout -- FILE), or delete it if the page should go; "
                              "a new page starts from: python scripts/docs.py new page PATH")]
    m = FRONT_MATTER_RE.match(text)
    if not m:
        return None, [Problem(rel, 1, "no front matter block at the top of the file",
                              "start the file with '---', the fields (at least kind and reviewed), then '---'; "
                              "see docs/about/content-model.md")]
    block = m.group(1) or ""
    if bad := _impossible_date(block, 2):
        line, name, value = bad
        return None, [Problem(rel, line, f"field '{name}': {value} is not a real date",
                              "write the date as YYYY-MM-DD with a month from 01 to 12 and a day that month has, "
                              "for example 2026-11-29")]
    try:
        data = yaml.load(block, Loader=LOADER)
        lines, twice = field_lines(block, 2)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        return None, [Problem(rel, line, f"front matter is not valid YAML ({problem})",
                              "check indentation and quoting; a value containing ': ' or '#' needs quotes")]
    except ValueError as err:         # a value YAML cannot turn into what it looks like
        return None, [Problem(rel, 2, f"front matter has a value that cannot be read ({err})",
                              "check dates (YYYY-MM-DD) and numbers in the front matter")]
    if not isinstance(data, dict):
        return None, [Problem(rel, 2, "front matter must be a set of 'field: value' lines",
                              "write one field per line, e.g. 'kind: page'")]
    if twice:
        return None, [Problem(rel, line, f"field '{name}' is written twice (first at line {lines[name]})",
                              "keep one of the two lines: the build would silently use the last one")
                      for name, line in twice]
    data["__lines__"] = lines
    return data, []


def validate(data: dict[str, Any], rel: str) -> list[Problem]:
    lines = data.get("__lines__", {})
    problems: list[Problem] = []
    kind = data.get("kind")
    if kind not in KINDS:
        return [Problem(rel, lines.get("kind", 2), f"field 'kind' is {kind!r}",
                        f"set kind to one of {list(KINDS)}; see docs/about/content-model.md")]
    for name, value in data.items():
        if name == "__lines__":
            continue
        if name not in FIELDS or kind not in FIELDS[name][2]:
            allowed = [f for f, spec in FIELDS.items() if kind in spec[2]]
            problems.append(Problem(rel, lines.get(name), f"unknown field '{name}' for a page of kind '{kind}'",
                                    f"remove it or use one of {allowed}"))
            continue
        if error := FIELDS[name][0](value):
            problems.append(Problem(rel, lines.get(name), f"field '{name}': {error}",
                                    f"fix the value; '{name}' is {FIELDS[name][3]}"))
    for name, spec in FIELDS.items():
        if kind in spec[1] and name not in data:
            problems.append(Problem(rel, 2, f"missing required field '{name}' for a page of kind '{kind}'",
                                    f"add '{name}:' to the front matter; it is {spec[3]}"))
    return problems


def check_tree(docs_dir: Path, notice_sections: dict[int, int]) -> tuple[dict[str, dict], list[Problem]]:
    """Validate every Markdown file; return {relative path: front matter} and the problems.

    `notice_sections` maps item number -> section number, as parsed from the notice.
    """
    pages: dict[str, dict] = {}
    problems: list[Problem] = []
    items_seen: dict[tuple[int, str], str] = {}
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        shown = f"docs/{rel}"
        data, found = read_front_matter(path, shown)
        problems += found
        if data is None:
            continue
        found = validate(data, shown)
        problems += found
        pages[rel] = data
        lang = "en" if rel.endswith(".en.md") else "zh"
        if data.get("kind") == "item" and isinstance(data.get("item"), int):
            items_seen.setdefault((data["item"], lang), rel)
        if found or data["kind"] != "item":
            continue
        lines = data["__lines__"]
        number, section = data["item"], data["section"]
        if notice_sections.get(number) != section:
            problems.append(Problem(shown, lines.get("section"),
                                    f"item {number} belongs to section {notice_sections.get(number)} in the notice, not {section}",
                                    f"set 'section: {notice_sections.get(number)}'"))
        if items_seen[(number, lang)] != rel:
            problems.append(Problem(shown, lines.get("item"),
                                    f"item {number} is already the subject of docs/{items_seen[(number, lang)]}",
                                    "each work item has exactly one page per language; fix the 'item' number"))
    missing = sorted(set(notice_sections) - {n for n, lang in items_seen if lang == "zh"})
    if missing and not problems:  # a broken page is reported as such, not as missing
        problems.append(Problem("docs/items/", None, f"no page for item(s) {missing}",
                                "create one with: python scripts/docs.py new item N"))
    return pages, problems
