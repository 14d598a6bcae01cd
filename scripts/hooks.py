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
  Markdown (guide/markers.py: MARKERS); an unknown marker fails the build.
- policies / citations: `[[gwy-619:7]]` links with the article's exact text,
  quoted articles at the end of a page, backlinks under each article.
- skeleton: the item-page skeleton, cited legal numbers, typography, raw HTML.
- templates: each form wrapped for print and written as a .docx.
- search_chars: page keywords and single characters added to the search index.
- pdf: the whole guide as one PDF per language (GUIDE_PDF=0 skips them, =zh or =en builds one).
- markup: corrections for the HTML checkers, and the generated HTML (citations, planner forms,
  quoted articles) that reaches the page after Markdown instead of through it.
- link hints: MkDocs' own warnings about broken links get the line number and
  what to do, so a strict build names the place to fix.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from guide import checks, citations, link_hints, markers, markup, notice as notice_mod, pdf, planner, search_chars, templates

NOTICE_FILE = "notice/notice-2020.txt"
NOTICE_EN_FILE = "notice/notice-2020.en.txt"   # its English translation, line by line
MARKER_RE = checks.MARKER_RE

TEXT = {
    "zh": {
        "download": "下载 Word 文件（.docx）",
        "print": "打印本表",
        "keywords": "相关说法",
        "wording": "通知原文",
        **markers.TEXT["zh"],
    },
    "en": {
        "download": "Download as Word (.docx)",
        "print": "Print this form",
        "keywords": "Also searched as",
        "wording": "Wording of the notice",
        **markers.TEXT["en"],
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
    link_hints.install(state.docs_dir)
    markup.discard()
    return config


# --------------------------------------------------------------------------- files

@event_priority(50)  # before the i18n plugin rearranges files
def on_files(files, config):
    if _building_translation(config) and state.pages:
        return files   # the English build reads the same sources: checked once, in the Chinese build
    sections = {item.number: item.section for item in state.notice.items}
    result = checks.check_site(state.docs_dir, sections, set(markers.MARKERS), _cache_dir(config))
    if result.problems:
        raise PluginError(
            f"发现{len(result.problems)}处内容问题，构建停止，原来的网站保持不变。"
            f"{len(result.problems)} content problem(s); the build stops here and site/ is not replaced:\n"
            + "\n".join(str(p) for p in result.problems)
        )
    pages, state.library, state.rules = result.pages, result.library, result.rules
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


# --------------------------------------------------------------------------- pages

def _item_header(page, data, lang) -> str:
    item = state.notices[lang].item(data["item"])
    wording = notice_mod.md_escape(item.wording)
    return (f"# {notice_mod.md_escape(item.title)} {{#item-{item.number}}}\n\n"
            f'!!! quote "{TEXT[lang]["wording"]}"\n\n    {wording}\n\n')


# Search weight by kind of page, unless the page sets `search: {boost: …}` itself:
# members' questions should land on explanations before law texts and forms.
SEARCH_BOOST = {"item": 2.0, "template": 1.0, "policy": 0.5, "page": 1.0, "home": 1.0, "notice": 0.5}


def on_page_markdown(markdown, page, config, files):
    lang = markers.lang_of(page)
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
        if name not in markers.MARKERS:
            line = markdown[: m.start()].count("\n") + 1
            raise PluginError(f"docs/{page.file.src_uri}: unknown marker 'guide:{name}' (line {line} of the page body)\n"
                              f"    → use one of {sorted(markers.MARKERS)}")
        return markers.MARKERS[name](state, page, lang)

    if data.get("kind") == "policy":
        # a policy's page title names its version: two versions of one law share a full title
        label = state.library.policies[data["policy"]].label_in(lang)
        page.meta["title"] = label if lang == "en" else label.strip("《》").replace("》（", "（")
    markdown = MARKER_RE.sub(replace, markdown)
    markdown, quoted_heading, quotes = state.library.render(
        markdown, lang, lambda src: markers.href(page, _published_url(src, files)), markup.defer)
    if data.get("kind") == "policy":
        markdown = markers.with_backlinks(state, markdown, page, lang)
    if data.get("kind") == "template":
        href = markers.href(page, templates.docx_path(data["template_id"], lang))
        markdown = templates.wrap_form(markdown, href, TEXT[lang])
    if data.get("keywords"):
        state.keywords[page.url] = data["keywords"]
        markdown += (f"\n\n{TEXT[lang]['keywords']}{TEXT[lang]['colon']}{TEXT[lang]['list_sep'].join(data['keywords'])}"
                     f"\n{{: .guide-keywords }}\n")
    return markdown + quoted_heading + (f"\n\n{markup.defer(quotes)}\n" if quotes else "")


def _published_url(src: str, files) -> str:
    """The URL (from the site root) of the page built from docs/`src` in this build and language, as
    MkDocs publishes it (the i18n plugin's files give the page's translation in the English build)."""
    return files.get_file_from_path(src).url


def on_page_content(html, page, config, files):
    try:
        html = markup.restore(html)      # the HTML the hooks kept out of Markdown (markup.defer)
    except ValueError as err:
        raise PluginError(f"docs/{page.file.src_uri}: {err}\n"
                          "    → put each marker <!-- guide:NAME --> on a line of its own, and no citation [[…]] "
                          "inside a code block or `code`") from None
    if markers.lang_of(page) == "en":   # toc's permalink title is one setting for both languages
        html = html.replace('title="本段链接"', 'title="Permanent link"')
    if page.meta.get("kind") == "template":
        state.forms[(page.meta["template_id"], markers.lang_of(page))] = (page.meta["title"], templates.form_html(html))
    return markup.label_tables(html, markers.lang_of(page), page.title or "")


def on_env(env, config, files):
    """Material's templates compiled once, not in every build: Jinja keeps their bytecode in
    .cache/jinja (checked against each template's source). Without it, Jinja compiled them again in
    each language of each build (79 compilations), and on each save under docs.py live, where that
    was a third of the rebuild."""
    folder = _cache_dir(config) / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return env                # a read-only checkout: compiled in each build, as before
    if os.access(folder, os.W_OK):
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env


def on_nav(nav, config, files):
    state.nav["en" if _building_translation(config) else "zh"] = nav.items
    return nav


def _cache_dir(config) -> Path:
    """.cache/ beside mkdocs.yml (ignored by git), or GUIDE_CACHE: .docx files, PDF fonts, check results."""
    return Path(os.environ.get("GUIDE_CACHE") or Path(config.config_file_path).parent / ".cache")


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
    cache = _cache_dir(config)
    for (template_id, lang), (title, form) in state.forms.items():
        templates.write_docx(Path(config.site_dir), cache / "docx", template_id, title, form, lang)
    _dedupe_kept_search_index(config)
    index = Path(config.site_dir) / "search/search_index.json"
    if index.exists():
        search_chars.finish(index, state.keywords, cache)   # each language's pages load only their own index
    if os.environ.get("GUIDE_PDF", "1") == "0":
        return  # the PDF is switched off (docs.py live)
    wanted = os.environ.get("GUIDE_PDF", "1")    # "1": both languages; "zh" or "en": that one only
    for lang, cover in markers.PDF_COVERS.items():
        if wanted not in ("1", lang):
            continue
        out = Path(config.site_dir) / markers.PDF_FILES[lang]
        document = pdf.build_html(markers.pdf_nav(state, state.nav.get(lang, []), lang), state.articles[lang], {
            "lang": lang, "title": state.site_names.get(lang, state.site_names["zh"]), **cover, "date": pdf.today_label(lang)})
        try:
            pdf.render(document, out, cache / "pdf")
        except pdf.PdfError as err:
            raise PluginError(f"PDF ({markers.PDF_FILES[lang]}): {err}") from err


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
    if isinstance(page.meta.get("description"), str):
        # Material writes it into <meta name="description" content="…"> as it is: a " in an editor's
        # sentence would end the attribute. Escaped once (unescape first: the same page may come twice).
        page.meta["description"] = html.escape(html.unescape(page.meta["description"]), quote=True)
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
            state.articles[markers.lang_of(page)][page.url] = m.group(1)
    output = SELECTOR_LINK_RE.sub(lambda m: _relative_link(m, page, config), output)
    if markers.lang_of(page) == "en":     # English pages search the English index, en/search/ (search_chars.py)
        output = ENGLISH_BASE_RE.sub(lambda m: f'{m.group(1)}{m.group(2).rstrip("/")}/en/"', output, count=1)
    return markup.fix_material(ALTERNATE_LINK_RE.sub("", output), markers.lang_of(page))


def on_post_template(output_content, template_name, config):
    """The 404 page (a theme template, not a page) gets the same corrections as the pages, and loses
    the alternate links it inherits from the last page built (Material would fetch sitemap.xml beside them)."""
    if template_name == "404.html":
        output_content = NOT_FOUND_SELECTOR_RE.sub(
            lambda m: f'<a href="{"/en/" if m.group(1) == "en" else "/"}" hreflang="{m.group(1)}"', output_content)
        return markup.fix_material(ALTERNATE_LINK_RE.sub("", output_content), "zh")
    return output_content


# On the 404 page the language selector would lead to the last page built: it leads to the home pages.
NOT_FOUND_SELECTOR_RE = re.compile(r'<a href="[^"]*" hreflang="(zh|en)"(?= class="md-select__link")')


# Material finds the search index at `search/search_index.json` under __config's "base" (the site's
# root). On English pages the base is moved to en/, where the English index is; Material also uses the
# base to resolve the search results, whose locations in that index are relative to en/.
ENGLISH_BASE_RE = re.compile(r'(<script id="__config" type="application/json">\{"annotate": [^,]*, "base": ")([^"]*)"')


# The language selector of the two home pages keeps the i18n plugin's absolute links
# ("/", "/en/"), which break under a sub-path and from file://: make them relative.
SELECTOR_LINK_RE = re.compile(r'<a href="(/[^"]*)" hreflang="')


def _relative_link(m: re.Match, page, config) -> str:
    target = m.group(1).lstrip("/") + ("" if config.use_directory_urls else "index.html")
    return f'<a href="{markers.href(page, target)}" hreflang="'


ARTICLE_RE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)




# GUIDE_PROFILE=FILE: the time of each event above, written to FILE when the build ends (docs.py bench).
if os.environ.get("GUIDE_PROFILE"):
    from guide import profile
    profile.wrap(globals(), os.environ["GUIDE_PROFILE"], _building_translation)
