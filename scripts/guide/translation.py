"""The English edition: parity with the Chinese pages, the glossary, policy skeletons.

- `parity(zh, en)` compares a page with its translation: the same heading ids,
  citations, template links and markers, in the same order (so in the same
  sections), and the same controlled front-matter values. The first
  difference is reported with the line in each file.
- `glossary_problems(rel, text)` stops English that uses a form the glossary
  says to avoid (scripts/guide/glossary.yml).
- `policy_skeleton(zh_page)` writes the English file of a policy page: English
  headings with the same ids, the Chinese text of every article kept as it is,
  to be translated article by article (`docs.py translate-policy ID`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from guide import sources

from guide.content_model import FRONT_MATTER_RE, LOADER, Problem, prose_lines, split_body

GLOSSARY_FILE = Path(__file__).with_name("glossary.yml")

HEADING_ID_RE = re.compile(r"^(#{1,6}) .*?\{#([A-Za-z0-9_-]+)[^}]*\}\s*$")
CITE_RE = re.compile(r"(?<!`)\[\[([a-z0-9-]+(?::[a-z0-9-]+)?)\]\](?!`)")
TEMPLATE_LINK_RE = re.compile(r"\]\((?:\.\./)*(?:templates/)?([a-z0-9-]+)\.md(#[a-z0-9-]+)?\)")
MARKER_RE = re.compile(r"^<!-- (guide:[a-z-]+|material/tags) -->$")
HAN_RE = re.compile(r"[\u3400-\u9fff]")

# front-matter fields that are not translated: both files carry the same value
SAME_FIELDS = ("kind", "item", "section", "audience", "template_id", "form", "items", "policy", "text",
               "validity", "supersedes", "superseded_by", "search", "hide", "history", "planner")


@dataclass
class Token:
    kind: str      # heading, citation, template, marker
    value: str
    line: int

    def __str__(self) -> str:
        return {"heading": f"heading {{#{self.value}}}", "citation": f"citation [[{self.value}]]",
                "template": f"template link {self.value}.md", "marker": f"marker <!-- {self.value} -->"}[self.kind]


def structure(text: str, rel: str) -> list[Token]:
    """Heading ids, citations, template links and markers of a page, in reading order."""
    tokens: list[Token] = []
    in_templates = rel.startswith("templates/")
    for n, line in prose_lines(*split_body(text)):
        if m := HEADING_ID_RE.match(line):
            tokens.append(Token("heading", m.group(2), n))
        if m := MARKER_RE.match(line.strip()):
            tokens.append(Token("marker", m.group(1), n))
        for m in CITE_RE.finditer(line):
            tokens.append(Token("citation", m.group(1), n))
        for m in TEMPLATE_LINK_RE.finditer(line):
            target = m.group(0)
            if "templates/" in target or in_templates:
                tokens.append(Token("template", m.group(1), n))
    return tokens


def front_matter(text: str) -> dict:
    m = FRONT_MATTER_RE.match(text)
    return (yaml.load(m.group(1) or "", Loader=LOADER) or {}) if m else {}


def parity(zh_rel: str, zh_text: str, en_rel: str, en_text: str,
           zh_meta: dict | None = None, en_meta: dict | None = None) -> list[Problem]:
    """Problems if the English page's structure differs from the Chinese page's
    (front matter already parsed by the caller may be passed in)."""
    problems: list[Problem] = []
    zh_meta = front_matter(zh_text) if zh_meta is None else zh_meta
    en_meta = front_matter(en_text) if en_meta is None else en_meta
    for key in SAME_FIELDS:
        if zh_meta.get(key) != en_meta.get(key):
            problems.append(Problem(f"docs/{en_rel}", 1, f"front matter '{key}' is {en_meta.get(key)!r}, "
                                    f"but docs/{zh_rel} has {zh_meta.get(key)!r}",
                                    "these values are not translated: copy them from the Chinese page"))
    quoted = lambda meta: [(q.get("article"), q.get("level")) for q in meta.get("quotes") or [] if isinstance(q, dict)]
    if quoted(zh_meta) != quoted(en_meta):
        problems.append(Problem(f"docs/{en_rel}", 1, f"front matter 'quotes' lists articles and levels "
                                f"{quoted(en_meta)}, but docs/{zh_rel} has {quoted(zh_meta)}",
                                "keep the same article numbers and levels (甲/乙/丙/丁) in the same order; "
                                "translate only the caveat and the source"))
    tags = glossary()["tags"]
    want = [tags.get(t, t) for t in zh_meta.get("tags") or []]
    if (en_meta.get("tags") or []) != want:
        problems.append(Problem(f"docs/{en_rel}", 1, f"tags are {en_meta.get('tags')!r}, expected {want!r}",
                                "use the English tags of scripts/guide/glossary.yml (tags:), in the Chinese page's order"))
    a, b = structure(zh_text, zh_rel), structure(en_text, en_rel)
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else None
        y = b[i] if i < len(b) else None
        if x and y and (x.kind, x.value) == (y.kind, y.value):
            continue
        if x is None:
            msg = f"the English page has an extra {y} at line {y.line}; the Chinese page ends before it"
            where = y.line
        elif y is None:
            msg = f"the English page lacks {x} (docs/{zh_rel}:{x.line}); its structure ends early"
            where = None
        else:
            msg = f"structure differs from docs/{zh_rel}: line {y.line} has {y}, where the Chinese page has {x} (line {x.line})"
            where = y.line
        problems.append(Problem(f"docs/{en_rel}", where, msg,
                                "keep the same headings (ids), citations, template links and markers, "
                                "in the same order, as the Chinese page"))
        break
    return problems


# --------------------------------------------------------------------------- glossary

@lru_cache(maxsize=1)
def glossary() -> dict:
    return yaml.load(sources.read(GLOSSARY_FILE), Loader=LOADER)


@lru_cache(maxsize=1)
def _avoided() -> tuple[re.Pattern, dict[str, dict]]:
    """One pattern for every avoided form (longest first), and the term each belongs to."""
    forms = {bad.lower(): term for term in glossary()["terms"] for bad in term.get("avoid", [])}
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![a-z])(?:{alternatives})(?![a-z])"), forms


def glossary_problems(rel: str, text: str) -> list[Problem]:
    """An English page must not use a form the glossary says to avoid."""
    pattern, forms = _avoided()
    problems = []
    lower = text.lower()                         # matched case-blind
    for m in pattern.finditer(lower):
        bad, term = m.group(0), forms[m.group(0)]
        problems.append(Problem(f"docs/{rel}", lower.count("\n", 0, m.start()) + 1,
                                f"'{bad}' is not the glossary's translation of {term['zh']}",
                                f"write '{term['en']}' (scripts/guide/glossary.yml)"))
    return problems


def glossary_terms_in(zh_text: str) -> list[dict]:
    """Glossary terms a Chinese text uses, longest match first (女职工委员会 is not also 女职工)."""
    terms = sorted(glossary()["terms"], key=lambda t: -len(t["zh"]))
    found, i = [], 0
    while i < len(zh_text):
        for term in terms:
            if zh_text.startswith(term["zh"], i):
                if term not in found:
                    found.append(term)
                i += len(term["zh"])
                break
        else:
            i += 1
    return found


# --------------------------------------------------------------------------- policy skeletons

def _heading(line: str) -> str:
    m = re.match(r"^(#{2,4}) (.+?) \{#([a-z0-9-]+)\}$", line)
    if not m:
        return line
    level, text, ident = m.groups()
    if ident == "preamble":
        text = "Title and history"
    elif ident == "text":
        text = "Text"
    elif ident == "annex":
        text = "Annex"
    elif p := re.fullmatch(r"point-(\d+)", ident):
        text = f"Point {p.group(1)}"
    elif (x := re.fullmatch(r"annex-(\d+)", ident)) and text.startswith("附件"):
        text = f"Annex {x.group(1)}"
    elif a := re.fullmatch(r"art-(\d+)", ident):
        text = f"Article {a.group(1)}"
    elif c := re.fullmatch(r"ch-(\d+)", ident):
        text = f"Chapter {c.group(1)} " + re.sub(r"^第[^章]+章\s*", "", text)
    elif s := re.fullmatch(r"ch-\d+-sec-(\d+)", ident):
        text = f"Section {s.group(1)} " + re.sub(r"^第[^节]+节\s*", "", text)
    return f"{level} {text} {{#{ident}}}"


def policy_skeleton(zh_text: str) -> str:
    """The English page of a policy: the Chinese front matter and text under English headings."""
    m = FRONT_MATTER_RE.match(zh_text)
    head, body = zh_text[: m.end()], zh_text[m.end():]
    return head + "\n".join(_heading(line) for line in body.splitlines()) + "\n"


LETTER_RE = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=None)
def _chinese(text: str) -> bool:
    """Mostly Chinese: more than a third of the letters are Han characters."""
    letters = len(LETTER_RE.findall(text))
    return letters > 0 and len(HAN_RE.findall(text)) > letters / 3


def untranslated(paragraphs: list[str]) -> bool:
    """An article is untranslated while its text is still Chinese."""
    return bool(paragraphs) and all(_chinese(p) for p in paragraphs)


def half_translated(paragraphs: list[str]) -> bool:
    """Some paragraphs English, some still Chinese: never published."""
    return any(_chinese(p) for p in paragraphs) and not untranslated(paragraphs)
