"""MkDocs hooks for 女职工工作指南 (registered in mkdocs.yml under `hooks:`).

This file only wires MkDocs events to the small modules in scripts/guide/:

- content_model: front matter of every page is validated before anything is
  rendered; any problem stops the build with `file:line`, the field and a hint.
- notice: the notice text is the one source of the 13 items' titles and wording;
  item pages get their heading and the notice's wording from it, and the
  notice page is rendered from it verbatim with links to the item pages.
- markers: a line `<!-- guide:NAME -->` in a page is replaced by generated
  Markdown (see MARKERS); an unknown marker fails the build.
- policies / citations: `[[gwy-619:7]]` links with the article's exact text,
  quoted articles at the end of a page, backlinks under each article.
- skeleton: the item-page skeleton, cited legal numbers, typography, raw HTML.
- templates: each form wrapped for print and written as a .docx.
- search_chars: page keywords and single characters added to the search index.
- pdf: the whole guide as one PDF (GUIDE_PDF=0 skips it).
- link hints: MkDocs' own warnings about broken links get the line number and
  what to do, so a strict build names the place to fix.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import posixpath
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from guide import citations, content_model, notice as notice_mod, pdf, search_chars, skeleton, templates

log = logging.getLogger("mkdocs.hooks.guide")

NOTICE_FILE = "notice/notice-2020.txt"
MARKER_RE = re.compile(r"^<!-- guide:([a-z-]+) -->$", re.M)

TEXT = {
    "zh": {
        "download": "下载 Word 文件（.docx）",
        "print": "打印本表",
        "keywords": "相关说法",
        "wording": "通知原文",
        "item_link": "→ 查看第{label}项工作指南",
        "overview_items": "项",
    },
    "en": {
        "download": "Download as Word (.docx)",
        "print": "Print this form",
        "keywords": "Also searched as",
        "wording": "Wording of the notice",
        "item_link": "→ Guidance for item {label}",
        "overview_items": "items",
    },
}


class State:
    """What the hooks learn about the site in one build (one language)."""

    docs_dir: Path
    notice: notice_mod.Notice
    pages: dict[str, dict] = {}
    item_pages: dict[int, str] = {}     # item number -> src path of the zh page
    library: citations.Library = citations.Library()
    titles: dict[str, str] = {}         # src path -> page title, for backlinks
    forms: dict[str, tuple[str, str]] = {}   # template id -> (title, form HTML), from the zh build
    keywords: dict[str, list[str]] = {}      # page URL -> front-matter keywords, for the search index
    articles: dict[str, str] = {}            # page URL -> rendered article HTML, for the PDF (zh)
    nav: list = []                           # the zh navigation, for the PDF
    site_name: str = ""


state = State()


# --------------------------------------------------------------------------- config

def on_config(config):
    state.docs_dir = Path(config.docs_dir)
    if not _building_translation(config):
        state.site_name = config.site_name
    try:
        state.notice = notice_mod.load(str(state.docs_dir / NOTICE_FILE))
    except (OSError, ValueError) as err:
        raise PluginError(f"docs/{NOTICE_FILE}: cannot read the notice: {err}\n"
                          f"    → restore it from ../shared/seed/notice-2020.txt")
    _install_link_hints(state.docs_dir)
    return config


# --------------------------------------------------------------------------- files

@event_priority(50)  # before the i18n plugin rearranges files
def on_files(files, config):
    if _building_translation(config) and state.pages:
        return files   # the English build reads the same sources: checked once, in the Chinese build
    sections = {item.number: item.section for item in state.notice.items}
    pages, problems = content_model.check_tree(state.docs_dir, sections)
    if not problems:
        state.library = citations.Library.load(state.docs_dir, pages)
        problems += state.library.scan(state.docs_dir, pages)
        problems += _content_checks(pages)
    if problems:
        raise PluginError(
            f"{len(problems)} content problem(s); the build stops here and site/ is not replaced:\n"
            + "\n".join(str(p) for p in problems)
        )
    state.pages = pages
    state.item_pages = {
        data["item"]: rel for rel, data in pages.items()
        if data["kind"] == "item" and not rel.endswith(".en.md")
    }
    state.titles = {rel: (state.notice.item(data["item"]).title if data["kind"] == "item" else data.get("title", rel))
                    for rel, data in pages.items()}
    return files


def _content_checks(pages: dict[str, dict]) -> list[content_model.Problem]:
    """Templates' sources, the item skeleton, legal numbers and typography (see guide/skeleton.py)."""
    problems = []
    for rel, data in sorted(pages.items()):
        text = (state.docs_dir / rel).read_text(encoding="utf-8")
        if data["kind"] == "template":
            problems += templates.check_source(rel, text, data)
        if data["kind"] == "item":
            problems += skeleton.check_item(rel, text, data)
        if rel.startswith(skeleton.GUIDANCE_DIRS):
            problems += skeleton.check_legal_numbers(rel, text)
        if data["kind"] not in ("policy", "notice") or data.get("text") == "facts":
            problems += skeleton.check_typography(rel, text)
        problems += skeleton.check_raw_html(rel, text)
    return problems


# --------------------------------------------------------------------------- pages

def _lang(page) -> str:
    return "en" if getattr(page.file, "locale", "zh") == "en" else "zh"


def _page_dir(page) -> str:
    """The folder a page's URL stands in (directory URLs, or .html files in the offline copy)."""
    url = page.url
    return (url.rstrip("/") if url.endswith("/") else posixpath.dirname(url)) or "."


def _rel(from_src: str, to_src: str) -> str:
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


def _marker_notice(page, lang):
    links = {n: _rel(page.file.src_uri, src) for n, src in state.item_pages.items()}
    return notice_mod.render_markdown(state.notice, links, TEXT[lang]["item_link"])


def _marker_items(page, lang):
    """The five sections and thirteen items, linked, in the notice's order."""
    out = []
    for section in state.notice.sections:
        out += [f"### {notice_mod.md_escape(section.wording)} {{#section-{section.number}}}", ""]
        for item in section.items:
            target = _rel(page.file.src_uri, state.item_pages[item.number])
            out.append(f"1. [{notice_mod.md_escape(item.title)}]({target})")
        out.append("")
    return "\n".join(out)


def _marker_content_model(page, lang):
    """The field table of docs/about/content-model.md, generated from the checks."""
    rows = ["| field | required for | allowed for | meaning |", "| --- | --- | --- | --- |"]
    for name, (_, required, allowed, meaning) in content_model.FIELDS.items():
        rows.append(f"| `{name}` | {', '.join(required) or '—'} | {', '.join(allowed)} | {meaning} |")
    return "\n".join(rows)


def _marker_policy_header(page, lang):
    """The consistent header of a policy page, from its front matter."""
    meta = page.meta
    lib = state.library
    rows = [("全称", meta["title"]), ("制定机关", meta["issuer"]), ("文号", meta["number"]),
            ("通过日期", meta["adopted"]), ("公布日期", meta["promulgated"]), ("施行日期", meta["effective"]),
            ("版本", meta["version"]), ("效力状态", f'<span class="guide-status" data-status="{meta["validity"]}">{meta["validity"]}</span>'),
            ("2020年时", meta.get("applied_2020", "—")), ("来源", meta["source"])]
    out = ['<div class="guide-policy-header" markdown>', "", "| 项目 | 内容 |", "| --- | --- |"]
    out += [f"| {k} | {v} |" for k, v in rows]
    out += [""]
    kind = "success" if meta["validity"] == "现行有效" else "warning"
    if meta.get("text") == "facts":
        out += ['!!! danger "以官方公布文本为准"', "",
                "    本站没有这部规定的官方全文。本页只概述已经核实的事实，不是条文原文，不能按条引用。", ""]
    if meta.get("validity_note"):
        out += [f'!!! {kind} "效力说明：{meta["validity"]}"', "", f"    {meta['validity_note']}", ""]
    for key, label in (("supersedes", "本文本取代了旧版本"), ("superseded_by", "本文本已被新版本取代")):
        if other := lib.policies.get(meta.get(key, "")):
            target = _rel(page.file.src_uri, other.src)
            out += [f'!!! info "{label}"', "",
                    f"    [{other.label}：{other.meta['version']}（{other.meta['validity']}）]({target})", ""]
    if meta.get("newer_version"):
        out += ['!!! warning "本站未收录的新版本"', "", f"    {meta['newer_version']}", ""]
    if meta.get("doubts"):
        out += ['??? note "核对说明"', ""] + [f"    - {d}" for d in meta["doubts"]] + [""]
    out += ["</div>", ""]
    return "\n".join(out)


def _marker_policy_index(page, lang):
    """All policies with status and dates, and the work items that rely on each."""
    lib = state.library
    out = ["| 规定 | 版本 | 效力状态 | 施行日期 | 依据它的工作要点 |", "| --- | --- | --- | --- | --- |"]
    order = sorted(lib.policies.values(), key=lambda p: (p.meta["validity"] != "现行有效", p.id))
    for pol in order:
        items = sorted({state.pages[src]["item"] for (pid, _), srcs in lib.backlinks.items() if pid == pol.id
                        for src in srcs if state.pages[src].get("kind") == "item"})
        used = "、".join(f"[{state.notice.item(n).label}]({_rel(page.file.src_uri, state.item_pages[n])})"
                        for n in items) or "—"
        text = "" if pol.meta.get("text") == "full" else "（仅事实概述）"
        out.append(f"| [{pol.meta['title']}]({_rel(page.file.src_uri, pol.src)}){text} | {pol.meta['version']} "
                   f"| {pol.meta['validity']} | {pol.meta['effective']} | {used} |")
    return "\n".join(out)


def _marker_templates(page, lang):
    """The templates index: by work item, then by kind of document."""
    tpls = sorted((data for rel, data in state.pages.items() if data["kind"] == "template" and not rel.endswith(".en.md")),
                  key=lambda d: d["template_id"])
    link = lambda d: f"[{d['title']}]({_rel(page.file.src_uri, 'templates/' + d['template_id'] + '.md')})"
    out = ["## 按工作要点 {#by-item}", "", "| 工作要点 | 模板 |", "| --- | --- |"]
    for item in state.notice.items:
        used = [d for d in tpls if item.number in d["items"]]
        out.append(f"| [{notice_mod.md_escape(item.title)}]({_rel(page.file.src_uri, state.item_pages[item.number])}) "
                   f"| {'、'.join(link(d) for d in used) or '—'} |")
    out += ["", "## 按文书种类 {#by-kind}", ""]
    for form in content_model.FORMS:
        used = [d for d in tpls if d["form"] == form]
        if used:
            out.append(f"- **{form}**：{'、'.join(link(d) for d in used)}")
    return "\n".join(out)


MARKERS = {
    "templates": _marker_templates,
    "policy-header": _marker_policy_header,
    "policy-index": _marker_policy_index,
    "notice": _marker_notice,
    "items": _marker_items,
    "content-model": _marker_content_model,
}


def _item_header(page, data) -> str:
    item = state.notice.item(data["item"])
    wording = notice_mod.md_escape(item.wording)
    return (f"# {notice_mod.md_escape(item.title)} {{#item-{item.number}}}\n\n"
            f'!!! quote "{TEXT["zh"]["wording"]}"\n\n    {wording}\n\n')


# Search weight by kind of page, unless the page sets `search: {boost: …}` itself:
# members' questions should land on explanations before law texts and forms.
SEARCH_BOOST = {"item": 2.0, "template": 1.0, "policy": 0.5, "page": 1.0, "home": 1.0, "notice": 0.5}


def on_page_markdown(markdown, page, config, files):
    lang = _lang(page)
    data = page.meta
    if "boost" not in (data.get("search") or {}) and data.get("kind") in SEARCH_BOOST:
        data["search"] = {**(data.get("search") or {}), "boost": SEARCH_BOOST[data["kind"]]}
    if lang == "zh" and _building_translation(config):
        # an untranslated page in the English build: its Chinese text is indexed once, from the zh build
        data["search"] = {**(data.get("search") or {}), "exclude": True}
    if data.get("kind") == "item" and lang == "zh":
        markdown = _item_header(page, data) + markdown

    def replace(m: re.Match) -> str:
        name = m.group(1)
        if name not in MARKERS:
            line = markdown[: m.start()].count("\n") + 1
            raise PluginError(f"docs/{page.file.src_uri}: unknown marker 'guide:{name}' (line {line} of the page body)\n"
                              f"    → use one of {sorted(MARKERS)}")
        return MARKERS[name](page, lang)

    if data.get("kind") == "policy":
        # a policy's page title names its version: two versions of one law share a full title
        page.meta["title"] = state.library.policies[data["policy"]].label.strip("《》").replace("》（", "（")
    markdown = MARKER_RE.sub(replace, markdown)
    markdown, quoted = state.library.render(markdown, page.file.src_uri)
    if data.get("kind") == "policy":
        markdown = _with_backlinks(markdown, page)
    if data.get("kind") == "template":
        href = posixpath.relpath(templates.docx_path(data["template_id"]), _page_dir(page))
        markdown = templates.wrap_form(markdown, href, TEXT[lang])
    if data.get("keywords"):
        state.keywords[page.url] = data["keywords"]
        markdown += f"\n\n{TEXT[lang]['keywords']}：{'、'.join(data['keywords'])}\n{{: .guide-keywords }}\n"
    return markdown + quoted


def on_page_content(html, page, config, files):
    if page.meta.get("kind") == "template" and not page.url.startswith("en/"):
        state.forms[page.meta["template_id"]] = (page.meta["title"], templates.form_html(html))
    return html


def on_nav(nav, config, files):
    if not _building_translation(config):
        state.nav = nav.items
    return nav


def _building_translation(config) -> bool:
    """True inside the i18n plugin's nested build of a non-default language."""
    i18n = config.plugins.get("i18n")
    return bool(i18n and i18n.current_language not in (None, i18n.default_language))


@event_priority(-200)  # after the i18n plugin has written the final search index
def on_post_build(config):
    """Write each template's .docx (cached in .cache/docx when the form is unchanged), give the
    search index its extra fields (see guide/search_chars.py), and make the PDF of the guide."""
    i18n = config.plugins.get("i18n")
    if i18n and i18n.building:
        return  # inside the nested English build: everything below runs once, at the end
    cache = Path(os.environ.get("GUIDE_CACHE") or Path(config.config_file_path).parent / ".cache")
    for template_id, (title, html) in state.forms.items():
        templates.write_docx(Path(config.site_dir), cache / "docx", template_id, title, html)
    index = Path(config.site_dir) / "search/search_index.json"
    if index.exists():
        search_chars.enrich(index, state.keywords)
        inline = index.with_suffix(".js")       # the offline plugin's copy for file://
        if inline.exists():
            inline.write_text("var __index = " + index.read_text(encoding="utf-8"), encoding="utf-8")
    if os.environ.get("GUIDE_PDF", "1") == "0":
        return  # the PDF is switched off (docs.py live)
    out = Path(config.site_dir) / PDF_FILE
    document = pdf.build_html(_pdf_nav(state.nav), state.articles, {
        "lang": "zh", "title": state.site_name, "subtitle": "焦作市教科文卫体工会2020年女职工工作要点实务指南",
        "issuer": "焦作市教科文卫体工会女职工委员会", "date": pdf.today_label()})
    try:
        pdf.render(document, out, cache / "pdf")
    except pdf.PdfError as err:
        raise PluginError(f"PDF ({PDF_FILE}): {err}") from err


PDF_FILE = "downloads/guide-zh.pdf"


def _pdf_nav(items) -> list[pdf.Node]:
    """The navigation as PDF parts; the templates follow the templates index."""
    nodes = []
    for item in items:
        if item.is_section:
            nodes.append(pdf.Node(item.title, None, _pdf_nav(item.children)))
        elif item.is_page:
            node = pdf.Node(item.title or item.url, item.url)
            if item.url == "templates/":
                tpls = sorted((d for r, d in state.pages.items() if d["kind"] == "template" and not r.endswith(".en.md")),
                              key=lambda d: (min(d["items"]), d["template_id"]))
                node.children = [pdf.Node(d["title"], f"templates/{d['template_id']}/") for d in tpls]
            nodes.append(node)
    return nodes


def _with_backlinks(markdown: str, page) -> str:
    """After each article of a policy page, list the guidance pages that cite it."""
    pol = state.library.policies.get(page.meta["policy"])
    if pol is None:
        return markdown
    out: list[str] = []
    current = None
    for line in markdown.splitlines():
        if line.startswith("#"):
            if current:
                out.append(state.library.backlink_markdown(pol, current, page.file.src_uri, state.titles))
            m = re.search(r"\{#((?:art|annex)-[0-9]+)\}$", line)
            current = m.group(1) if m else None
        out.append(line)
    if current:
        out.append(state.library.backlink_markdown(pol, current, page.file.src_uri, state.titles))
    return "\n".join(out)



def on_page_context(context, page, config, nav):
    reviewed = page.meta.get("reviewed")
    if isinstance(reviewed, dt.date):
        months = int(config.extra.get("review_interval_months", 12))
        year, month = divmod(reviewed.month - 1 + months, 12)
        due = dt.date(reviewed.year + year, month + 1, min(reviewed.day, 28))
        context["review"] = {"reviewed": reviewed.isoformat(), "due": due.isoformat(),
                             "overdue": due < dt.date.today()}
    if page.meta.get("kind") == "item":
        context["work_item"] = state.notice.item(page.meta["item"])
    return context


ALTERNATE_LINK_RE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def on_post_page(output, page, config):
    """Drop the <link rel="alternate" hreflang> tags from <head>.

    mkdocs-static-i18n points them at each page's translation, and Material then
    fetches `sitemap.xml` beside every such page (a 404 for each, since a site
    has one sitemap). The language selector keeps its per-page links, so
    switching language still lands on the same page.
    """
    if not page.url.startswith("en/") and page.meta.get("kind"):
        m = ARTICLE_RE.search(output)
        if m:
            state.articles[page.url] = m.group(1)
    output = SELECTOR_LINK_RE.sub(lambda m: _relative_link(m, page, config), output)
    return ALTERNATE_LINK_RE.sub("", output)


# The language selector of the two home pages keeps the i18n plugin's absolute links
# ("/", "/en/"), which break under a sub-path and from file://: make them relative.
SELECTOR_LINK_RE = re.compile(r'<a href="(/[^"]*)" hreflang="')


def _relative_link(m: re.Match, page, config) -> str:
    target = m.group(1).lstrip("/") + ("" if config.use_directory_urls else "index.html")
    rel = posixpath.relpath(target or ".", _page_dir(page))
    if config.use_directory_urls and not rel.endswith("/"):
        rel += "/"
    return f'<a href="{rel}" hreflang="'


ARTICLE_RE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


# --------------------------------------------------------------------------- link hints

class _LinkHints(logging.Filter):
    """Add the source line and a hint to MkDocs' link warnings."""

    LINK_RE = re.compile(r"Doc file '([^']+)' contains (?:a link|an absolute link|an unrecognized relative link) '([^']*)'")

    def __init__(self, docs_dir: Path):
        super().__init__()
        self.docs_dir = docs_dir

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        m = self.LINK_RE.search(msg)
        if m and "→" not in msg:
            src, target = m.groups()
            line = None
            try:
                for n, text in enumerate((self.docs_dir / src).read_text(encoding="utf-8").splitlines(), 1):
                    if f"({target}" in text or f"]: {target}" in text or f'"{target}"' in text:
                        line = n
                        break
            except OSError:
                pass
            where = f"docs/{src}:{line}" if line else f"docs/{src}"
            record.msg = (f"{msg}\n    at {where} → fix the path (relative to this file, ending in .md), "
                          f"create the missing page, or correct the #anchor (explicit ids: '## 标题 {{#id}}')")
            record.args = ()
        return True


def _install_link_hints(docs_dir: Path) -> None:
    logger = logging.getLogger("mkdocs.structure.pages")
    for f in list(logger.filters):
        if isinstance(f, _LinkHints):
            logger.removeFilter(f)
    logger.addFilter(_LinkHints(docs_dir))
