"""Content checks on the Markdown source: the item-page skeleton, legal numbers, typography.

- Item pages follow the skeleton documented in docs/about/page-skeleton.md; a missing
  or misplaced part is reported with the file and the part.
- Legal numbers: in guidance pages, a section (## or ###) that states a number of
  days, 元, hours or months must cite an article in that same section.
- Typography: no half-width punctuation between Chinese characters, no look-alike or
  invisible characters (policy texts are exempt: they are quoted as received).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from guide.citations import CITE_RE
from guide.content_model import Problem, prose_lines, split_body
from guide.policies import lint_line

HEADING_RE = re.compile(r"^(#{2,4}) +(.+?)(?: +\{#([A-Za-z0-9_-]+)\})?\s*$")

# (level, id, title, required-for) in order; "members" parts only where audience includes 会员
SKELETON = [
    (2, "summary", "这一项是什么", "all"),
    (2, "for-members", "会员须知", "members"),
    (2, "for-officers", "工会干部怎么做", "all"),
    (3, "who", "谁负责", "all"),
    (3, "timeline", "全年安排", "all"),
    (3, "steps", "工作步骤", "all"),
    (3, "hand-in", "报送材料", "all"),
    (2, "legal-basis", "政策依据", "all"),
    (2, "templates", "表格模板", "all"),
    (2, "faq", "常见问题", "all"),
    (2, "related", "相关事项", "all"),
]

GUIDANCE_DIRS = ("items/", "rights/", "topics/", "tools/")   # pages whose legal numbers must be cited
CN = "零一二三四五六七八九十百两"
LEGAL_NUMBER_RE = re.compile(rf"(?:\d+(?:\.\d+)?|[{CN}]+)\s*(?:个工作日|天|元|小时|个月|周岁)")
TEMPLATE_LINK_RE = re.compile(r"\]\((?:\.\./)*templates/([a-z0-9-]+)\.md\)")
ITEM_LINK_RE = re.compile(r"\]\((?:\.\./items/)?\d\d-[a-z0-9-]+\.md(?:#[a-z0-9-]+)?\)")


@dataclass
class Section:
    level: int
    ident: str | None
    title: str
    line: int
    body: list[tuple[int, str]]          # (line number, text) up to the next heading of any level

    def text(self) -> str:
        return "\n".join(t for _, t in self.body)


def sections(markdown: str, offset: int) -> list[Section]:
    """Split a page body into sections at ##–#### headings (outside code fences)."""
    out = [Section(1, None, "", offset + 1, [])]
    fence = False
    for n, line in enumerate(markdown.splitlines(), offset + 1):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        m = None if fence else HEADING_RE.match(line)
        if m:
            out.append(Section(len(m.group(1)), m.group(3), m.group(2), n, []))
        else:
            out[-1].body.append((n, line))
    return out


def check_item(rel: str, text: str, meta: dict) -> list[Problem]:
    """The skeleton of an item page."""
    body, offset = split_body(text)
    secs = sections(body, offset)
    shown = f"docs/{rel}"
    problems: list[Problem] = []
    by_id = {s.ident: s for s in secs if s.ident}
    wanted = [p for p in SKELETON if p[3] == "all" or "会员" in meta.get("audience", [])]
    hint = "follow docs/about/page-skeleton.md"
    for level, ident, title, _ in wanted:
        if ident not in by_id:
            problems.append(Problem(shown, None, f"missing part '{title}' ({'#' * level} {title} {{#{ident}}})", hint))
        elif by_id[ident].level != level:
            problems.append(Problem(shown, by_id[ident].line, f"part '{title}' must be a level-{level} heading", hint))
    order = [s.ident for s in secs if s.ident in {w[1] for w in wanted}]
    if not problems and order != [w[1] for w in wanted]:
        problems.append(Problem(shown, None, f"parts are out of order: {order}", hint))
    if problems:
        return problems

    def block(ident: str) -> str:
        """Text of a part including its sub-sections."""
        start = secs.index(by_id[ident])
        level = secs[start].level
        end = next((i for i in range(start + 1, len(secs)) if secs[i].level <= level), len(secs))
        return "\n".join(s.text() + "\n" + f"### {s.title}" for s in secs[start:end])

    checks = [
        ("timeline", lambda t: re.search(r"^\s*\|.*\|\s*$", t, re.M), "a table (| 时间 | 事项 |)"),
        ("steps", lambda t: len(re.findall(r"^\s*\d+\. ", t, re.M)) >= 3, "an ordered list of at least three steps"),
        ("legal-basis", lambda t: CITE_RE.search(t), "at least one citation such as [[gwy-619:7]]"),
        ("templates", lambda t: len(set(TEMPLATE_LINK_RE.findall(t))) >= 2,
         "links to at least two templates (../templates/ID.md)"),
        ("faq", lambda t: len(re.findall(r"^### ", t, re.M)) >= 3, "at least three questions (### …？ {#faq-1})"),
        ("related", lambda t: ITEM_LINK_RE.search(t), "at least one link to another item page"),
    ]
    for ident, ok, what in checks:
        if not ok(block(ident)):
            problems.append(Problem(shown, by_id[ident].line, f"part '{by_id[ident].title}' needs {what}",
                                    "see docs/about/page-skeleton.md"))
    return problems


def check_legal_numbers(rel: str, text: str) -> list[Problem]:
    """A number of days, 元, hours or months needs a citation in the same section."""
    body, offset = split_body(text)
    problems = []
    for sec in sections(body, offset):
        content = sec.text()
        if CITE_RE.search(content) or CITE_RE.search(sec.title):
            continue
        for n, line in sec.body + [(sec.line, sec.title)]:
            if m := LEGAL_NUMBER_RE.search(line):
                problems.append(Problem(f"docs/{rel}", n, f"'{m.group(0)}' is stated without a citation in its section",
                                        "add the article it comes from ([[gwy-619:7]]) in this section, or, if it is "
                                        "not a legal rule, write it without a number of days/元/hours"))
                break
    return problems


# Raw HTML in Markdown: only these tags and attributes (links to generated files such as
# the PDF, which Markdown links cannot point to). Everything else is written in Markdown.
HTML_ALLOWED = {"a": {"href", "class", "download"}, "span": {"class"}, "br": set()}
HTML_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*?)?)\s*/?>")
HTML_ATTR_RE = re.compile(r"([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*(?:=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")


def check_raw_html(rel: str, text: str) -> list[Problem]:
    """Raw HTML allow-list; no <script>, inline event handlers or javascript: links, ever."""
    problems = []
    hint = f"write it in Markdown; raw HTML may only use {sorted(HTML_ALLOWED)} (see docs/about/style-guide.md S-14)"
    for n, line in prose_lines(text):
        prose = re.sub(r"`[^`]*`|<!--.*?-->", "", line)
        if re.search(r"javascript\s*:", prose, re.I):
            problems.append(Problem(f"docs/{rel}", n, "a 'javascript:' link", "remove it: pages run no code of their own"))
        for m in HTML_TAG_RE.finditer(prose):
            tag = m.group(2).lower()
            if tag not in HTML_ALLOWED:
                problems.append(Problem(f"docs/{rel}", n, f"raw HTML tag <{tag}> is not allowed", hint))
                continue
            for attr, _ in HTML_ATTR_RE.findall(m.group(3) or ""):
                attr = attr.lower()
                if attr.startswith("on"):
                    problems.append(Problem(f"docs/{rel}", n, f"inline event handler '{attr}' in <{tag}>",
                                            "remove it: behaviour lives in overrides/assets/javascripts/guide.js"))
                elif attr not in HTML_ALLOWED[tag]:
                    problems.append(Problem(f"docs/{rel}", n, f"attribute '{attr}' is not allowed on <{tag}>", hint))
    return problems


def check_typography(rel: str, text: str) -> list[Problem]:
    """Half-width punctuation between Chinese characters, look-alike and invisible characters."""
    problems = []
    for n, line in prose_lines(text):
        prose = re.sub(r"`[^`]*`|\]\([^)]*\)|\{[:#][^}]*\}|\[\[[^\]]*\]\]", "", line)
        for warning in lint_line(prose):
            problems.append(Problem(f"docs/{rel}", n, warning, "see docs/about/style-guide.md (S-8, S-10)"))
    return problems
