"""MkDocs hooks for 女职工工作指南 (registered in mkdocs.yml under `hooks:`).

This file only wires MkDocs events to the small modules in scripts/guide/:

- content_model: front matter of every page is validated before anything is
  rendered; any problem stops the build with `file:line`, the field and a hint.
- notice: the notice text is the one source of the 13 items' titles and wording;
  item pages get their heading and the notice's wording from it, and the
  notice page is rendered from it verbatim with links to the item pages
  (in English from its line-by-line translation, notice-2020.en.txt).
- translation: every page has an English page of the same structure, in the
  glossary's words; English policy pages are unofficial translations.
- markers: a line `<!-- guide:NAME -->` in a page is replaced by generated
  Markdown (see MARKERS); an unknown marker fails the build.
- policies / citations: `[[gwy-619:7]]` links with the article's exact text,
  quoted articles at the end of a page, backlinks under each article.
- skeleton: the item-page skeleton, cited legal numbers, typography, raw HTML.
- templates: each form wrapped for print and written as a .docx.
- search_chars: page keywords and single characters added to the search index.
- pdf: the whole guide as one PDF per language (GUIDE_PDF=0 skips them, =zh or =en builds one).
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

from guide import citations, content_model, notice as notice_mod, pdf, planner, search_chars, skeleton, templates, translation

NOTICE_FILE = "notice/notice-2020.txt"
NOTICE_EN_FILE = "notice/notice-2020.en.txt"   # its English translation, line by line
MARKER_RE = re.compile(r"^<!-- guide:([a-z-]+) -->$", re.M)

TEXT = {
    "zh": {
        "download": "下载 Word 文件（.docx）",
        "print": "打印本表",
        "keywords": "相关说法",
        "wording": "通知原文",
        "item_link": "→ 查看第{label}项工作指南",
        "list_sep": "、",
        "colon": "：",
    },
    "en": {
        "download": "Download as Word (.docx)",
        "print": "Print this form",
        "keywords": "Also searched as",
        "wording": "Wording of the notice",
        "item_link": "→ Guidance for item {label}",
        "list_sep": ", ",
        "colon": ": ",
    },
}


class State:
    """What the hooks learn about the site in one build (the Chinese build and the nested English one)."""

    docs_dir: Path
    notices: dict[str, notice_mod.Notice] = {}   # "zh" (the original) and "en" (its translation)
    pages: dict[str, dict] = {}
    item_pages: dict[int, str] = {}     # item number -> src path of the zh page
    library: citations.Library = citations.Library()
    rules: planner.Rules = planner.Rules()   # docs/tools/planner.yml, the planners' rules
    titles: dict[str, dict[str, str]] = {}   # language -> zh src path -> page title, for backlinks
    forms: dict[tuple[str, str], tuple[str, str]] = {}   # (template id, language) -> (title, form HTML)
    keywords: dict[str, list[str]] = {}      # page URL -> front-matter keywords, for the search index
    articles: dict[str, dict[str, str]] = {"zh": {}, "en": {}}   # language -> page URL -> article HTML, for the PDFs
    nav: dict[str, list] = {}                # language -> navigation, for the PDFs
    site_names: dict[str, str] = {}

    @property
    def notice(self) -> notice_mod.Notice:
        return self.notices["zh"]


state = State()


# --------------------------------------------------------------------------- config

def on_config(config):
    state.docs_dir = Path(config.docs_dir)
    if not _building_translation(config):
        state.site_names = {"zh": config.site_name}
        for language in config.plugins["i18n"].config.languages if "i18n" in config.plugins else []:
            state.site_names.setdefault(language.locale, language.site_name or config.site_name)
        state.articles = {"zh": {}, "en": {}}
        state.forms = {}
    try:
        state.notices = {"zh": notice_mod.load(str(state.docs_dir / NOTICE_FILE))}
    except (OSError, ValueError) as err:
        raise PluginError(f"docs/{NOTICE_FILE}: cannot read the notice: {err}\n"
                          f"    → restore it from ../shared/seed/notice-2020.txt")
    try:
        state.notices["en"] = notice_mod.load_translation(str(state.docs_dir / NOTICE_EN_FILE), state.notice)
    except (OSError, ValueError) as err:
        raise PluginError(f"docs/{NOTICE_EN_FILE}: cannot read the English notice: {err}\n"
                          f"    → keep each section and item line on the line number it has in docs/{NOTICE_FILE}")
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
        state.rules, rule_problems = planner.load(state.docs_dir)
        problems += rule_problems or planner.check_citations(state.rules, state.library)
        problems += planner.check_pages(state.docs_dir, pages)
        planner.backlinks(state.rules, state.library)
        problems += _content_checks(pages)
        problems += _translation_checks(pages)
        problems += state.library.translation_problems(state.docs_dir)
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
    state.titles = {lang: {} for lang in ("zh", "en")}
    for rel, data in pages.items():
        lang = "en" if rel.endswith(".en.md") else "zh"
        title = state.notices[lang].item(data["item"]).title if data["kind"] == "item" else data.get("title", rel)
        state.titles[lang][rel.replace(".en.md", ".md")] = title
    return files


def _translation_checks(pages: dict[str, dict]) -> list[content_model.Problem]:
    """Every page has an English page of the same structure (guide/translation.py), in glossary English."""
    problems = []
    for rel in sorted(pages):
        if rel.endswith(".en.md"):
            text = (state.docs_dir / rel).read_text(encoding="utf-8")
            problems += translation.glossary_problems(rel, text)
            continue
        en = rel[:-3] + ".en.md"
        if en not in pages:
            problems.append(content_model.Problem(
                f"docs/{rel}", None, f"no English page docs/{en}",
                "translate the page into docs/" + en + " (same headings, citations and template links); "
                "every page exists in both languages"))
            continue
        problems += translation.parity(rel, (state.docs_dir / rel).read_text(encoding="utf-8"),
                                       en, (state.docs_dir / en).read_text(encoding="utf-8"), pages[rel], pages[en])
    return problems


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
            problems += skeleton.check_typography(rel, text)   # English pages: look-alike and invisible characters
        problems += skeleton.check_raw_html(rel, text)
        for m in MARKER_RE.finditer(text):
            if m.group(1) not in MARKERS:
                problems.append(content_model.Problem(
                    f"docs/{rel}", text[: m.start()].count("\n") + 1, f"unknown marker 'guide:{m.group(1)}'",
                    f"use one of {sorted(MARKERS)}"))
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
    return notice_mod.render_markdown(state.notices[lang], links, TEXT[lang]["item_link"])


def _marker_items(page, lang):
    """The five sections and thirteen items, linked, in the notice's order."""
    out = []
    for section in state.notices[lang].sections:
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


POLICY_HEADER = {
    "zh": {"rows": ("全称", "制定机关", "文号", "通过日期", "公布日期", "施行日期", "版本", "效力状态", "2020年时", "来源"),
           "head": "| 项目 | 内容 |", "facts": ("以官方公布文本为准",
                    "本站没有这部规定的官方全文。本页只概述已经核实的事实，不是条文原文，不能按条引用。"),
           "quotes": "下面单独列出的转引条文除外：它们来自二手来源，每条都注明了核实等级和待核对的说明，引用时这些说明随条文一起显示。",
           "status": "效力说明：{}", "supersedes": "本文本取代了旧版本", "superseded_by": "本文本已被新版本取代",
           "other": "{label}：{version}（{validity}）", "newer": "本站未收录的新版本", "doubts": "核对说明"},
    "en": {"rows": ("Title", "Issued by", "Document number", "Adopted", "Promulgated", "Effective", "Version",
                    "Status", "In 2020", "Source"),
           "head": "| Field | Details |", "facts": ("The officially published text prevails",
                    "The site does not hold the official text of this rule. This page only summarises verified "
                    "facts; it is not the wording of the rule and cannot be cited by article."),
           "quotes": " The exception is the articles quoted separately below: they come from a second-hand source, each "
                     "with its verification level and a caveat, and the caveat is shown wherever the article is cited.",
           "status": "Status: {}", "supersedes": "This text replaced an older version",
           "superseded_by": "This text has been replaced by a newer version",
           "other": "{label}: {version} ({validity})", "newer": "A newer version the library does not hold",
           "doubts": "Notes on checking the text"},
}


def _marker_policy_header(page, lang):
    """The consistent header of a policy page, from its front matter (the English page's own,
    translated front matter in English), and on English pages the note that it is a translation."""
    meta, lib, text = page.meta, state.library, POLICY_HEADER[lang]
    validity = lambda m: translation.glossary()["validity"][m["validity"]] if lang == "en" else m["validity"]
    values = (meta["title"], meta["issuer"], meta["number"], meta["adopted"], meta["promulgated"], meta["effective"],
              meta["version"], f'<span class="guide-status" data-status="{meta["validity"]}">{validity(meta)}</span>',
              meta.get("applied_2020", "—"), meta["source"])
    out = ['<div class="guide-policy-header" markdown>', ""]
    if lang == "en":
        pending = [a for a in lib.policies[meta["policy"]].en_articles.values() if translation.untranslated(a.paragraphs)]
        out += ['!!! warning "Unofficial translation"', "",
                "    This is the site's own English translation, for understanding only. Only the Chinese text is "
                f'authoritative: read it on the <a href="{_other_language_url(page, "zh")}" hreflang="zh-Hans">'
                "Chinese page</a>."
                + (f" {len(pending)} articles are not yet translated and are shown in Chinese." if pending else ""), ""]
    out += [text["head"], "| --- | --- |"] + [f"| {k} | {v} |" for k, v in zip(text["rows"], values)] + [""]
    if meta.get("text") == "facts":
        note = text["facts"][1] + (text["quotes"] if meta.get("quotes") else "")
        out += [f'!!! danger "{text["facts"][0]}"', "", f"    {note}", ""]
    if meta.get("validity_note"):
        kind = "success" if meta["validity"] == "现行有效" else "warning"
        out += [f'!!! {kind} "{text["status"].format(validity(meta))}"', "", f"    {meta['validity_note']}", ""]
    for key in ("supersedes", "superseded_by"):
        if other := lib.policies.get(meta.get(key, "")):
            other_meta = other.en_meta if lang == "en" and other.en_meta else other.meta
            link = text["other"].format(label=other.label_in(lang), version=other_meta["version"],
                                        validity=validity(other.meta))
            out += [f'!!! info "{text[key]}"', "", f"    [{link}]({_rel(page.file.src_uri, other.src)})", ""]
    if meta.get("newer_version"):
        out += [f'!!! warning "{text["newer"]}"', "", f"    {meta['newer_version']}", ""]
    if meta.get("doubts"):
        out += [f'??? note "{text["doubts"]}"', ""] + [f"    - {d}" for d in meta["doubts"]] + [""]
    out += ["</div>", ""]
    return "\n".join(out)


def _other_language_url(page, lang: str) -> str:
    """URL of this page in the other language, relative to this page, for a raw <a> (MkDocs only
    resolves links to .md files, and x.md means the English page inside the English build)."""
    url = page.url[3:] if page.url.startswith("en/") else page.url
    target = url if lang == "zh" else "en/" + url
    rel = posixpath.relpath(target or ".", _page_dir(page))
    if page.url.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel


def _marker_policy_index(page, lang):
    """All policies with status and dates, and the work items that rely on each."""
    lib = state.library
    en = lang == "en"
    head = ("| Policy | Version | Status | Effective | Work items relying on it |" if en
            else "| 规定 | 版本 | 效力状态 | 施行日期 | 依据它的工作要点 |")
    out = [head, "| --- | --- | --- | --- | --- |"]
    order = sorted(lib.policies.values(), key=lambda p: (p.meta["validity"] != "现行有效", p.id))
    for pol in order:
        meta = pol.en_meta if en else pol.meta
        items = sorted({state.pages[src]["item"] for (pid, _), srcs in lib.backlinks.items() if pid == pol.id
                        for src in srcs if state.pages[src].get("kind") == "item"})
        used = TEXT[lang]["list_sep"].join(
            f"[{state.notices[lang].item(n).label}]({_rel(page.file.src_uri, state.item_pages[n])})" for n in items) or "—"
        text = "" if pol.meta.get("text") == "full" else (" (verified facts only)" if en else "（仅事实概述）")
        validity = translation.glossary()["validity"][pol.meta["validity"]] if en else pol.meta["validity"]
        out.append(f"| [{meta['title']}]({_rel(page.file.src_uri, pol.src)}){text} | {meta['version']} "
                   f"| {validity} | {meta['effective']} | {used} |")
    return "\n".join(out)


def _marker_templates(page, lang):
    """The templates index: by work item, then by kind of document."""
    en = lang == "en"
    tpls = sorted((data for rel, data in state.pages.items()
                   if data["kind"] == "template" and rel.endswith(".en.md") == en),
                  key=lambda d: d["template_id"])
    link = lambda d: f"[{d['title']}]({_rel(page.file.src_uri, 'templates/' + d['template_id'] + '.md')})"
    sep = TEXT[lang]["list_sep"]
    out = ["## By work item {#by-item}" if en else "## 按工作要点 {#by-item}", "",
           "| Work item | Templates |" if en else "| 工作要点 | 模板 |", "| --- | --- |"]
    for item in state.notices[lang].items:
        used = [d for d in tpls if item.number in d["items"]]
        out.append(f"| [{notice_mod.md_escape(item.title)}]({_rel(page.file.src_uri, state.item_pages[item.number])}) "
                   f"| {sep.join(link(d) for d in used) or '—'} |")
    out += ["", "## By kind of document {#by-kind}" if en else "## 按文书种类 {#by-kind}", ""]
    for form in content_model.FORMS:
        used = [d for d in tpls if d["form"] == form]
        if used:
            name = translation.glossary()["forms"][form] if en else form
            out.append(f"- **{name}**{TEXT[lang]['colon']}{sep.join(link(d) for d in used)}")
    return "\n".join(out)


def _marker_glossary(page, lang):
    """The glossary of fixed translations (scripts/guide/glossary.yml)."""
    head = "| Chinese | English | Note |" if lang == "en" else "| 中文 | 英文 | 说明 |"
    out = [head, "| --- | --- | --- |"]
    for term in translation.glossary()["terms"]:
        note = term.get("note", "")
        if term.get("avoid"):
            note = (note + " " if note else "") + ("Not: " if lang == "en" else "不用：") + ", ".join(term["avoid"])
        out.append(f"| {term['zh']} | {term['en']} | {note or '—'} |")
    return "\n".join(out)


def _marker_planner(page, lang):
    """A planner's form, result area and rules (guide/planner.py)."""
    return planner.page_markdown(page.meta["planner"], state.rules, lang)


def _marker_planner_basis(page, lang):
    """A planner's rules with their figures and citations (guide/planner.py)."""
    return planner.basis_markdown(page.meta["planner"], state.rules, state.library, lang)


MARKERS = {
    "templates": _marker_templates,
    "planner": _marker_planner,
    "planner-basis": _marker_planner_basis,
    "policy-header": _marker_policy_header,
    "policy-index": _marker_policy_index,
    "notice": _marker_notice,
    "items": _marker_items,
    "content-model": _marker_content_model,
    "glossary": _marker_glossary,
}


def _item_header(page, data, lang) -> str:
    item = state.notices[lang].item(data["item"])
    wording = notice_mod.md_escape(item.wording)
    return (f"# {notice_mod.md_escape(item.title)} {{#item-{item.number}}}\n\n"
            f'!!! quote "{TEXT[lang]["wording"]}"\n\n    {wording}\n\n')


# Search weight by kind of page, unless the page sets `search: {boost: …}` itself:
# members' questions should land on explanations before law texts and forms.
SEARCH_BOOST = {"item": 2.0, "template": 1.0, "policy": 0.5, "page": 1.0, "home": 1.0, "notice": 0.5}


def on_page_markdown(markdown, page, config, files):
    lang = _lang(page)
    data = page.meta
    if "boost" not in (data.get("search") or {}) and data.get("kind") in SEARCH_BOOST:
        data["search"] = {**(data.get("search") or {}), "boost": SEARCH_BOOST[data["kind"]]}
    if data.get("kind") == "policy" and data.get("validity") in citations.PAST:
        # a superseded text is history: linked from its successor and the changes page, but a member's
        # search must land on the rule in force, not on the 2018 or 2009 wording
        data["search"] = {**data["search"], "exclude": True}
    if data.get("kind") == "item":
        markdown = _item_header(page, data, lang) + markdown

    def replace(m: re.Match) -> str:
        name = m.group(1)
        if name not in MARKERS:
            line = markdown[: m.start()].count("\n") + 1
            raise PluginError(f"docs/{page.file.src_uri}: unknown marker 'guide:{name}' (line {line} of the page body)\n"
                              f"    → use one of {sorted(MARKERS)}")
        return MARKERS[name](page, lang)

    if data.get("kind") == "policy":
        # a policy's page title names its version: two versions of one law share a full title
        label = state.library.policies[data["policy"]].label_in(lang)
        page.meta["title"] = label if lang == "en" else label.strip("《》").replace("》（", "（")
    markdown = MARKER_RE.sub(replace, markdown)
    markdown, quoted = state.library.render(markdown, page.file.src_uri, lang)
    if data.get("kind") == "policy":
        markdown = _with_backlinks(markdown, page, lang)
    if data.get("kind") == "template":
        href = posixpath.relpath(templates.docx_path(data["template_id"], lang), _page_dir(page))
        markdown = templates.wrap_form(markdown, href, TEXT[lang])
    if data.get("keywords"):
        state.keywords[page.url] = data["keywords"]
        markdown += (f"\n\n{TEXT[lang]['keywords']}{TEXT[lang]['colon']}{TEXT[lang]['list_sep'].join(data['keywords'])}"
                     f"\n{{: .guide-keywords }}\n")
    return markdown + quoted


def on_page_content(html, page, config, files):
    if _lang(page) == "en":   # toc's permalink title is one setting for both languages
        html = html.replace('title="本段链接"', 'title="Permanent link"')
    if page.meta.get("kind") == "template":
        state.forms[(page.meta["template_id"], _lang(page))] = (page.meta["title"], templates.form_html(html))
    return html


def on_nav(nav, config, files):
    state.nav["en" if _building_translation(config) else "zh"] = nav.items
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
    for (template_id, lang), (title, html) in state.forms.items():
        templates.write_docx(Path(config.site_dir), cache / "docx", template_id, title, html, lang)
    _dedupe_kept_search_index(config)
    index = Path(config.site_dir) / "search/search_index.json"
    if index.exists():
        search_chars.enrich(index, state.keywords, cache)
        inline = index.with_suffix(".js")       # the offline plugin's copy for file://
        if inline.exists():
            inline.write_text("var __index = " + index.read_text(encoding="utf-8"), encoding="utf-8")
    if os.environ.get("GUIDE_PDF", "1") == "0":
        return  # the PDF is switched off (docs.py live)
    wanted = os.environ.get("GUIDE_PDF", "1")    # "1": both languages; "zh" or "en": that one only
    for lang, cover in PDF_COVERS.items():
        if wanted not in ("1", lang):
            continue
        out = Path(config.site_dir) / PDF_FILES[lang]
        document = pdf.build_html(_pdf_nav(state.nav.get(lang, []), lang), state.articles[lang], {
            "lang": lang, "title": state.site_names.get(lang, state.site_names["zh"]), **cover, "date": pdf.today_label(lang)})
        try:
            pdf.render(document, out, cache / "pdf")
        except pdf.PdfError as err:
            raise PluginError(f"PDF ({PDF_FILES[lang]}): {err}") from err


def _dedupe_kept_search_index(config) -> None:
    """Under `mkdocs serve --dirty`, Material's search keeps the last index to merge the next
    rebuild into, and mkdocs-static-i18n puts both languages' entries into it: each rebuild
    doubled the index (17 s by the third rebuild). Keep one entry per location, the newest."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    for index in (getattr(search, "search_index", None), getattr(search, "search_index_prev", None)):
        entries = getattr(index, "entries", None)
        if entries:
            newest = {entry["location"]: entry for entry in entries}
            if len(newest) < len(entries):
                index.entries = list(newest.values())


PDF_FILES = {"zh": "downloads/guide-zh.pdf", "en": "downloads/guide-en.pdf"}
PDF_COVERS = {
    "zh": {"subtitle": "焦作市教科文卫体工会2020年女职工工作要点实务指南",
           "issuer": "焦作市教科文卫体工会女职工委员会"},
    "en": {"subtitle": "A practical guide to the 2020 work plan for women workers of the Jiaozuo Education, "
                       "Science, Culture, Health and Sports Trade Union",
           "issuer": "Women Workers' Committee of the Jiaozuo Education, Science, Culture, Health and Sports "
                     "Trade Union · unofficial English edition: only the Chinese text is authoritative"},
}


def _pdf_nav(items, lang: str) -> list[pdf.Node]:
    """The navigation as PDF parts; the templates follow the templates index."""
    nodes = []
    prefix = "en/" if lang == "en" else ""
    for item in items:
        if item.is_section:
            nodes.append(pdf.Node(item.title, None, _pdf_nav(item.children, lang)))
        elif item.is_page:
            node = pdf.Node(item.title or item.url, item.url)
            if item.url == prefix + "templates/":
                tpls = sorted((d for r, d in state.pages.items()
                               if d["kind"] == "template" and r.endswith(".en.md") == (lang == "en")),
                              key=lambda d: (min(d["items"]), d["template_id"]))
                node.children = [pdf.Node(d["title"], f"{prefix}templates/{d['template_id']}/") for d in tpls]
            nodes.append(node)
    return nodes


def _with_backlinks(markdown: str, page, lang: str) -> str:
    """After each article of a policy page, list the guidance pages that cite it. On an English
    page, an article still in Chinese says so and is marked as Chinese text."""
    pol = state.library.policies.get(page.meta["policy"])
    if pol is None:
        return markdown
    out: list[str] = []
    current = None
    pending = {ident for ident, art in pol.en_articles.items() if translation.untranslated(art.paragraphs)} \
        if lang == "en" else set()
    for line in markdown.splitlines():
        if line.startswith("#"):
            if current:
                out.append(state.library.backlink_markdown(pol, current, page.file.src_uri, state.titles[lang], lang))
            m = re.search(r"\{#((?:art|annex|point)-[0-9]+)\}$", line)
            current = m.group(1) if m else None
            out.append(line)
            if current and pol.quote(current, lang):      # a facts page's quotation: its caveat beside it
                q = pol.quote(current, lang)
                level = citations.level_label(q["level"], lang)
                title = f"Second-hand quotation, {level}" if lang == "en" else f"转引，{level}"
                source = "Source: " if lang == "en" else "来源："
                out += ["", f'!!! warning "{title}"', "", f"    **{q['caveat']}**", "",
                        f"    {source}{q['source']}", ""]
            if current in pending:
                out += ["", "Not yet translated: the Chinese text is shown.", "{: .guide-not-translated }"]
            continue
        if current in pending and line.strip():
            out += [line, '{: lang="zh-Hans" data-search-exclude }']   # the Chinese page indexes it
            continue
        out.append(line)
    if current:
        out.append(state.library.backlink_markdown(pol, current, page.file.src_uri, state.titles[lang], lang))
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


ALTERNATE_LINK_RE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\s*')


def on_post_page(output, page, config):
    """Drop the <link rel="alternate" hreflang> tags from <head>.

    mkdocs-static-i18n points them at each page's translation, and Material then
    fetches `sitemap.xml` beside every such page (a 404 for each, since a site
    has one sitemap). The language selector keeps its per-page links, so
    switching language still lands on the same page.
    """
    if page.meta.get("kind") and os.environ.get("GUIDE_PDF", "1") != "0":
        m = ARTICLE_RE.search(output)
        if m:
            state.articles[_lang(page)][page.url] = m.group(1)
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
