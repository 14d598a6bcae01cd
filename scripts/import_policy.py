#!/usr/bin/env python3
"""Import a regulation's text into the policy library as a page of the site.

    python scripts/import_policy.py TEXT.txt --meta META.yml [--force]

TEXT.txt: the regulation as copied from an official gazette or website, UTF-8:
the title and adoption/amendment lines first, then `第一章 …` chapter lines
(optional), `第一节 …` (optional), `第一条 …` articles (an article may run over
several paragraphs), and optionally `附录` with parts `一、…`. A reference file
of ../shared/policies (with its header and marker line) is accepted too.

META.yml: the page's header fields (see scripts/guide/policy-meta.example.yml), and two
import settings that are not written to the page:
  joins:  {art-37: [劳动定额]}   paragraph breaks of the transcription that split a word, to join
          (the import warns about every break inside a sentence; each join is added to `doubts`)
  tables: retirement-2024       the annex tables are rebuilt by guide/retirement.py and checked
          against the surviving cells of the source (a lossy conversion)

The script checks the numbering (no gap, no repeat: the import stops and names
the line), trims whitespace, warns about half-width punctuation, look-alike and
invisible characters, and writes docs/policies/<policy>.md. Review the warnings
against the official text, then run `python scripts/docs.py check`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from guide import policies, retirement, sources  # noqa: E402

REQUIRED = ("policy", "title", "issuer", "number", "adopted", "promulgated", "effective",
            "version", "validity", "source")


TABLES = {"retirement-2024": "guide/retirement.py: rebuilt from 《办法》第一条、第二条"}


def retirement_table(article: policies.Article) -> str:
    """附件N of the 2024 retirement decision: rebuilt from the rule, checked against the source."""
    annex = int(str(article.number)[6:])
    try:
        checked = retirement.check_source(annex, article.table)
    except ValueError as err:
        raise policies.ImportProblem(f"{err}: the source and the rule disagree; check the official text") from err
    return retirement.render(annex, checked)


def build_page(text: str, meta: dict) -> tuple[str, list[str], policies.Document]:
    meta = dict(meta)
    joins, tables = meta.pop("joins", None) or {}, meta.pop("tables", None)
    missing = [key for key in REQUIRED if not meta.get(key)]
    if missing:
        raise policies.ImportProblem(f"metadata is missing {missing}")
    if tables not in (None, *TABLES):
        raise policies.ImportProblem(f"tables: {tables!r} is unknown; use one of {sorted(TABLES)} or leave it out")
    doc, warnings = policies.parse_plain(text, joins)
    front = {"kind": "policy", "text": "full", **meta,
             "reviewed": meta.get("reviewed", dt.date.today())}
    if doc.joined:
        front["doubts"] = [*(front.get("doubts") or []), *doc.joined]
    header = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    body = policies.render_body(doc, retirement_table if tables else None)
    return f"---\n{header}---\n\n{body}", warnings, doc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("text", type=Path)
    parser.add_argument("--meta", type=Path, required=True)
    parser.add_argument("--force", action="store_true", help="overwrite an existing page")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "docs/policies")
    args = parser.parse_args(argv)
    try:   # a text saved by Notepad (BOM, CRLF) reads like any other; GBK stops with the fix
        meta_text, text = sources.read(args.meta), sources.read(args.text)
    except sources.EncodingProblem as err:
        print(f"{err.path}:{err.line}: the file is not saved as UTF-8 ({err.found})\n    → {err.hint}", file=sys.stderr)
        return 1
    meta = {k: v for k, v in yaml.safe_load(meta_text).items() if v not in ("", None, [])}
    try:
        page, warnings, doc = build_page(text, meta)
    except policies.ImportProblem as err:
        print(f"{args.text}: {err}\n    → fix the text (compare with the official version) and run the import again",
              file=sys.stderr)
        return 1
    for warning in warnings:
        print(f"{args.text}: warning: {warning}", file=sys.stderr)
    out = args.out_dir / f"{meta['policy']}.md"
    if out.exists() and not args.force:
        print(f"{out} exists; use --force to replace it", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    count = sum(isinstance(a.number, int) for a in doc.articles)
    print(f"Wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: {count} articles, "
          f"{len(doc.articles) - count} annex parts or points, {len(warnings)} warning(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
