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

from guide import policies
from guide.content_model import FRONT_MATTER_RE, Problem

CITE_RE = re.compile(r"(?<!`)\[\[([a-z0-9-]+)(?::([a-z0-9-]+))?\]\](?!`)")   # `[[…]]` in code is left alone


@dataclass
class Policy:
    id: str
    src: str                       # docs-relative path of its page
    meta: dict
    articles: dict[str, policies.Article]

    @property
    def label(self) -> str:
        return self.meta.get("cite_as") or f"《{self.meta['title']}》"

    def article_label(self, ref: str) -> str:
        if ref.startswith("annex-"):
            return "附录" + policies.article_label(int(ref[6:]))
        return policies.article_label(int(ref[4:]))


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
                body = FRONT_MATTER_RE.sub("", text, count=1)
                articles = policies.parse_page(body) if meta.get("text") == "full" else {}
                lib.policies[meta["policy"]] = Policy(meta["policy"], rel, meta, articles)
        return lib

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

    def render(self, markdown: str, page_src: str) -> tuple[str, str]:
        """Replace citations with links; return the page and a section quoting the cited articles."""
        cited: list[tuple[Policy, str]] = []

        def link(m: re.Match) -> str:
            pol, art, error = self.resolve(m.group(1), m.group(2))
            if error:  # scan() reports these with file and line before any page is rendered
                raise ValueError(error[0])
            target = posixpath.relpath(pol.src, posixpath.dirname(page_src) or ".")
            if art is None:
                suffix = "（以官方公布文本为准）" if pol.meta.get("text") != "full" else ""
                return f'[{pol.label}]({target}){{: .guide-cite }}{suffix}'
            if (pol, art) not in cited:
                cited.append((pol, art))
            tooltip = pol.articles[art].text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
            return f'[{pol.label}{pol.article_label(art)}]({target}#{art} "{tooltip}"){{: .guide-cite }}'

        out = CITE_RE.sub(link, markdown)
        quoted = ""
        if cited:
            quoted = "\n\n## 本页引用的条文 {#cited-articles}\n\n下面是本页引用的条文原文，摘自本站政策库。\n\n"
            for pol, art in cited:
                quoted += f'??? quote "{pol.label}{pol.article_label(art)}"\n\n'
                for para in pol.articles[art].text.splitlines():
                    quoted += f"    {policies.md_text(para)}\n\n"
        return out, quoted

    def backlink_markdown(self, pol: Policy, art: str, page_src: str, titles: dict[str, str]) -> str:
        citing = self.backlinks.get((pol.id, art), [])
        if not citing:
            return ""
        links = "；".join(f"[{titles.get(src, src)}]({posixpath.relpath(src, posixpath.dirname(page_src) or '.')})"
                         for src in citing)
        return f"\n引用本条的页面：{links}\n{{: .guide-backlinks }}\n\n"
