"""The policy library: regulation texts split into articles with stable ids.

Two directions, one format:

- `parse_plain(text)` reads a regulation as copied from a gazette or website
  (title and history lines, `第一章 …`, `第一条 …`, an optional `附录`) and
  `render_body(doc)` writes it in the site's policy-page format
  (scripts/import_policy.py adds the front matter).
- `parse_page(markdown)` reads a policy page back into articles; the hooks use
  it for citations, so a citation's text always comes from the page itself.

Ids: chapters `ch-N`, sections `ch-N-sec-M`, articles `art-N`, the annex
`annex` and its parts `annex-N`. They are part of published URLs: never renumber.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from guide.numerals import cn_to_int, int_to_cn

NUM = r"[零一二三四五六七八九十百]+"
ARTICLE_RE = re.compile(rf"^第({NUM})条[ \u3000]*(.*)$")
CHAPTER_RE = re.compile(rf"^第({NUM})章[ \u3000]*(.*)$")
SECTION_RE = re.compile(rf"^第({NUM})节[ \u3000]*(.*)$")
ANNEX_RE = re.compile(r"^附\s*录[：:]?\s*$")
ANNEX_PART_RE = re.compile(rf"^({NUM})、(.*)$")
# a decision's points 一、…五、 (before any article), and the annexes of the lawtext layout
POINT_RE = re.compile(rf"^({NUM})、(.*)$")
ANNEXES_RE = re.compile(r"^附件[：:]")               # `### 附件：1. …` opens the list of annexes
ANNEX_NO_RE = re.compile(r"^附件(\d+)[：:]$")         # `附件1:` opens annex 1
# closing punctuation: a paragraph break after anything else falls inside a sentence
SENTENCE_END = tuple("。；：！？…”’）)】」』—:;")


def article_label(number: int) -> str:
    return f"第{int_to_cn(number)}条"


@dataclass
class Article:
    number: int | str            # int for 第N条, "annex-N" for annex parts, "point-N" for a decision's points
    heading: str                 # 第七条 / 一、女职工禁忌从事的劳动范围： / 第一点
    paragraphs: list[str]
    table: list[str] = field(default_factory=list)   # raw Markdown table lines of an annex (lawtext layout)

    @property
    def id(self) -> str:
        return f"art-{self.number}" if isinstance(self.number, int) else str(self.number)

    @property
    def text(self) -> str:
        """The article as it reads in the source (heading and body)."""
        if isinstance(self.number, int):
            first = self.paragraphs[0] if self.paragraphs else ""
            return "\n".join([f"{self.heading} {first}".rstrip(), *self.paragraphs[1:]])
        if self.number.startswith("point-"):      # the paragraph keeps its own 一、
            return "\n".join(self.paragraphs)
        return "\n".join([self.heading, *self.paragraphs])


@dataclass
class Document:
    preamble: list[str] = field(default_factory=list)       # title, adoption and amendment lines
    # chapters, sections, the annex and articles in reading order:
    # ("chapter"|"section"|"annex", id, heading) or ("article", id, Article)
    sequence: list[tuple] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    annex_intro: list[str] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)          # notes on paragraph breaks joined on import

    def has(self, kind: str) -> bool:
        return any(entry[0] == kind for entry in self.sequence)


SOURCE_MARKER = "<!-- ===== 以下为来源原文（逐字，UTF-8）===== -->"


class ImportProblem(ValueError):
    pass


# --------------------------------------------------------------------------- checks

LOOKALIKE_RANGES = [
    (0x2E80, 0x2EFF, "CJK radical supplement"),
    (0x2F00, 0x2FDF, "Kangxi radical"),
    (0xF900, 0xFAFF, "CJK compatibility ideograph"),
    (0xFF10, 0xFF19, "full-width digit"),
    (0xFF21, 0xFF3A, "full-width Latin letter"),
    (0xFF41, 0xFF5A, "full-width Latin letter"),
]
INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00a0", "\u00ad"}
HALF_WIDTH_IN_CJK = re.compile(r"(?<=[\u4e00-\u9fff“”《》）])[,:;!?()](?=[\u4e00-\u9fff“”《（]|$)")


SUSPECT_RE = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high, _ in LOOKALIKE_RANGES)
                        + "".join(sorted(INVISIBLE)) + "]")


def lint_line(text: str) -> list[str]:
    """Warnings for one line: half-width punctuation in Chinese, look-alike or invisible characters."""
    warnings = []
    for m in HALF_WIDTH_IN_CJK.finditer(text):
        warnings.append(f"half-width '{m.group()}' between Chinese characters (column {m.start() + 1}); "
                        f"official texts use full-width punctuation — check against the official text")
    if not SUSPECT_RE.search(text):   # the usual case: nothing to look at character by character
        return warnings
    seen = set()
    for col, ch in enumerate(text, 1):
        if ch in seen:           # one warning per character and line
            continue
        seen.add(ch)
        code = ord(ch)
        if ch in INVISIBLE:
            warnings.append(f"invisible character U+{code:04X} ({unicodedata.name(ch, '?')}) at column {col}")
        for low, high, what in LOOKALIKE_RANGES:
            if low <= code <= high:
                warnings.append(f"look-alike character '{ch}' U+{code:04X} ({what}) at column {col}; "
                                f"use the ordinary character ({unicodedata.normalize('NFKC', ch)})")
    return warnings


def normalize_line(raw: str) -> str:
    """Trim ordinary and full-width spaces at both ends."""
    return raw.strip(" \t\u3000\r\n")


# --------------------------------------------------------------------------- plain text -> document

LAWTEXT_ARTICLE_RE = re.compile(rf"^- \*\*(第{NUM}条)\*\*")


def lawtext_line(line: str) -> str:
    """A line of the lawtext/laws layout in the plain layout: `- **第N条**　　…` → `第N条　　…`,
    `- （一）…` → `（一）…`, `**Title**` → `Title`, `> （题注）` → `（题注）`."""
    line = LAWTEXT_ARTICLE_RE.sub(r"\1", line)
    if line.startswith("- （"):
        line = line[2:]
    if line.startswith("> "):
        line = line[2:]
    if len(line) > 4 and line.startswith("**") and line.endswith("**"):
        line = line[2:-2]
    return line


def parse_plain(text: str, joins: dict[str, list[str]] | None = None) -> tuple[Document, list[str]]:
    """Parse a regulation's plain text. Returns the document and warnings; raises ImportProblem
    on numbering errors (a gap or a repeat of articles, chapters, points or annex parts).

    Two layouts are read: the plain one (`第一条 …` at the start of a line) and the Markdown of
    the lawtext/laws source (`- **第一条**　　…`, a table of contents, `> ` for the history note).
    A paragraph break with no closing punctuation before it is reported as a warning; `joins`
    maps an article id to the words a break splits (e.g. {"art-37": ["劳动定额"]}), and only
    those breaks are joined, each recorded in `Document.joined` for the page's doubts."""
    doc = Document()
    warnings: list[str] = []
    if not isinstance(joins or {}, dict) or not all(isinstance(v, list) for v in (joins or {}).values()):
        raise ImportProblem(f"joins {joins!r}: write it as {{art-37: [劳动定额]}} (article id: list of words)")
    joins = {k: list(v) for k, v in (joins or {}).items()}
    if SOURCE_MARKER in text:                 # a reference file: only the part below its marker line
        text = text.split(SOURCE_MARKER, 1)[1].split("\n", 1)[1]
    lines = text.splitlines()
    if "<!-- INFO END -->" in text:           # reference files of ../shared/policies
        head, _, _ = text.partition("<!-- INFO END -->")
        doc.preamble = [normalize_line(l.lstrip("#")) for l in head.splitlines()
                        if normalize_line(l.lstrip("#")) and not l.startswith("<!--")]
        start = text[: text.index("<!-- INFO END -->")].count("\n") + 1
    else:
        start = 0
    chapter_no = section_no = 0
    current: Article | None = None
    in_annex = in_toc = False
    expected_article = 1
    points = 0
    blank_before = False
    for lineno, raw in enumerate(lines[start:], start=start + 1):
        line = lawtext_line(normalize_line(raw))
        plain = line.lstrip("#").strip() if line.startswith("#") else line
        if not plain:
            blank_before = True
            continue
        if plain.startswith("<!--"):
            continue
        if re.sub(r"[ \u3000]", "", plain) == "目录":      # a table of contents: up to the next `---`
            in_toc = True
            continue
        if plain == "---":
            in_toc = False
            continue
        if in_toc:
            continue
        warnings += [f"line {lineno}: {w}" for w in lint_line(plain)]
        if plain.startswith("|"):                 # an annex table (lawtext layout): kept raw
            if current is None or not str(current.number).startswith("annex-"):
                raise ImportProblem(f"line {lineno}: a table outside any annex")
            current.table.append(plain)
            continue
        if m := CHAPTER_RE.match(plain):
            n = cn_to_int(m.group(1))
            if n != chapter_no + 1:
                raise ImportProblem(f"line {lineno}: chapter {m.group(1)} follows chapter {chapter_no} (gap or repeat)")
            chapter_no, section_no, current = n, 0, None
            name = re.sub(r"[ \u3000]+", " ", m.group(2)).strip()
            doc.sequence.append(("chapter", f"ch-{n}", f"第{m.group(1)}章 {name}".strip()))
            continue
        if m := SECTION_RE.match(plain):
            n = cn_to_int(m.group(1))
            if n != section_no + 1:
                raise ImportProblem(f"line {lineno}: section {m.group(1)} follows section {section_no} (gap or repeat)")
            section_no, current = n, None
            doc.sequence.append(("section", f"ch-{chapter_no}-sec-{n}", f"第{m.group(1)}节 {m.group(2).strip()}".strip()))
            continue
        if (m := ARTICLE_RE.match(plain)) and not in_annex:
            n = cn_to_int(m.group(1))
            if n != expected_article:
                what = "repeats" if n < expected_article else "skips"
                raise ImportProblem(f"line {lineno}: {m.group(0)[:12]}… {what} the numbering "
                                    f"(expected {article_label(expected_article)})")
            expected_article += 1
            body = m.group(2).strip(" \u3000")
            current = Article(n, f"第{m.group(1)}条", [body] if body else [])
            doc.articles.append(current)
            doc.sequence.append(("article", current.id, current))
            continue
        if not in_annex and doc.preamble and (m := POINT_RE.match(plain)) and \
                not any(isinstance(a.number, int) for a in doc.articles):
            n = cn_to_int(m.group(1))           # a decision's points, before any article
            if n != points + 1:
                raise ImportProblem(f"line {lineno}: point {m.group(1)}、 follows point {points} (gap or repeat)")
            points = n
            if n == 1:
                doc.sequence.append(("part", "decision", "决定正文"))
            current = Article(f"point-{n}", f"第{m.group(1)}点", [plain])
            doc.articles.append(current)
            doc.sequence.append(("article", current.id, current))
            continue
        if ANNEX_RE.match(plain) or ANNEXES_RE.match(plain):
            in_annex, current = True, None
            doc.sequence.append(("annex", "annex", "附录" if ANNEX_RE.match(plain) else "附件"))
            if ANNEXES_RE.match(plain):
                doc.annex_intro.append(re.sub(r"^附件[：:]\s*", "", plain))
            continue
        if in_annex and ((m := ANNEX_NO_RE.match(plain)) or (m := ANNEX_PART_RE.match(plain))):
            # `附件1:` (lawtext layout; the heading 附件1) or `一、…` (an 附录's parts; the line is the heading)
            numbered = m.re is ANNEX_NO_RE
            n = int(m.group(1)) if numbered else cn_to_int(m.group(1))
            if n != sum(str(a.number).startswith("annex-") for a in doc.articles) + 1:
                raise ImportProblem(f"line {lineno}: annex part {m.group(1)} out of order")
            current = Article(f"annex-{n}", f"附件{n}" if numbered else plain, [])
            doc.articles.append(current)
            doc.sequence.append(("article", current.id, current))
            continue
        if current is not None and str(current.number).startswith("point-") and not plain.endswith(SENTENCE_END):
            # an unmarked title after the points: the attached text (e.g. 国务院…办法) begins
            current = None
            doc.sequence.append(("part", "measures", plain))
            blank_before = False
            continue
        if current is not None:
            if current.paragraphs and blank_before and not current.paragraphs[-1].endswith(SENTENCE_END):
                words = [w for w in joins.get(current.id, [])
                         if any(current.paragraphs[-1].endswith(w[:i]) and plain.startswith(w[i:])
                                for i in range(1, len(w)))]
                if words:
                    joins[current.id].remove(words[0])
                    doc.joined.append(f"{current.heading}：来源转录在“……{current.paragraphs[-1][-6:]}”与“{plain[:6]}……”"
                                      f"之间分段，把“{words[0]}”一词拆开，不是条文原有的分段；导入时已接上（导入参数 joins）。")
                    current.paragraphs[-1] += plain
                    blank_before = False
                    continue
                warnings.append(f"line {lineno}: paragraph break inside a sentence in {current.heading} "
                                f"(“…{current.paragraphs[-1][-10:]}” / “{plain[:10]}…”): check the official text; "
                                f"if the break splits a word, list it under joins: {{{current.id}: [the word]}}")
            current.paragraphs.append(plain)
        elif in_annex:
            doc.annex_intro.append(plain)
        elif doc.sequence and doc.sequence[-1][0] in ("part", "para"):
            doc.sequence.append(("para", None, plain))
        elif not doc.articles:
            doc.preamble.append(plain)
        else:
            raise ImportProblem(f"line {lineno}: text outside any article: {plain[:30]}…")
        blank_before = False
    left = {k: v for k, v in joins.items() if v}
    if left:
        raise ImportProblem(f"joins {left}: no paragraph break splits these words; remove them from the metadata")
    if not [a for a in doc.articles if isinstance(a.number, int)]:
        raise ImportProblem("no article (第一条 …) found")
    return doc, warnings


# --------------------------------------------------------------------------- document -> page

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|])")
_MD_LINE_START = re.compile(r"^(\d+)\.(\s)|^([#+\-=>])")


def md_text(text: str) -> str:
    text = _MD_INLINE.sub(r"\\\1", text.replace("&", "&amp;"))
    return _MD_LINE_START.sub(lambda m: f"{m.group(1)}\\.{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", text)


def md_unescape(text: str) -> str:
    return re.sub(r"\\([\\`*_\[\]<>|#+\-=.])", r"\1", text).replace("&amp;", "&")


def render_body(doc: Document, tables=None) -> str:
    """The page body: history lines, then chapters, sections, articles and the annex, with ids.

    `tables(article)` renders an annex's raw table lines (a lossy source needs its tables rebuilt,
    see guide/retirement.py); without it an annex table is an ImportProblem."""
    out: list[str] = ["<!-- guide:policy-header -->", ""]
    if doc.preamble:
        out += ["## 题注 {#preamble}", ""]
        for line in doc.preamble:
            out += [md_text(line), ""]
    if not doc.has("chapter") and not doc.has("part"):
        out += ["## 正文 {#text}", ""]        # no chapters: keep articles out of the 题注 section
    in_section = False           # articles sit one level below the heading they follow: h2 > h3 > h4
    for kind, ident, what in doc.sequence:
        if kind == "para":
            out += [md_text(what), ""]
        elif kind == "article":
            level = "####" if in_section and isinstance(what.number, int) else "###"
            out += [f"{level} {md_text(what.heading)} {{#{ident}}}", ""]
            out += [line for para in what.paragraphs for line in (md_text(para), "")]
            if what.table:
                if tables is None:
                    raise ImportProblem(f"{what.heading}: a table that this importer cannot check; "
                                        f"add a table renderer for it (see guide/retirement.py)")
                out += [tables(what), ""]
        else:
            in_section = kind == "section"
            level = "###" if in_section else "##"
            out += [f"{level} {md_text(what)} {{#{ident}}}", ""]
            if kind == "annex":
                out += [line for para in doc.annex_intro for line in (md_text(para), "")]
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- page -> articles

HEADING_RE = re.compile(r"^(#{2,4}) (.+?) \{#([a-z0-9-]+)\}$")


def parse_page(markdown: str) -> dict[str, Article]:
    """Articles of a policy page, by id (art-N, annex-N), with their text as on the page."""
    articles: dict[str, Article] = {}
    current: Article | None = None
    for line in markdown.splitlines():
        if m := HEADING_RE.match(line):
            heading, ident = md_unescape(m.group(2)), m.group(3)
            if ident.startswith("art-") or re.fullmatch(r"(annex|point)-\d+", ident):
                number = int(ident[4:]) if ident.startswith("art-") else ident
                current = Article(number, heading, [])
                articles[ident] = current
            else:
                current = None
            continue
        if line.startswith("#") or line.startswith("<!--"):
            current = None
            continue
        if current is not None and line.strip() and not line.startswith(("|", "{:", "!!!", "???", "    ")):
            current.paragraphs.append(md_unescape(line.strip()))   # tables and notes are not the text
    return articles
