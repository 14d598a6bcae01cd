"""Reading the files editors write, the way Windows editors save them.

Notepad saves UTF-8 with a byte-order mark and CRLF line ends; older editors save CR. Every source
the build reads (pages, the notice, YAML, the glossary) goes through `read`: the mark is dropped and
line ends become LF, so such a file builds exactly like a clean one. A file saved as GBK/GB18030
(Notepad's "ANSI" on Chinese Windows) is not guessed at: the build stops and says how to save it as
UTF-8, or to run `python scripts/docs.py fix-encoding FILE`.
"""

from __future__ import annotations

from pathlib import Path

BOM = b"\xef\xbb\xbf"


class EncodingProblem(ValueError):
    """A source that is not UTF-8: where the first undecodable byte is, and what it looks like."""

    def __init__(self, path: Path, line: int, found: str):
        self.path, self.line, self.found = path, line, found
        super().__init__(f"line {line}: the file is not saved as UTF-8 ({found})")

    @property
    def hint(self) -> str:
        return (f"save it as UTF-8: in Notepad, 文件 → 另存为 → 编码 UTF-8; in WPS, 另存为 → 编码 UTF-8; "
                f"or run: python scripts/docs.py fix-encoding {self.path}")


def detect(data: bytes) -> str:
    """'utf-8', 'utf-8-sig' (with a byte-order mark), 'gb18030' (GBK and its superset), or 'unknown'."""
    for name in ("utf-8-sig" if data.startswith(BOM) else "utf-8", "gb18030"):
        try:
            data.decode(name)
            return name
        except UnicodeDecodeError:
            continue
    return "unknown"


def decode(data: bytes, path: Path) -> str:
    if data.startswith(BOM):
        data = data[len(BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        found = detect(data)
        raise EncodingProblem(path, line, "it looks like GBK/GB18030, Notepad's “ANSI” on Chinese Windows"
                              if found == "gb18030" else "an encoding the build cannot read") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read(path: Path | str) -> str:
    """The text of a source file: UTF-8, byte-order mark dropped, line ends LF."""
    path = Path(path)
    return decode(path.read_bytes(), path)


def fix(path: Path, write: bool) -> str | None:
    """What converting `path` to plain UTF-8 with LF line ends changes (None: nothing), done if `write`."""
    data = path.read_bytes()
    found = detect(data)
    if found == "unknown":
        return "cannot tell the encoding: open it in an editor and save it as UTF-8"
    text = data.decode(found)
    changes = []
    if found == "gb18030":
        changes.append("GBK/GB18030 → UTF-8")
    if found == "utf-8-sig":
        changes.append("byte-order mark removed")
    if "\r" in text:
        changes.append("CRLF/CR line ends → LF")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not changes:
        return None
    if write:
        path.write_bytes(text.encode("utf-8"))
    return ", ".join(changes)
