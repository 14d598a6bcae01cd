"""All content checks, behind one entry point: `check_site`.

The MkDocs hooks, `docs.py check` and the fuzz test (tests/test_fuzz.py) call it. It never raises
for anything an editor can write: every mistake becomes a `Problem` with the file, the line, what
is wrong and what to do. A problem is reported on the page where it was made; the comparison of a
Chinese page with its English page runs only when both pages are valid on their own, so one slip is
not reported twice.

Order: each page on its own (front matter, encoding, skeleton, typography, raw HTML, markers,
heading ids, fences, admonitions, tags), then what needs the whole site (citations, the planners'
rules, the English parity).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from guide import citations, content_model, planner, skeleton, sources, templates, translation
from guide.content_model import Problem, prose_lines, split_body

MARKER_RE = re.compile(r"^<!-- guide:([a-z-]+) -->$", re.M)
HEADING_LEVEL_RE = re.compile(r"^(#{1,6}) ")
HEADING_ID_RE = re.compile(r"^#{1,6} .*\{#([A-Za-z0-9_-]+)[^}]*\}\s*$")
FENCE_RE = re.compile(r"^\s*(```|~~~)")
ADMONITION_RE = re.compile(r"^(\s*)(?:!!!|\?\?\?\+?)\s*([A-Za-z-]*)")


@dataclass
class Result:
    pages: dict[str, dict] = field(default_factory=dict)
    library: citations.Library = field(default_factory=citations.Library)
    rules: planner.Rules = field(default_factory=planner.Rules)
    problems: list[Problem] = field(default_factory=list)


def check_site(docs_dir: Path, notice_sections: dict[int, int], markers: set[str],
               cache_dir: Path | None = None) -> Result:
    """Check every source under docs_dir. `notice_sections`: item number → section number, from the notice;
    `markers`: the names a `<!-- guide:NAME -->` line may use; `cache_dir`: where the results of the
    per-page checks are kept between builds (see _remembered)."""
    _load_remembered(cache_dir)
    try:
        return _check_site(docs_dir, notice_sections, markers)
    finally:
        _save_remembered(cache_dir)


def _check_site(docs_dir: Path, notice_sections: dict[int, int], markers: set[str]) -> Result:
    result = Result()
    if problems := glossary_problems():
        result.problems = problems
        return result
    pages, problems = content_model.check_tree(docs_dir, notice_sections)
    texts: dict[str, str] = {}
    for rel in pages:
        texts[rel] = sources.read(docs_dir / rel)     # check_tree has read each valid page already
    invalid = {p.path.removeprefix("docs/") for p in problems}    # front matter already reported
    stamp = hashlib.sha256(translation.GLOSSARY_FILE.read_bytes() + repr(sorted(markers)).encode()).hexdigest()
    for rel, data in sorted(pages.items()):
        if rel not in invalid:
            problems += _remembered(("page", rel, texts[rel], stamp), lambda: page_problems(rel, texts[rel], data, markers))
    broken = {p.path.removeprefix("docs/") for p in problems}
    result.pages, result.problems = pages, problems
    if problems:
        # the site-wide checks need every page readable: report what each page has first
        result.problems += parity_problems(pages, texts, broken)
        return result
    library = citations.Library.load(docs_dir, pages)
    problems += library.scan(docs_dir, pages)
    rules, rule_problems = planner.load(docs_dir)
    problems += rule_problems or planner.check_citations(rules, library)
    problems += planner.check_pages(docs_dir, pages)
    planner.backlinks(rules, library)
    problems += parity_problems(pages, texts, {p.path.removeprefix("docs/") for p in problems})
    if not problems:
        problems += library.translation_problems(docs_dir)
    result.library, result.rules, result.problems = library, rules, problems
    return result


def glossary_problems() -> list[Problem]:
    """The glossary (scripts/guide/glossary.yml) must be readable: tags and translations come from it."""
    rel = "scripts/guide/glossary.yml"
    translation.glossary.cache_clear()        # read afresh: under `docs.py live` it may have been edited
    translation._avoided.cache_clear()
    try:
        data = translation.glossary()
    except sources.EncodingProblem as err:
        return [Problem(rel, err.line, f"the file is not saved as UTF-8: {err.found}", err.hint)]
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        return [Problem(rel, mark.line + 1 if mark else None, f"not valid YAML ({getattr(err, 'problem', err)})",
                        "check indentation and quoting; compare with the lines around it")]
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list) or not isinstance(data.get("tags"), dict):
        return [Problem(rel, None, "the glossary must have 'terms:' (a list) and 'tags:' (Chinese tag: English tag)",
                        "restore the file from git and make the change again")]
    return []


def page_problems(rel: str, text: str, data: dict, markers: set[str]) -> list[Problem]:
    """What can be wrong with one page on its own."""
    problems: list[Problem] = []
    if data["kind"] == "template":
        problems += templates.check_source(rel, text, data)
    if data["kind"] == "item":
        problems += skeleton.check_item(rel, text, data)
    if rel.startswith(skeleton.GUIDANCE_DIRS):
        problems += skeleton.check_legal_numbers(rel, text)
    if data["kind"] not in ("policy", "notice") or data.get("text") == "facts":
        problems += skeleton.check_typography(rel, text)   # English pages: look-alike and invisible characters
    problems += skeleton.check_raw_html(rel, text)
    problems += structure_problems(rel, text)
    problems += tag_problems(rel, data)
    for m in MARKER_RE.finditer(text):
        if m.group(1) not in markers:
            problems.append(Problem(f"docs/{rel}", text[: m.start()].count("\n") + 1,
                                    f"unknown marker 'guide:{m.group(1)}'", f"use one of {sorted(markers)}"))
    return problems


def structure_problems(rel: str, text: str) -> list[Problem]:
    """Heading ids used twice, code fences never closed, admonitions with nothing inside."""
    problems = []
    body, offset = split_body(text)
    seen: dict[str, int] = {}
    level = 1               # the page's title is its h1 (written, or added by the build)
    for n, line in prose_lines(body, offset):
        if m := HEADING_LEVEL_RE.match(line):
            if len(m.group(1)) > level + 1:
                problems.append(Problem(f"docs/{rel}", n, f"this heading is level {len(m.group(1))} "
                                        f"({m.group(1)}) but the one before it is level {level}",
                                        f"use {'#' * (level + 1)}: a heading goes one level below the one "
                                        f"before it at most (screen readers list them as an outline)"))
            level = len(m.group(1))
        if m := HEADING_ID_RE.match(line):
            ident = m.group(1)
            if ident in seen:
                problems.append(Problem(f"docs/{rel}", n, f"heading id '#{ident}' is used twice on this page "
                                        f"(first at line {seen[ident]})",
                                        "give each heading its own id: links to #" + ident + " can reach only one"))
            seen.setdefault(ident, n)
    lines = body.splitlines()
    fence = None
    for n, line in enumerate(lines, offset + 1):
        if m := FENCE_RE.match(line):
            fence = None if fence else (n, m.group(1))
    if fence:
        problems.append(Problem(f"docs/{rel}", fence[0], f"the code block opened here with {fence[1]} is never closed",
                                f"end it with a line {fence[1]}, or remove the opening line"))
    inside = False
    for i, line in enumerate(lines):
        if FENCE_RE.match(line):
            inside = not inside
        if inside or not (m := ADMONITION_RE.match(line)):
            continue
        if not m.group(2):
            problems.append(Problem(f"docs/{rel}", offset + i + 1, "a box (!!! or ???) without its type",
                                    'write the type after the marks, e.g. !!! note "标题" or !!! history "2020年以后的变化"'))
            continue
        following = next((l for l in lines[i + 1:] if l.strip()), "")
        if len(following) - len(following.lstrip()) <= len(m.group(1)):
            problems.append(Problem(f"docs/{rel}", offset + i + 1, "a box (!!! or ???) with nothing inside",
                                    "indent the box's text by four spaces under the !!! line, after an empty line"))
    return problems


def tag_problems(rel: str, data: dict) -> list[Problem]:
    """Tags from the list in mkdocs.yml: Chinese tags on Chinese pages, their English forms on English pages."""
    tags = data.get("tags")
    if not isinstance(tags, list):
        return []
    english = translation.glossary()["tags"]
    allowed = list(english.values()) if rel.endswith(".en.md") else list(english)
    bad = [t for t in tags if t not in allowed]
    if not bad:
        return []
    return [Problem(f"docs/{rel}", data.get("__lines__", {}).get("tags"), f"tag(s) {bad} are not in the list of tags",
                    f"use only {allowed} (mkdocs.yml, tags_allowed)")]


def parity_problems(pages: dict[str, dict], texts: dict[str, str], broken: set[str]) -> list[Problem]:
    """Every page has an English page of the same structure, in the glossary's words; a pair is compared
    only when neither page has a problem of its own."""
    problems = []
    glossary = hashlib.sha256(translation.GLOSSARY_FILE.read_bytes()).hexdigest()
    for rel in sorted(pages):
        if rel in broken:
            continue
        if rel.endswith(".en.md"):
            problems += _remembered(("glossary", rel, texts[rel], glossary),
                                    lambda: translation.glossary_problems(rel, texts[rel]))
            continue
        en = rel[:-3] + ".en.md"
        if en in broken:
            continue
        if en not in pages:
            problems.append(Problem(
                f"docs/{rel}", None, f"no English page docs/{en}",
                "translate the page into docs/" + en + " (same headings, citations and template links); "
                "every page exists in both languages"))
            continue
        problems += _remembered(("parity", rel, texts[rel], en, texts[en], glossary),
                                lambda: translation.parity(rel, texts[rel], en, texts[en], pages[rel], pages[en]))
    return problems


# A page's own problems and a pair's parity depend only on their text and the glossary, so they are
# remembered by a digest of that text: under `docs.py live` in memory between rebuilds (the modules
# under guide/ stay loaded), and between builds in the cache folder (.cache/checks-CODE.pickle, where
# CODE is a digest of the checks' own source, so a changed check never reuses an old answer).
_REMEMBERED: dict[str, list[Problem]] = {}
_SAVED = {"count": -1}
_CODE = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(Path(__file__).parent.glob("*.py")))).hexdigest()[:16]


def _remembered(key: tuple, check) -> list[Problem]:
    digest = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()
    if digest not in _REMEMBERED:
        if len(_REMEMBERED) > 5000:
            _REMEMBERED.clear()
        _REMEMBERED[digest] = check()
    return list(_REMEMBERED[digest])


def _cache_file(cache_dir: Path) -> Path:
    return cache_dir / f"checks-{_CODE}.pickle"


def _load_remembered(cache_dir: Path | None) -> None:
    if cache_dir is None or _REMEMBERED:
        return
    try:
        _REMEMBERED.update(pickle.loads(_cache_file(cache_dir).read_bytes()))
    except (OSError, pickle.PickleError, EOFError, AttributeError, TypeError, ValueError):
        pass                     # no cache yet, or an unreadable one: check everything
    _SAVED["count"] = len(_REMEMBERED)


def _save_remembered(cache_dir: Path | None) -> None:
    if cache_dir is None or len(_REMEMBERED) == _SAVED["count"]:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = _cache_file(cache_dir).with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(_REMEMBERED))
        os.replace(tmp, _cache_file(cache_dir))
        _SAVED["count"] = len(_REMEMBERED)
    except OSError:
        pass                     # a read-only checkout: the checks still ran
