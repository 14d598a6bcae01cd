"""Small corrections to the HTML of every page, so that each page passes the W3C Nu HTML checker and
axe-core (tests/test_checkers.py):

- tables: each content table sits in a labelled region that a keyboard can reach and scroll
  (`label_tables`, on the page content);
- Material's own markup (`fix_material`, on the whole page): three errors the checker reports, and the
  search dialog's missing name. What is left of Material's markup, and why, is in STAYS.

And generated HTML kept out of Markdown (`defer`, `restore`).
"""

from __future__ import annotations

import html as htmllib
import itertools
import re

TEXT = {
    "zh": {"table": "表格：{}", "table_alone": "表格", "search": "站内搜索"},
    "en": {"table": "Table: {}", "table_alone": "Table", "search": "Search this site"},
}

# Material's markup that stays as it is, with the reason; the checker test allows exactly these.
STAYS = {
    "autocomplete on checkboxes": (
        "Material's drawer and search toggles are checkboxes with autocomplete=\"off\", which the HTML "
        "standard does not allow on a checkbox. Firefox uses it to not restore a toggle's state when "
        "the reader goes back, which would leave the menu or the search open; removing it would bring "
        "that back, so it stays."),
}

_HEADING_OR_TABLE_RE = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>|<table>", re.S)
_TAG_RE = re.compile(r"<[^>]+>")
_HEADERLINK_RE = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)


def _plain(fragment: str) -> str:
    return " ".join(htmllib.unescape(_TAG_RE.sub("", _HEADERLINK_RE.sub("", fragment))).split())


def label_tables(content: str, lang: str, title: str = "") -> str:
    """Wrap each plain `<table>` (a Markdown table) in `<div class="guide-table" role="region"
    tabindex="0" aria-label="表格：<heading above it>">`. Wide tables scroll inside this wrapper
    (guide.css), so a keyboard reaches them; Material's own wrapper, added by its script inside ours,
    no longer scrolls."""
    text = TEXT[lang]
    out, pos, heading = [], 0, _plain(title)
    for m in _HEADING_OR_TABLE_RE.finditer(content):
        if m.start() < pos:
            continue
        if m.group(1):
            heading = _plain(m.group(2))
            continue
        end = content.find("</table>", m.end())
        if end < 0:
            break
        end += len("</table>")
        label = text["table"].format(heading) if heading else text["table_alone"]
        out += [content[pos:m.start()],
                f'<div class="guide-table" role="region" tabindex="0" aria-label="{htmllib.escape(label)}">',
                content[m.start():end], "</div>"]
        pos = end
    out.append(content[pos:])
    return "".join(out)


_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_TOC_LABEL = '<label class="md-nav__title" for="__toc">'


def fix_material(output: str, lang: str) -> str:
    """Material 9's markup, corrected where a string replacement does it cleanly:

    - `tabindex=""` on navigation section labels: not a number. Made "-1": still out of the Tab
      order, as Material means it, and still matched by Material's script (`label[tabindex]`), which
      keeps the section's aria-expanded in step when a reader opens it on a phone;
    - the table of contents' `<label for="__toc">` on pages whose navigation has no `__toc` toggle
      (pages outside the navigation, section index pages): the `for` points nowhere; removed;
    - the search dialog has no accessible name (axe `aria-dialog-name`): named in the page's language.
    """
    output = output.replace(' tabindex=""', ' tabindex="-1"')
    if 'id="__toc"' not in output:
        output = output.replace(_TOC_LABEL, '<label class="md-nav__title">')
    return output.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + f' aria-label="{TEXT[lang]["search"]}">', 1)


# --------------------------------------------------------------------------- HTML kept out of Markdown

_deferred: dict[str, str] = {}
_keys = itertools.count()
# a token of two private-use characters around a number: text to Markdown, which leaves it alone, at the
# start of a line too (where an HTML comment would start a block of raw HTML and lose the paragraph)
_DEFERRED_RE = re.compile("<p>\ue000(\\d+)\ue001</p>|\ue000(\\d+)\ue001")


def defer(fragment: str) -> str:
    """What a hook writes into a page's Markdown in place of finished HTML (a citation's link, a
    planner's form, the quoted articles, a tag opening or closing a block of Markdown): a short token,
    within a line, or on a line of its own with blank lines around it for a block. Markdown would copy
    the HTML too, but only after reading it: the citations' tooltips alone were a fifth of all the
    Markdown of the site. restore() puts the HTML back."""
    key = str(next(_keys))
    _deferred[key] = fragment
    return f"\ue000{key}\ue001"


def discard() -> None:
    """Forget what a build that stopped part-way deferred (mkdocs serve builds again in the same process)."""
    _deferred.clear()


def restore(content: str) -> str:
    """The page's HTML with the deferred HTML back in place. ValueError if some of it was lost."""
    content = _DEFERRED_RE.sub(lambda m: _deferred.pop(m.group(1) or m.group(2), m.group(0)), content)
    lost = len(_deferred)
    _deferred.clear()
    if lost or "\ue000" in content:
        raise ValueError(f"{lost or 'some'} piece(s) of generated HTML did not come through Markdown")
    return content
