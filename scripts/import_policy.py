#!/usr/bin/env python3
"""Import a regulation's text into the policy library as a page of the site.

    python scripts/import_policy.py TEXT.txt --meta META.yml [--force]

TEXT.txt: the regulation as copied from an official gazette or website, UTF-8:
the title and adoption/amendment lines first, then `第一章 …` chapter lines
(optional), `第一节 …` (optional), `第一条 …` articles (an article may run over
several paragraphs), and optionally `附录` with parts `一、…`. A reference file
of ../shared/policies (with its header and marker line) is accepted too.

META.yml: the page's header fields (see scripts/guide/policy-meta.example.yml).

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

from guide import policies  # noqa: E402

REQUIRED = ("policy", "title", "issuer", "number", "adopted", "promulgated", "effective",
            "version", "validity", "source")


def build_page(text: str, meta: dict) -> tuple[str, list[str], policies.Document]:
    missing = [key for key in REQUIRED if not meta.get(key)]
    if missing:
        raise policies.ImportProblem(f"metadata is missing {missing}")
    doc, warnings = policies.parse_plain(text)
    front = {"kind": "policy", "text": "full", **meta,
             "reviewed": meta.get("reviewed", dt.date.today())}
    header = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{header}---\n\n{policies.render_body(doc)}", warnings, doc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("text", type=Path)
    parser.add_argument("--meta", type=Path, required=True)
    parser.add_argument("--force", action="store_true", help="overwrite an existing page")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "docs/policies")
    args = parser.parse_args(argv)
    meta = {k: v for k, v in yaml.safe_load(args.meta.read_text(encoding="utf-8")).items() if v not in ("", None, [])}
    try:
        page, warnings, doc = build_page(args.text.read_text(encoding="utf-8"), meta)
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
          f"{len(doc.articles) - count} annex parts, {len(warnings)} warning(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
