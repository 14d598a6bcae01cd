"""Citations: `[[policy]]`, `[[policy:7]]` or `[[policy:annex-3]]` in any page.

A citation renders as a link to the article's anchor on its policy page, labelled
《…》第七条, with the article's exact text as its tooltip; the page also gets a
closing section quoting every article it cites. The text comes from the policy
page itself (parsed by policies.parse_page), so a citation cannot drift from
the library. Unknown policies, unknown articles and article citations of a
facts-only rule stop the build with the file and line.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from guide import policies, translation
from guide.content_model import Problem, split_body

CITE_RE = re.compile(r"(?<!`)\[\[([a-z0-9-]+)(?::([a-z0-9-]+))?\]\](?!`)")   # `[[…]]` in code is left alone


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

    def label_in(self, lang: str) -> str:
        if lang == "en" and self.en_meta:
            return self.en_meta.get("cite_as") or self.en_meta["title"]
        return self.label

    def article_label(self, ref: str) -> str:
        if ref.startswith("annex-"):
            return "附录" + policies.article_label(int(ref[6:]))
        return policies.article_label(int(ref[4:]))

    def article_label_in(self, ref: str, lang: str) -> str:
        if lang != "en":
            return self.label + self.article_label(ref)
        part = f"Annex, part {ref[6:]}" if ref.startswith("annex-") else f"Article {ref[4:]}"
        return f"{self.label_in('en')}, {part}"

    def article_in(self, ref: str, lang: str) -> policies.Article:
        return self.en_articles[ref] if lang == "en" else self.articles[ref]


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
                text = (docs_dir / rel).read_text(encoding="utf-8")
                body = split_body(text)[0]
                articles = policies.parse_page(body) if meta.get("text") == "full" else {}
                lib.policies[meta["policy"]] = Policy(meta["policy"], rel, meta, articles)
        for rel, meta in pages.items():
            if meta.get("kind") == "policy" and rel.endswith(".en.md") and meta.get("policy") in lib.policies:
                pol = lib.policies[meta["policy"]]
                body = split_body((docs_dir / rel).read_text(encoding="utf-8"))[0]
                pol.en_src, pol.en_meta = rel, meta
                pol.en_articles = policies.parse_page(body) if meta.get("text") == "full" else {}
        return lib

    def translation_problems(self, docs_dir: Path) -> list[Problem]:
        """English policy pages: every article is either translated in full or left exactly as the
        Chinese text, and every article a page cites is translated."""
        problems = []
        for pol in self.policies.values():
            if not pol.en_src:
                continue
            text = (docs_dir / pol.en_src).read_text(encoding="utf-8")
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
                text = (docs_dir / pol.en_src).read_text(encoding="utf-8")
                line = next((n for n, l in enumerate(text.splitlines(), 1) if l.endswith(f"{{#{art}}}")), None)
                problems.append(Problem(f"docs/{pol.en_src}", line,
                                        f"{art} is cited by docs/{citing[0]} but not translated",
                                        "translate the article into English here: the English pages quote it"))
        return problems

    def resolve(self, policy: str, ref: str | None) -> tuple[Policy | None, str | None, str | None]:
        """(policy, article id, error)."""
        pol = self.policies.get(policy)
        if pol is None:
            return None, None, (f"unknown policy '{policy}'",
                                f"use one of {sorted(self.policies)} (file names under docs/policies/)")
        if ref is None:
            return pol, None, None
        if pol.meta.get("text") != "full":
            return None, None, (f"'{policy}' holds verified facts only, not the text, so it cannot be cited by article",
                                f"cite the rule as a whole: [[{policy}]], and say 以官方公布文本为准")
        art = f"art-{ref}" if ref.isdigit() else ref
        if art not in pol.articles:
            return None, None, (f"{pol.label} has no article '{ref}'",
                                f"check the article number on docs/{pol.src}; articles are numbers, the annex is annex-N")
        return pol, art, None

    def scan(self, docs_dir: Path, pages: dict[str, dict]) -> list[Problem]:
        """Check every citation in every page and record backlinks. Returns the problems."""
        problems: list[Problem] = []
        self.backlinks = {}
        for rel in sorted(pages):
            path = docs_dir / rel
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for m in CITE_RE.finditer(line):
                    pol, art, error = self.resolve(m.group(1), m.group(2))
                    if error:
                        problems.append(Problem(f"docs/{rel}", lineno, f"citation {m.group(0)}: {error[0]}", error[1]))
                    elif not rel.endswith(".en.md") and rel != pol.src:
                        citing = self.backlinks.setdefault((pol.id, art or ""), [])
                        if rel not in citing:
                            citing.append(rel)
        return problems

    # ----------------------------------------------------------------- rendering

    def render(self, markdown: str, page_src: str, lang: str = "zh") -> tuple[str, str]:
        """Replace citations with links; return the page and a section quoting the cited articles.

        In English the label and the quote are the policy page's English translation, and each
        quote is followed by the Chinese original (the only authoritative text)."""
        cited: list[tuple[Policy, str]] = []

        def link(m: re.Match) -> str:
            pol, art, error = self.resolve(m.group(1), m.group(2))
            if error:  # scan() reports these with file and line before any page is rendered
                raise ValueError(error[0])
            target = posixpath.relpath(pol.src, posixpath.dirname(page_src) or ".")
            if art is None:
                suffix = ""
                if pol.meta.get("text") != "full":
                    suffix = " (the officially published text prevails)" if lang == "en" else "（以官方公布文本为准）"
                return f'[{pol.label_in(lang)}]({target}){{: .guide-cite }}{suffix}'
            if (pol, art) not in cited:
                cited.append((pol, art))
            tooltip = pol.article_in(art, lang).text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
            return f'[{pol.article_label_in(art, lang)}]({target}#{art} "{tooltip}"){{: .guide-cite }}'

        out = CITE_RE.sub(link, markdown)
        quoted = ""
        if cited and lang == "en":
            quoted = ("\n\n## Articles cited on this page {#cited-articles data-search-exclude}\n\n"
                      "The articles this page cites, from the site's policy library, in an unofficial English "
                      "translation followed by the Chinese text. Only the Chinese text is authoritative.\n\n")
            for pol, art in cited:
                quoted += f'??? quote "{pol.article_label_in(art, "en")}"\n\n'
                for para in pol.en_articles[art].text.splitlines():
                    quoted += f"    {policies.md_text(para)}\n\n"
                for para in pol.articles[art].text.splitlines():
                    quoted += f"    {policies.md_text(para)}\n    {{: lang=\"zh-Hans\" .guide-original data-search-exclude }}\n\n"
        elif cited:
            quoted = "\n\n## 本页引用的条文 {#cited-articles data-search-exclude}\n\n下面是本页引用的条文原文，摘自本站政策库。\n\n"
            for pol, art in cited:
                quoted += f'??? quote "{pol.label}{pol.article_label(art)}"\n\n'
                for para in pol.articles[art].text.splitlines():
                    quoted += f"    {policies.md_text(para)}\n\n"
        return out, quoted

    def backlink_markdown(self, pol: Policy, art: str, page_src: str, titles: dict[str, str], lang: str = "zh") -> str:
        citing = self.backlinks.get((pol.id, art), [])
        if not citing:
            return ""
        links = ("; " if lang == "en" else "；").join(
            f"[{titles.get(src, src)}]({posixpath.relpath(src, posixpath.dirname(page_src) or '.')})" for src in citing)
        label = "Cited by: " if lang == "en" else "引用本条的页面："
        return f"\n{label}{links}\n{{: .guide-backlinks }}\n\n"
