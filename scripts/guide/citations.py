"""Citations: `[[policy]]`, `[[policy:7]]`, `[[policy:annex-3]]` or `[[policy:point-1]]` in any page.

A citation renders as a link to the article's anchor on its policy page, labelled
《…》第七条, with the article's exact text as its tooltip; the page also gets a
closing section quoting every article it cites. The text comes from the policy
page itself (parsed by policies.parse_page), so a citation cannot drift from
the library. Unknown policies and unknown articles stop the build with the file and line.

Facts pages (`text: facts`) hold no text, but may quote single articles second-hand: a heading
`### 第二十五条 {#art-25}` with the quotation under it, and in the front matter an entry of
`quotes` with the article's level (甲/乙/丙/丁), the caveat written beside it and its source.
Such an article can be cited by number; wherever it is shown (link, tooltip, quoted articles,
the facts page, the PDF) its caveat goes with it. Any other article of a facts page cannot be cited.

Currency: a text whose `validity` is 已被取代 or 已修订 describes the past. It may be cited only
inside a passage marked as history (an admonition of type `history`, e.g.
`!!! history "2020年以后的变化"`) or on a page whose front matter says `history: true`; anywhere
else the build stops and names the text to cite instead (`superseded_by`).
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from guide import policies, translation, sources
from guide.content_model import Problem, split_body

CITE_RE = re.compile(r"(?<!`)\[\[([a-z0-9-]+)(?::([a-z0-9-]+))?\]\](?!`)")   # `[[…]]` in code is left alone
PAST = ("已被取代", "已修订")            # validity of a text that no longer states the rule in force
HISTORY_OPEN_RE = re.compile(r"^(\s*)(?:!!!|\?\?\?\+?) history\b")
LEVELS = ("甲", "乙", "丙", "丁")
LEVEL_EN = {"甲": "A", "乙": "B", "丙": "C", "丁": "D"}


def complete_quote(entry) -> bool:
    """A `quotes:` entry of a facts page with all it needs: article number, level, caveat, source."""
    return isinstance(entry, dict) and isinstance(entry.get("article"), int) and entry.get("level") in LEVELS \
        and all(isinstance(entry.get(k), str) and entry[k].strip() for k in ("caveat", "source"))


def _quote_box(label: str, paragraphs: list[tuple[str, str]], caveat: str) -> str:
    """A quoted article at the end of a page: the HTML that `??? quote "label"` gives (pymdownx.details),
    written directly. The article text is plain text, so nothing is lost.
    `paragraphs`: (text, extra attributes of its <p>)."""
    body = "".join(f"<p{attrs}>{html.escape(text, quote=False)}</p>\n" for text, attrs in paragraphs)
    if caveat:
        body += f'<p class="guide-caveat">{html.escape(caveat, quote=False)}</p>\n'
    return f'<details class="quote">\n<summary>{html.escape(label, quote=False)}</summary>\n{body}</details>\n\n'


def level_label(level: str, lang: str) -> str:
    """丙级 / level C."""
    return f"level {LEVEL_EN.get(level, level)}" if lang == "en" else f"{level}级"


def history_lines(body: str, offset: int = 0) -> set[int]:
    """Line numbers (from offset + 1) inside `!!! history` / `??? history` admonitions."""
    inside: set[int] = set()
    indent = None
    for n, line in enumerate(body.splitlines(), offset + 1):
        if indent is not None:
            if not line.strip() or len(line) - len(line.lstrip()) > indent:
                inside.add(n)
                continue
            indent = None
        if m := HISTORY_OPEN_RE.match(line):
            indent = len(m.group(1))
            inside.add(n)
    return inside


@dataclass
class Policy:
    id: str
    src: str                       # docs-relative path of its page
    meta: dict
    articles: dict[str, policies.Article]
    # the English page (unofficial translation): its path, front matter and articles
    en_src: str = ""
    en_meta: dict = field(default_factory=dict)
    en_articles: dict[str, policies.Article] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.meta.get("cite_as") or f"《{self.meta['title']}》"

    @property
    def past(self) -> bool:
        return self.meta.get("validity") in PAST

    def label_in(self, lang: str) -> str:
        if lang == "en" and self.en_meta:
            return self.en_meta.get("cite_as") or self.en_meta["title"]
        return self.label

    def _attached(self, ref: str, lang: str) -> str:
        """The label of the text an article belongs to: 《办法》 for the articles and annexes of a
        decision's attached measures (`articles_cite_as`), else the policy's own label."""
        meta = self.en_meta if lang == "en" and self.en_meta else self.meta
        if ref.startswith(("art-", "annex-")) and meta.get("articles_cite_as"):
            return meta["articles_cite_as"]
        return self.label_in(lang)

    def article_label(self, ref: str) -> str:
        if ref.startswith("point-"):
            return f"第{policies.int_to_cn(int(ref[6:]))}点"
        if ref.startswith("annex-"):
            heading = self.articles[ref].heading
            return heading if heading.startswith("附件") else "附录" + policies.article_label(int(ref[6:]))
        return policies.article_label(int(ref[4:]))

    def article_label_in(self, ref: str, lang: str) -> str:
        if lang != "en":
            return self._attached(ref, lang) + self.article_label(ref)
        if ref.startswith("annex-"):
            part = f"Annex {ref[6:]}" if self.articles[ref].heading.startswith("附件") else f"Annex, part {ref[6:]}"
        elif ref.startswith("point-"):
            part = f"point {ref[6:]}"
        else:
            part = f"Article {ref[4:]}"
        return f"{self._attached(ref, 'en')}, {part}"

    def article_in(self, ref: str, lang: str) -> policies.Article:
        return self.en_articles[ref] if lang == "en" else self.articles[ref]

    def quote(self, ref: str, lang: str = "zh") -> dict | None:
        """A facts page's second-hand quotation: {article, level, caveat, source}, or None (an incomplete
        entry counts as none: facts_problems reports it)."""
        meta = self.en_meta if lang == "en" and self.en_meta else self.meta
        return next((entry for entry in meta.get("quotes") or []
                     if complete_quote(entry) and f"art-{entry['article']}" == ref), None)

    def caveat(self, ref: str, lang: str = "zh") -> str:
        """The caveat shown beside a quotation, with its level: （丙级：单一来源转引，待与官方文本核对）."""
        q = self.quote(ref, lang)
        if q is None:
            return ""
        label = level_label(q["level"], lang)
        return f"({label}: {q['caveat']})" if lang == "en" else f"（{label}：{q['caveat']}）"


@dataclass
class Library:
    policies: dict[str, Policy] = field(default_factory=dict)
    # (policy id, article id or "") -> list of citing page src paths, in page order
    backlinks: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, docs_dir: Path, pages: dict[str, dict]) -> "Library":
        lib = cls()
        for rel, meta in pages.items():
            if meta.get("kind") == "policy" and not rel.endswith(".en.md"):
                text = sources.read(docs_dir / rel)
                body = split_body(text)[0]
                lib.policies[meta["policy"]] = Policy(meta["policy"], rel, meta, policies.parse_page(body))
        for rel, meta in pages.items():
            if meta.get("kind") == "policy" and rel.endswith(".en.md") and meta.get("policy") in lib.policies:
                pol = lib.policies[meta["policy"]]
                body = split_body(sources.read(docs_dir / rel))[0]
                pol.en_src, pol.en_meta = rel, meta
                pol.en_articles = policies.parse_page(body)
        return lib

    def translation_problems(self, docs_dir: Path) -> list[Problem]:
        """English policy pages: every article is either translated in full or left exactly as the
        Chinese text, and every article a page cites is translated."""
        problems = []
        for pol in self.policies.values():
            if not pol.en_src:
                continue
            text = sources.read(docs_dir / pol.en_src)
            heading_lines = {m.group(1): text.count("\n", 0, m.start()) + 1
                             for m in re.finditer(r"\{#([a-z0-9-]+)\}$", text, re.M)}
            for ident, art in pol.en_articles.items():
                line = heading_lines.get(ident)
                if translation.half_translated(art.paragraphs):
                    problems.append(Problem(f"docs/{pol.en_src}", line, f"{ident} is half translated",
                                            "translate every paragraph of the article, or restore its Chinese text"))
                elif translation.untranslated(art.paragraphs) and art.paragraphs != pol.articles[ident].paragraphs:
                    problems.append(Problem(f"docs/{pol.en_src}", line,
                                            f"{ident} is left in Chinese but differs from docs/{pol.src}",
                                            "an untranslated article shows the Chinese text exactly: copy it from the Chinese page"))
        for (pid, art), citing in sorted(self.backlinks.items()):
            pol = self.policies[pid]
            if not art or not pol.en_src:
                continue
            en = pol.en_articles.get(art)
            if en is None or translation.untranslated(en.paragraphs) or translation.half_translated(en.paragraphs):
                text = sources.read(docs_dir / pol.en_src)
                line = next((n for n, l in enumerate(text.splitlines(), 1) if l.endswith(f"{{#{art}}}")), None)
                problems.append(Problem(f"docs/{pol.en_src}", line,
                                        f"{art} is cited by docs/{citing[0]} but not translated",
                                        "translate the article into English here: the English pages quote it"))
        return problems

    def facts_problems(self, docs_dir: Path) -> list[Problem]:
        """Every quotation on a facts page has its level, caveat and source, and every `quotes`
        entry has its quotation (in both languages)."""
        problems = []
        for pol in self.policies.values():
            if pol.meta.get("text") == "full":
                continue
            for lang, src, meta, articles in (("zh", pol.src, pol.meta, pol.articles),
                                              ("en", pol.en_src, pol.en_meta, pol.en_articles)):
                if not src:
                    continue
                text = sources.read(docs_dir / src)
                line_of = lambda ident: next((n for n, l in enumerate(text.splitlines(), 1)
                                              if l.rstrip().endswith(f"{{#{ident}}}")), None)
                quotes = meta.get("quotes") or []
                entries = {}
                for entry in quotes:
                    if not complete_quote(entry):
                        problems.append(Problem(f"docs/{src}", meta.get("__lines__", {}).get("quotes"),
                                                f"a 'quotes' entry is incomplete: {entry!r}",
                                                "write each quoted article as: - article: 25 / level: 丙 / "
                                                "caveat: 单一来源转引，待与官方文本核对 / source: where it was quoted from"))
                        continue
                    entries[f"art-{entry['article']}"] = entry
                for ident in articles:
                    if ident not in entries:
                        problems.append(Problem(f"docs/{src}", line_of(ident),
                                                f"the facts page quotes {ident} without its caveat",
                                                "add it to the front matter's quotes: with its level (甲/乙/丙/丁), "
                                                "the caveat written beside it in ../shared/policies, and its source"))
                for ident in entries:
                    if ident not in articles:
                        problems.append(Problem(f"docs/{src}", meta.get("__lines__", {}).get("quotes"),
                                                f"quotes: lists {ident}, but the page has no heading {{#{ident}}} with its quotation",
                                                f"add '### 第…条 {{#{ident}}}' and the quotation under it, or remove the entry"))
        return problems

    def quoted_without_caveat(self, rel: str, body: str, offset: int) -> list[Problem]:
        """A facts quotation written out on an authored page must sit beside its citation."""
        problems = []
        for pol in self.policies.values():
            if pol.meta.get("text") == "full":
                continue
            for ident, art in pol.articles.items():
                for para in art.paragraphs:
                    core = para.rstrip("。；;")
                    if len(core) < 12:
                        continue
                    for n, line in enumerate(body.splitlines(), offset + 1):
                        if core not in line:
                            continue
                        cited = {(m.group(1), m.group(2)) for m in CITE_RE.finditer(line)}
                        if (pol.id, ident[4:]) in cited or any(
                                (p := self.policies.get(c[0])) and p.meta.get("text") == "full" and c[1]
                                and core in p.articles.get(f"art-{c[1]}" if c[1].isdigit() else c[1],
                                                           policies.Article(0, "", [])).text
                                for c in cited):
                            continue
                        problems.append(Problem(f"docs/{rel}", n,
                                                f"quotes {pol.label}{pol.article_label(ident)} without its caveat",
                                                f"put the citation [[{pol.id}:{ident[4:]}]] right after the quotation: "
                                                f"it shows the caveat {pol.caveat(ident)}"))
        return problems

    def past_problem(self, pol: Policy, rel: str, line: int, cite: str) -> Problem:
        newer = self.policies.get(pol.meta.get("superseded_by", ""))
        instead = (f"cite the text in force now, {newer.label} ([[{newer.id}]]"
                   + (f", quoted articles: {', '.join(f'[[{newer.id}:{a[4:]}]]' for a in newer.articles)}"
                      if newer.meta.get("text") != "full" and newer.articles else
                      ", same article where it still says the same" if newer.meta.get("text") == "full" else "")
                   + ")") if newer else "cite the text in force now"
        return Problem(f"docs/{rel}", line,
                       f"citation {cite}: {pol.label} is {pol.meta['validity']} and no longer states the rule in force",
                       f"{instead}; or, where the page explains the 2020 position or what changed, put the sentence "
                       f'inside a history box: !!! history "2020年时的规定" (see docs/about/style-guide.md)')

    def resolve(self, policy: str, ref: str | None) -> tuple[Policy | None, str | None, str | None]:
        """(policy, article id, error)."""
        pol = self.policies.get(policy)
        if pol is None:
            return None, None, (f"unknown policy '{policy}'",
                                f"use one of {sorted(self.policies)} (file names under docs/policies/)")
        if ref is None:
            return pol, None, None
        art = f"art-{ref}" if ref.isdigit() else ref
        if pol.meta.get("text") != "full" and art not in pol.articles:
            quoted = [f"[[{policy}:{a[4:]}]]" for a in pol.articles]
            return None, None, (f"'{policy}' holds verified facts only, and does not quote article '{ref}'",
                                f"cite the rule as a whole: [[{policy}]], and say 以官方公布文本为准"
                                + (f"; the facts page quotes only {', '.join(quoted)}" if quoted else ""))
        if art not in pol.articles:
            return None, None, (f"{pol.label} has no article '{ref}'",
                                f"check the article number on docs/{pol.src}; articles are numbers, the annex is annex-N")
        return pol, art, None

    def scan(self, docs_dir: Path, pages: dict[str, dict]) -> list[Problem]:
        """Check every citation in every page and record backlinks. Returns the problems."""
        problems: list[Problem] = self.facts_problems(docs_dir)
        self.backlinks = {}
        for rel in sorted(pages):
            path = docs_dir / rel
            text = sources.read(path)
            meta = pages[rel]
            history: set[int] | None = set()       # lines inside history boxes; None: the whole page is history
            if meta.get("kind") != "policy":
                body, offset = split_body(text)
                history = history_lines(body, offset) if not meta.get("history") else None
                problems += self.quoted_without_caveat(rel, body, offset)
            for lineno, line in enumerate(text.splitlines(), 1):
                for m in CITE_RE.finditer(line):
                    pol, art, error = self.resolve(m.group(1), m.group(2))
                    if error:
                        problems.append(Problem(f"docs/{rel}", lineno, f"citation {m.group(0)}: {error[0]}", error[1]))
                        continue
                    if pol.past and history is not None and meta.get("kind") != "policy" and lineno not in history:
                        problems.append(self.past_problem(pol, rel, lineno, m.group(0)))
                    if not rel.endswith(".en.md") and rel != pol.src:
                        citing = self.backlinks.setdefault((pol.id, art or ""), [])
                        if rel not in citing:
                            citing.append(rel)
        return problems

    # ----------------------------------------------------------------- rendering

    def render(self, markdown: str, lang: str, href: Callable[[str], str],
               defer: Callable[[str], str] = str) -> tuple[str, str, str]:
        """Replace citations with links. Returns the page, the heading of a section quoting the cited
        articles (Markdown, for the table of contents) and the quotes themselves (HTML, for the end of
        the page, which Markdown would only copy).

        In English the label and the quote are the policy page's English translation, and each
        quote is followed by the Chinese original (the only authoritative text).

        A citation becomes an HTML link, with the article's text as its tooltip: `href(policy page src)`
        gives the address of the policy page from this page, as it is published in this build (hooks.py
        asks MkDocs), and `defer(html)` what Markdown
        gets in its place (hooks.py: markup.defer, a short token). The links were Markdown once: MkDocs
        then resolved and checked some 1,200 of them in each build, and Markdown read their tooltips, a
        fifth of all it read. scan() has checked every citation before any page is rendered."""
        cited: list[tuple[Policy, str]] = []

        def link(m: re.Match) -> str:
            pol, art, error = self.resolve(m.group(1), m.group(2))
            if error:  # scan() reports these with file and line before any page is rendered
                raise ValueError(error[0])
            target = href(pol.src)
            if art is None:
                suffix = ""
                after = m.string[m.end():m.end() + 60].split("\n")[0]   # the page may say it already, with the level
                if pol.meta.get("text") != "full" and "以官方公布文本为准" not in after \
                        and "officially published text prevails" not in after:
                    suffix = " (the officially published text prevails)" if lang == "en" else "（以官方公布文本为准）"
                return defer(f'<a class="guide-cite" href="{target}">{html.escape(pol.label_in(lang), quote=False)}</a>') + suffix
            if (pol, art) not in cited:
                cited.append((pol, art))
            caveat = pol.caveat(art, lang)
            tooltip = (pol.article_in(art, lang).text + (" " + caveat if caveat else "")).replace("\n", " ")
            link = (f'<a class="guide-cite" href="{target}#{art}" title="{html.escape(tooltip)}">'
                    f'{html.escape(pol.article_label_in(art, lang), quote=False)}</a>')
            return defer(link + (f'<span class="guide-caveat">{html.escape(caveat)}</span>' if caveat else ""))

        # citations inside fenced code blocks are examples (the editor's handbook): left as written
        parts = re.split(r"(^[ \t]*(?:```|~~~)[^\n]*\n.*?^[ \t]*(?:```|~~~)[ \t]*$)", markdown, flags=re.M | re.S)
        out = "".join(part if i % 2 else CITE_RE.sub(link, part) for i, part in enumerate(parts))
        heading, quoted = "", ""
        if cited and lang == "en":
            heading = ("\n\n## Articles cited on this page {#cited-articles data-search-exclude}\n\n"
                      "The articles this page cites, from the site's policy library, in an unofficial English "
                      "translation followed by the Chinese text. Only the Chinese text is authoritative.\n\n")
            for pol, art in cited:
                quoted += _quote_box(pol.article_label_in(art, "en"),
                                     [(para, "") for para in pol.en_articles[art].text.splitlines()]
                                     + [(para, ' lang="zh-Hans" class="guide-original" data-search-exclude')
                                        for para in pol.articles[art].text.splitlines()],
                                     self._caveat_note(pol, art, "en"))
        elif cited:
            heading = "\n\n## 本页引用的条文 {#cited-articles data-search-exclude}\n\n下面是本页引用的条文原文，摘自本站政策库。\n\n"
            for pol, art in cited:
                quoted += _quote_box(pol.article_label_in(art, "zh"),
                                     [(para, "") for para in pol.articles[art].text.splitlines()],
                                     self._caveat_note(pol, art, "zh"))
        return out, heading, quoted

    @staticmethod
    def _caveat_note(pol: Policy, art: str, lang: str) -> str:
        """The caveat and source of a facts page's quotation, as a paragraph of the quote box (text)."""
        q = pol.quote(art, lang)
        if q is None:
            return ""
        level = level_label(q["level"], lang)
        return (f"Second-hand quotation, {level}: {q['caveat']}. Source: {q['source']}" if lang == "en"
                else f"转引，{level}：{q['caveat']}。来源：{q['source']}")

    def backlink_markdown(self, pol: Policy, art: str, page_src: str, titles: dict[str, str], lang: str = "zh") -> str:
        citing = self.backlinks.get((pol.id, art), [])
        if not citing:
            return ""
        links = ("; " if lang == "en" else "；").join(
            f"[{titles.get(src, src)}]({posixpath.relpath(src, posixpath.dirname(page_src) or '.')})" for src in citing)
        label = "Cited by: " if lang == "en" else "引用本条的页面："
        return f"\n{label}{links}\n{{: .guide-backlinks data-search-exclude }}\n\n"
