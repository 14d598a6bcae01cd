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
from pathlib import Path

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
    items: list[Item] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{int_to_cn(self.number)}、"


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
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    sections: list[Section] = []
    for lineno, raw in enumerate(lines, start=1):
        text = raw.strip()
        if m := SECTION_RE.match(text):
            sections.append(Section(len(sections) + 1, text))
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
        elif m := SECTION_RE.match(raw.strip()):
            attrs += f" .notice-section #section-{cn_to_int(m.group(1))}"
        out += [md_escape(raw.strip()), "{: " + attrs + " }", ""]
        if lineno in by_line and by_line[lineno].number in item_links:
            item = by_line[lineno]
            out += [f"[{link_label.format(label=item.label)}]({item_links[item.number]})", "{: .notice-item-link }", ""]
    out += ["</div>", ""]
    return "\n".join(out)
