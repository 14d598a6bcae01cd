"""The 2020 notice: one text file is the single source of its wording.

`docs/notice/notice-2020.txt` is a byte-for-byte copy of the notice as received
(tests compare it with ../shared/seed/notice-2020.txt). Everything else the
site says about the notice's structure — the five sections, the thirteen items,
their titles and wording — is parsed from it here, so it cannot drift.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from guide import sources

from guide.numerals import cn_to_int, int_to_cn

SECTION_RE = re.compile(r"^([一二三四五])、(.+)$")
ITEM_RE = re.compile(r"^（([一二三四五六七八九十]{1,3})）\s*(.+)$")


def compact(text: str) -> str:
    """Drop the stray spaces the notice has around Chinese quotes and numbers."""
    return re.sub(r"\s+", "", text)


@dataclass
class Item:
    number: int          # 1..13
    section: int         # 1..5
    wording: str         # the notice's paragraph, exactly as received
    line: int            # 1-based line in the notice file

    @property
    def label(self) -> str:
        return f"（{int_to_cn(self.number)}）"

    @property
    def title(self) -> str:
        """The item's own heading: its text up to the first full stop."""
        head = ITEM_RE.match(self.wording).group(2).split("。", 1)[0]
        return self.label + compact(head)


@dataclass
class Section:
    number: int
    wording: str
    line: int = 0
    items: list[Item] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{int_to_cn(self.number)}、"


# ------------------------------------------------------------------ the English translation
# docs/notice/notice-2020.en.txt is translated line by line: its section and item lines
# stand on the same line numbers as in the Chinese file ("I. …", "(1) Title. Text…").

EN_SECTION_RE = re.compile(r"^([IVX]+)\. (.+)$")
EN_ITEM_RE = re.compile(r"^\((\d+)\) (.+)$")
ROMAN = ["I", "II", "III", "IV", "V"]


@dataclass
class EnItem(Item):
    @property
    def label(self) -> str:
        return f"({self.number})"

    @property
    def title(self) -> str:
        """The item's own heading: its text up to the first full stop."""
        return f"{self.label} " + EN_ITEM_RE.match(self.wording).group(2).split(". ", 1)[0].rstrip(".")


@dataclass
class EnSection(Section):
    @property
    def label(self) -> str:
        return f"{ROMAN[self.number - 1]}."


@dataclass
class Notice:
    lines: list[str]
    sections: list[Section]

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def item(self, number: int) -> Item:
        return self.items[number - 1]


@lru_cache(maxsize=4)
def load(path: str) -> Notice:
    lines = sources.read(path).splitlines()
    sections: list[Section] = []
    for lineno, raw in enumerate(lines, start=1):
        text = raw.strip()
        if m := SECTION_RE.match(text):
            sections.append(Section(len(sections) + 1, text, lineno))
            if cn_to_int(m.group(1)) != len(sections):
                raise ValueError(f"{path}:{lineno}: section {m.group(1)} out of order")
        elif m := ITEM_RE.match(text):
            number = cn_to_int(m.group(1))
            expected = sum(len(s.items) for s in sections) + 1
            if not sections or number != expected:
                raise ValueError(f"{path}:{lineno}: item （{m.group(1)}） out of order")
            sections[-1].items.append(Item(number, sections[-1].number, text, lineno))
    if len(sections) != 5 or sum(len(s.items) for s in sections) != 13:
        raise ValueError(f"{path}: expected 5 sections and 13 items")
    return Notice(lines, sections)


def load_translation(path: str, zh: Notice) -> Notice:
    """The English notice, checked line by line against the Chinese one."""
    lines = sources.read(path).splitlines()
    if len(lines) < zh.items[-1].line:
        raise ValueError(f"{path}: {len(lines)} lines, but the Chinese notice's last item is on line {zh.items[-1].line}; "
                         f"translate line by line (section and item lines on the same line numbers)")
    sections: list[Section] = []
    for zs in zh.sections:
        text = lines[zs.line - 1].strip()
        m = EN_SECTION_RE.match(text)
        if not m or m.group(1) != ROMAN[zs.number - 1]:
            raise ValueError(f"{path}:{zs.line}: expected section '{ROMAN[zs.number - 1]}. …' "
                             f"(the Chinese line {zs.line} is {zs.wording[:12]}…)")
        section = EnSection(zs.number, text, zs.line)
        for zi in zs.items:
            text = lines[zi.line - 1].strip()
            m = EN_ITEM_RE.match(text)
            if not m or int(m.group(1)) != zi.number:
                raise ValueError(f"{path}:{zi.line}: expected item '({zi.number}) Title. …' "
                                 f"(the Chinese line {zi.line} is {zi.wording[:12]}…)")
            section.items.append(EnItem(zi.number, zs.number, text, zi.line))
        sections.append(section)
    return Notice(lines, sections)


def md_escape(text: str) -> str:
    """Escape text so that Markdown renders it literally."""
    text = html.escape(text, quote=False)
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~^=])", r"\\\1", text)


def render_markdown(notice: Notice, item_links: dict[int, str], link_label: str) -> str:
    """The whole notice as Markdown, one paragraph per line of the original.

    Each item paragraph gets the id `item-N` and is followed by a link to its
    guidance page (`item_links`: item number -> relative .md path). The links
    sit outside the `.notice-text` paragraphs, so the notice's words stay
    exactly as received.
    """
    by_line = {item.line: item for item in notice.items}
    sections = {section.line: section for section in notice.sections}
    out = ['<div class="notice-text" markdown>', ""]
    for lineno, raw in enumerate(notice.lines, start=1):
        if not raw.strip():
            continue
        indent = len(raw) - len(raw.lstrip())
        attrs = ".notice-line"
        if lineno in by_line:
            attrs += f" #item-{by_line[lineno].number}"
        elif indent >= 8:
            attrs += " .notice-sign"
        elif lineno in sections:
            attrs += f" .notice-section #section-{sections[lineno].number}"
        out += [md_escape(raw.strip()), "{: " + attrs + " }", ""]
        if lineno in by_line and by_line[lineno].number in item_links:
            item = by_line[lineno]
            out += [f"[{link_label.format(label=item.label)}]({item_links[item.number]})", "{: .notice-item-link }", ""]
    out += ["</div>", ""]
    return "\n".join(out)
