"""Page parts generated from markers and for the PDF: a line `<!-- guide:NAME -->` in a page becomes
the Markdown of MARKERS[NAME]; policy pages get backlinks under each article; the navigation becomes
the PDF's parts. Each renderer takes the build's state (scripts/hooks.py: State): what the checks
learned about the site (pages, the notices, the citation library, the planners' rules)."""

from __future__ import annotations

import posixpath
import re

from mkdocs.exceptions import PluginError

from guide import catalogue, citations, content_model, markup, notice as notice_mod, pdf, planner, translation

TEXT = {
    "zh": {"item_link": "→ 查看第{label}项工作指南", "list_sep": "、", "colon": "："},
    "en": {"item_link": "→ Guidance for item {label}", "list_sep": ", ", "colon": ": "},
}


def lang_of(page) -> str:
    return "en" if getattr(page.file, "locale", "zh") == "en" else "zh"


def page_dir(page) -> str:
    """The folder a page's URL stands in (directory URLs, or .html files in the offline copy)."""
    url = page.url
    return (url.rstrip("/") if url.endswith("/") else posixpath.dirname(url)) or "."


def href(page, url: str) -> str:
    """A link from `page` to `url` (a published URL from the site root, as MkDocs gives it)."""
    target = posixpath.relpath(url or ".", page_dir(page))
    if url.endswith("/") or not url:       # a directory URL keeps its slash
        return "./" if target == "." else target + "/"
    return target


def rel(from_src: str, to_src: str) -> str:
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


def _marker_notice(state, page, lang):
    links = {n: rel(page.file.src_uri, src) for n, src in state.item_pages.items()}
    return notice_mod.render_markdown(state.notices[lang], links, TEXT[lang]["item_link"])


def _marker_items(state, page, lang):
    """The five sections and thirteen items, linked, in the notice's order."""
    out = []
    for section in state.notices[lang].sections:
        out += [f"## {notice_mod.md_escape(section.wording)} {{#section-{section.number}}}", ""]
        for item in section.items:
            target = rel(page.file.src_uri, state.item_pages[item.number])
            out.append(f"1. [{notice_mod.md_escape(item.title)}]({target})")
        out.append("")
    return "\n".join(out)


def _marker_content_model(state, page, lang):
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


def _marker_policy_header(state, page, lang):
    """The consistent header of a policy page, from its front matter (the English page's own,
    translated front matter in English), and on English pages the note that it is a translation."""
    meta, lib, text = page.meta, state.library, POLICY_HEADER[lang]
    validity = lambda m: translation.glossary()["validity"][m["validity"]] if lang == "en" else m["validity"]
    values = (meta["title"], meta["issuer"], meta["number"], meta["adopted"], meta["promulgated"], meta["effective"],
              meta["version"], f'<span class="guide-status" data-status="{meta["validity"]}">{validity(meta)}</span>',
              meta.get("applied_2020", "—"), meta["source"])
    out = [markup.defer('<div class="guide-policy-header">'), ""]
    if lang == "en":
        pending = [a for a in lib.policies[meta["policy"]].en_articles.values() if translation.untranslated(a.paragraphs)]
        out += ['!!! warning "Unofficial translation"', "",
                "    This is the site's own English translation, for understanding only. Only the Chinese text is "
                f'authoritative: read it on the <a href="{other_language_url(page, "zh")}" hreflang="zh-Hans">'
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
            out += [f'!!! info "{text[key]}"', "", f"    [{link}]({rel(page.file.src_uri, other.src)})", ""]
    if meta.get("newer_version"):
        out += [f'!!! warning "{text["newer"]}"', "", f"    {meta['newer_version']}", ""]
    if meta.get("doubts"):
        out += [f'??? note "{text["doubts"]}"', ""] + [f"    - {d}" for d in meta["doubts"]] + [""]
    out += [markup.defer("</div>"), ""]
    return "\n".join(out)


def other_language_url(page, lang: str) -> str:
    """URL of this page in the other language, relative to this page, for a raw <a> (MkDocs only
    resolves links to .md files, and x.md means the English page inside the English build)."""
    url = page.url[3:] if page.url.startswith("en/") else page.url
    return href(page, url if lang == "zh" else "en/" + url)


def _marker_policy_index(state, page, lang):
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
            f"[{state.notices[lang].item(n).label}]({rel(page.file.src_uri, state.item_pages[n])})" for n in items) or "—"
        text = "" if pol.meta.get("text") == "full" else (" (verified facts only)" if en else "（仅事实概述）")
        validity = translation.glossary()["validity"][pol.meta["validity"]] if en else pol.meta["validity"]
        out.append(f"| [{meta['title']}]({rel(page.file.src_uri, pol.src)}){text} | {meta['version']} "
                   f"| {validity} | {meta['effective']} | {used} |")
    return "\n".join(out)


def _marker_templates(state, page, lang):
    """The templates index: by work item, then by kind of document."""
    en = lang == "en"
    tpls = sorted((data for rel, data in state.pages.items()
                   if data["kind"] == "template" and rel.endswith(".en.md") == en),
                  key=lambda d: d["template_id"])
    link = lambda d: f"[{d['title']}]({rel(page.file.src_uri, 'templates/' + d['template_id'] + '.md')})"
    sep = TEXT[lang]["list_sep"]
    out = ["## By work item {#by-item}" if en else "## 按工作要点 {#by-item}", "",
           "| Work item | Templates |" if en else "| 工作要点 | 模板 |", "| --- | --- |"]
    for item in state.notices[lang].items:
        used = [d for d in tpls if item.number in d["items"]]
        out.append(f"| [{notice_mod.md_escape(item.title)}]({rel(page.file.src_uri, state.item_pages[item.number])}) "
                   f"| {sep.join(link(d) for d in used) or '—'} |")
    out += ["", "## By kind of document {#by-kind}" if en else "## 按文书种类 {#by-kind}", ""]
    for form in content_model.FORMS:
        used = [d for d in tpls if d["form"] == form]
        if used:
            name = translation.glossary()["forms"][form] if en else form
            out.append(f"- **{name}**{TEXT[lang]['colon']}{sep.join(link(d) for d in used)}")
    return "\n".join(out)


def _marker_glossary(state, page, lang):
    """The glossary of fixed translations (scripts/guide/glossary.yml)."""
    head = "| Chinese | English | Note |" if lang == "en" else "| 中文 | 英文 | 说明 |"
    out = [head, "| --- | --- | --- |"]
    for term in translation.glossary()["terms"]:
        note = term.get("note", "")
        if term.get("avoid"):
            note = (note + " " if note else "") + ("Not: " if lang == "en" else "不用：") + ", ".join(term["avoid"])
        out.append(f"| {term['zh']} | {term['en']} | {note or '—'} |")
    return "\n".join(out)


def _marker_planner(state, page, lang):
    """A planner's form, result area and rules (guide/planner.py)."""
    return markup.defer(planner.page_markdown(page.meta["planner"], state.rules, lang))


def _marker_planner_basis(state, page, lang):
    """A planner's rules with their figures and citations (guide/planner.py)."""
    return planner.basis_markdown(page.meta["planner"], state.rules, state.library, lang)


def _marker_error_catalogue(state, page, lang):
    """Every error message of the checks, with an example and the fix (guide/catalogue.py)."""
    try:
        return catalogue.render(lang, state.docs_dir, state.library)
    except ValueError as err:
        raise PluginError(f"docs/{page.file.src_uri}: {err}\n    → update scripts/guide/catalogue.py to the check's "
                          "new message, or restore the check") from None


MARKERS = {
    "templates": _marker_templates,
    "error-catalogue": _marker_error_catalogue,
    "planner": _marker_planner,
    "planner-basis": _marker_planner_basis,
    "policy-header": _marker_policy_header,
    "policy-index": _marker_policy_index,
    "notice": _marker_notice,
    "items": _marker_items,
    "content-model": _marker_content_model,
    "glossary": _marker_glossary,
}


PDF_FILES = {"zh": "downloads/guide-zh.pdf", "en": "downloads/guide-en.pdf"}
PDF_COVERS = {
    "zh": {"subtitle": "焦作市教科文卫体工会2020年女职工工作要点实务指南",
           "issuer": "焦作市教科文卫体工会女职工委员会"},
    "en": {"subtitle": "A practical guide to the 2020 work plan for women workers of the Jiaozuo Education, "
                       "Science, Culture, Health and Sports Trade Union",
           "issuer": "Women Workers' Committee of the Jiaozuo Education, Science, Culture, Health and Sports "
                     "Trade Union · unofficial English edition: only the Chinese text is authoritative"},
}


def pdf_nav(state, items, lang: str) -> list[pdf.Node]:
    """The navigation as PDF parts; the templates follow the templates index."""
    nodes = []
    prefix = "en/" if lang == "en" else ""
    for item in items:
        if item.is_section:
            nodes.append(pdf.Node(item.title, None, pdf_nav(state, item.children, lang)))
        elif item.is_page:
            node = pdf.Node(item.title or item.url, item.url)
            if item.url == prefix + "templates/":
                tpls = sorted((d for r, d in state.pages.items()
                               if d["kind"] == "template" and r.endswith(".en.md") == (lang == "en")),
                              key=lambda d: (min(d["items"]), d["template_id"]))
                node.children = [pdf.Node(d["title"], f"{prefix}templates/{d['template_id']}/") for d in tpls]
            nodes.append(node)
    return nodes


def with_backlinks(state, markdown: str, page, lang: str) -> str:
    """After each article of a policy page, list the guidance pages that cite it; an article that no
    page cites stays out of the search index (data-search-exclude on its heading). On an English
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
            if current and not state.library.backlinks.get((pol.id, current)):
                # search holds the articles the guide cites; the others are read on this page
                line = line[:-1] + " data-search-exclude}"
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



