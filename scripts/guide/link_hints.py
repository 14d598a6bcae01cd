"""MkDocs' own warnings about broken links, given the source line and what to do."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from guide import content_model, sources


class LinkHints(logging.Filter):
    """Add the source line and a hint to MkDocs' link warnings."""

    LINK_RE = re.compile(r"Doc file '([^']+)' contains (?:a link|an absolute link|an unrecognized relative link) '([^']*)'")

    def __init__(self, docs_dir: Path):
        super().__init__()
        self.docs_dir = docs_dir

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        m = self.LINK_RE.search(msg)
        if m and "→" not in msg:
            src, target = m.groups()
            line = None
            try:
                for n, text in enumerate(sources.read(self.docs_dir / src).splitlines(), 1):
                    if f"({target}" in text or f"]: {target}" in text or f'"{target}"' in text:
                        line = n
                        break
            except (OSError, ValueError):   # unreadable file: the content checks report it
                pass
            where = f"docs/{src}:{line}" if line else f"docs/{src}"
            record.msg = (f"{where}: 链接或图片的目标不存在：{target}\n    {msg}\n"
                          f"    → fix the path (relative to this file; pages end in .md), create the missing page or "
                          f"image, or correct the #anchor (explicit ids: '## 标题 {{#id}}') (examples: {content_model.HANDBOOK})")
            record.args = ()
        return True


def install(docs_dir: Path) -> None:
    logger = logging.getLogger("mkdocs.structure.pages")
    for f in list(logger.filters):
        if isinstance(f, LinkHints):
            logger.removeFilter(f)
    logger.addFilter(LinkHints(docs_dir))
