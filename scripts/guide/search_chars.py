"""Material's search index, made to fit the guide: one index per language, the articles the guide cites,
page keywords and single characters.

Articles: the policy pages hold whole laws; search holds the guide's pages and the articles that a
page or a planner cites (the others are marked data-search-exclude by markers.with_backlinks, so
Material's search plugin never segments them). They stay on their pages (find them with the
browser's find-in-page), in the PDF and the offline copy. This keeps the Chinese index, which every
first visit downloads, at about 150 KB gzip.

Segmentation marks: Material puts U+200B between jieba's words; next to punctuation or a space it
separates nothing that the separator does not already separate, and is dropped (squeeze).

Keywords: the `keywords` of a page's front matter (the other words readers use:
二胎 for 二孩, 暑托班 for 子女托管) go into a `keywords` field of the page's entry,
weighted in mkdocs.yml, so a synonym finds the page without being repeated in its text.

Characters: Material's search splits a Chinese query into words it finds in the index.
When a query starts with a character that begins no indexed word (老公陪产假几天: no page
says 老公), it gives up and finds nothing at all. Adding one low-weight field that
lists single characters (those of the site plus jieba's 3,500 most frequent) to the
home page's entry gives the splitter a foothold for every character, so such
questions still find the pages that match their other words.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path

import jieba

FIELD = "chars"
KEYWORDS = "keywords"
HAN = re.compile(r"[\u4e00-\u9fff]")
SPLIT = re.compile(r"[\s\u200b\u3000\-、。，．？！；：,.:;!?（）()《》“”<>/]+")   # as mkdocs.yml's separator, plus tags


@lru_cache(maxsize=1)
def common_characters(count: int = 3500, cache_dir: Path | None = None) -> frozenset[str]:
    """The `count` most frequent single-character words of jieba's dictionary
    (kept in `cache_dir`, by jieba version, so a build does not read the dictionary each time)."""
    cached = cache_dir / f"jieba-{jieba.__version__}-chars-{count}.txt" if cache_dir else None
    if cached and cached.exists():
        return frozenset(cached.read_text(encoding="utf-8"))
    singles = []
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            word, freq = line.split()[:2]
            if len(word) == 1 and HAN.match(word):
                singles.append((int(freq), word))
    chars = frozenset(w for _, w in sorted(singles, reverse=True)[:count])
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text("".join(sorted(chars)), encoding="utf-8")
    return chars


# U+200B beside a separator character: the separator of mkdocs.yml splits there anyway, so the mark
# changes no word of the index.
_SEPARATOR_CHAR = r"[\s\u3000\-、。，．？！；：,.:;!?（）()《》“”]"
_LONE_MARK = re.compile(rf"\u200b+(?={_SEPARATOR_CHAR})|(?<={_SEPARATOR_CHAR})\u200b+")


# Under `docs.py live` each save rewrites the index; an entry whose text did not change is not
# scanned again (the module stays loaded between rebuilds).
_SQUEEZED: dict[str, str] = {}
_CHARACTERS: dict[str, tuple[frozenset, frozenset]] = {}


def squeeze(text: str) -> str:
    if text not in _SQUEEZED:
        if len(_SQUEEZED) > 20000:
            _SQUEEZED.clear()
        _SQUEEZED[text] = _LONE_MARK.sub("", text)
    return _SQUEEZED[text]


def _characters(text: str) -> tuple[frozenset, frozenset]:
    """The Chinese characters of an entry, and the one-character words it holds."""
    if text not in _CHARACTERS:
        if len(_CHARACTERS) > 20000:
            _CHARACTERS.clear()
        _CHARACTERS[text] = (frozenset(HAN.findall(text)), frozenset(w for w in SPLIT.split(text) if len(w) == 1))
    return _CHARACTERS[text]


def finish(index_file: Path, keywords: dict[str, list[str]], cache_dir: Path | None = None,
           languages: tuple[str, ...] = ("en",)) -> dict[str, int]:
    """Material's index as the build leaves it → the guide's indexes, read once and written once per
    language: enrich, then split_by_language. Returns the number of entries per index."""
    data = json.loads(index_file.read_text(encoding="utf-8"))
    enrich(data, keywords, cache_dir)
    return split_by_language(index_file, data, languages)


def enrich(data: dict, keywords: dict[str, list[str]], cache_dir: Path | None = None) -> int:
    """Add keywords (by page location) and the character field to the index `data`; returns the
    number of characters."""
    docs = data["docs"] = list({doc["location"]: doc for doc in data["docs"]}.values())   # one entry per location
    for doc in docs:
        if doc["location"] in keywords:
            doc[KEYWORDS] = "\u200b".join(w for word in keywords[doc["location"]] for w in jieba.cut(word))
    for doc in docs:
        for key in ("title", "text"):
            if isinstance(doc.get(key), str):
                doc[key] = squeeze(doc[key])
    chars = set(common_characters(cache_dir=cache_dir))
    words: set[str] = set()       # what the index already holds as a word of its own needs no foothold
    for doc in docs:
        found, single = _characters(doc.get("title", "") + "\u200b" + doc.get("text", ""))
        chars |= found
        words |= single
    chars -= words
    home = next((doc for doc in docs if doc["location"] == ""), docs[0])
    home[FIELD] = " ".join(sorted(chars))
    return len(chars)


def split_by_language(index_file: Path, data: dict, languages: tuple[str, ...] = ("en",)) -> dict[str, int]:
    """One search index per language: the entries under `en/` move to en/search/search_index.json, with
    their locations made relative to en/ (the English pages' search looks there: see ENGLISH_BASE_RE
    in hooks.py). The Chinese index keeps the rest. Returns the number of entries per index."""
    counts = {}
    for lang in languages:
        prefix = lang + "/"
        mine = [doc for doc in data["docs"] if doc["location"].startswith(prefix)]
        data["docs"] = [doc for doc in data["docs"] if not doc["location"].startswith(prefix)]
        out = index_file.parent.parent / lang / "search" / index_file.name
        out.parent.mkdir(parents=True, exist_ok=True)
        part = {**data, "docs": [{**doc, "location": doc["location"][len(prefix):]} for doc in mine]}
        write(out, part)
        counts[lang] = len(mine)
    write(index_file, data)
    counts["zh"] = len(data["docs"])
    return counts


def write(index_file: Path, data: dict) -> None:
    """The index, and beside it the copy the offline plugin loads as a script from file:// (when built)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    index_file.write_text(text, encoding="utf-8")
    if os.environ.get("GUIDE_OFFLINE", "false").lower() == "true" or index_file.with_suffix(".js").exists():
        index_file.with_suffix(".js").write_text("var __index = " + text, encoding="utf-8")
