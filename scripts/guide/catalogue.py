"""The catalogue of error messages on the editor's handbook (docs/about/editing.md, marker
`<!-- guide:error-catalogue -->`).

Each entry is a real mistake made to a real page. At build time the mistake is made on a copy of
that page's text and run through the checks themselves (guide/checks.py, the citation library); the
message shown is the message the checks print. If a check changes so that an entry no longer gives
its message, the build stops: the catalogue cannot drift from the checks.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from guide import checks, citations, content_model, sources
from guide.content_model import Problem

HANDBOOK = "docs/about/editing.md"


@dataclass(frozen=True)
class Entry:
    anchor: str
    title: dict            # zh, en
    page: str              # the page the example breaks
    old: str
    new: str
    expect: str            # a part of the message the checks must give
    fix: dict              # zh, en
    show_typed: bool = False   # show what was typed, not the line the message names (YAML finds it later)


ENTRIES = [
    Entry("e-yaml", {"zh": "头部字段写错格式", "en": "Front matter that is not valid YAML"},
          "items/06-needs-survey.md", "audience: [会员, 工会干部]", "audience: [会员, 工会干部", "not valid YAML",
          {"zh": "把括号、引号补齐；值里有“: ”或“#”的，整个值加引号。",
           "en": "Close the bracket or quote; a value containing ': ' or '#' goes in quotes."}, show_typed=True),
    Entry("e-date", {"zh": "日期不存在", "en": "A date that does not exist"},
          "items/06-needs-survey.md", "reviewed: 2026-", "reviewed: 2026-13-45\n# ", "is not a real date",
          {"zh": "按“年-月-日”写真实的日期，例如2026-11-29。", "en": "Write a real date as YYYY-MM-DD, e.g. 2026-11-29."}),
    Entry("e-value", {"zh": "字段的值不对", "en": "A field with the wrong kind of value"},
          "items/06-needs-survey.md", "reviewed: 20", "reviewed: 上个月\n# 20", "field 'reviewed'",
          {"zh": "按内容模型页写值：日期写成2026-11-29，不写“上个月”。",
           "en": "Write the value as the content model says: a date is 2026-11-29, not 'last month'."}),
    Entry("e-twice", {"zh": "同一个字段写了两次", "en": "A field written twice"},
          "items/06-needs-survey.md", "section: 3\n", "section: 3\nsection: 3\n", "is written twice",
          {"zh": "删掉其中一行。", "en": "Delete one of the two lines."}),
    Entry("e-unknown-field", {"zh": "不认识的字段", "en": "An unknown field"},
          "items/06-needs-survey.md", "section: 3\n", "section: 3\nauthor: 张三\n", "unknown field 'author'",
          {"zh": "删掉这个字段，或改成内容模型页列出的字段。", "en": "Remove it, or use a field the content model lists."}),
    Entry("e-missing-field", {"zh": "缺少必填字段", "en": "A required field is missing"},
          "items/06-needs-survey.md", "section: 3\n", "", "missing required field 'section'",
          {"zh": "按提示补上这个字段。", "en": "Add the field the message names."}),
    Entry("e-no-front-matter", {"zh": "文件开头没有头部", "en": "No front matter at the top"},
          "about/index.md", "---\nkind: page\n", "kind: page\n---\n", "no front matter",
          {"zh": "文件第一行写“---”，接着写字段，再写一行“---”。",
           "en": "Start the file with '---', the fields, then '---'."}),
    Entry("e-encoding", {"zh": "文件不是UTF-8编码（记事本的“ANSI”）", "en": "A file not saved as UTF-8 (Notepad's 'ANSI')"},
          "about/index.md", "", "GBK", "not saved as UTF-8",
          {"zh": "另存为UTF-8编码，或运行 python scripts/docs.py fix-encoding 文件名。带BOM的UTF-8和Windows换行都可以。",
           "en": "Save as UTF-8, or run python scripts/docs.py fix-encoding FILE. UTF-8 with a BOM and Windows line ends are fine."}),
    Entry("e-script", {"zh": "页面里写了`<script>`等HTML", "en": "Raw `<script>` or other HTML in a page"},
          "items/06-needs-survey.md", "## 会员须知 {#for-members}\n", "## 会员须知 {#for-members}\n\n<script>alert(1)</script>\n",
          "raw HTML tag <script>",
          {"zh": "用Markdown写；页面不能带程序。", "en": "Write it in Markdown; pages carry no code."}),
    Entry("e-id-twice", {"zh": "同一页两个标题用了同一个编号", "en": "A heading id used twice on one page"},
          "items/06-needs-survey.md", "## 常见问题 {#faq}", "## 常见问题 {#summary}", "is used twice",
          {"zh": "给每个标题一个不同的编号，中英文页相同。", "en": "Give each heading its own id, the same in zh and en."}),
    Entry("e-heading-skip", {"zh": "标题跳级", "en": "A heading that skips a level"},
          "items/06-needs-survey.md", "## 常见问题 {#faq}", "#### 常见问题 {#faq}", "but the one before it is level",
          {"zh": "标题逐级往下：“##”下面用“###”，不要直接用“####”。",
           "en": "Go down one level at a time: under ## use ###, not ####."}),
    Entry("e-fence", {"zh": "代码块没有结束", "en": "A code block never closed"},
          "about/style-guide.md", "## 语言 {#language}\n", "## 语言 {#language}\n\n```\n", "never closed",
          {"zh": "补上结束的一行```，或删掉开头那一行。", "en": "Add the closing ``` line, or delete the opening one."}),
    Entry("e-box", {"zh": "提示框里没有内容", "en": "A box with nothing inside"},
          "about/style-guide.md", "## 语言 {#language}\n", "## 语言 {#language}\n\n!!! note \"注意\"\n\n正文没有缩进。\n",
          "with nothing inside", {"zh": "框里的文字每行前面空四格，和“!!!”行之间空一行。",
                                   "en": "Indent the box's text by four spaces, after an empty line."}),
    Entry("e-marker", {"zh": "不认识的标记", "en": "An unknown marker"},
          "items/index.md", "<!-- guide:items -->", "<!-- guide:itemz -->", "unknown marker",
          {"zh": "照提示改成列出的标记名。", "en": "Use one of the marker names listed."}),
    Entry("e-tag", {"zh": "标签不在允许的列表里", "en": "A tag that is not allowed"},
          "items/06-needs-survey.md", "tags: [", "tags: [女工, ", "not in the list of tags",
          {"zh": "只用列出的标签；英文页用对应的英文标签。", "en": "Use only the tags listed; English pages use their English forms."}),
    Entry("e-punctuation", {"zh": "中文之间用了半角标点", "en": "Half-width punctuation between Chinese characters"},
          "items/06-needs-survey.md", "## 会员须知 {#for-members}\n", "## 会员须知 {#for-members}\n\n会员,工会\n", "half-width",
          {"zh": "改成全角标点：，。；：？！", "en": "Use full-width punctuation: ，。；：？！"}),
    Entry("e-number", {"zh": "天数、金额没有注明依据", "en": "A number of days or yuan without its article"},
          "items/06-needs-survey.md", "## 常见问题 {#faq}", "## 假期 {#x-leave}\n\n可以休假15天。\n\n## 常见问题 {#faq}",
          "without a citation", {"zh": "在同一节里引用条文，例如`[[gwy-619:7]]`。", "en": "Cite the article in the same section, e.g. `[[gwy-619:7]]`."}),
    Entry("e-citation", {"zh": "引用了不存在的条文", "en": "A citation of an article that does not exist"},
          "items/06-needs-survey.md", "", "[[gwy-619:99]]", "has no article '99'",
          {"zh": "打开政策库里的那部规定，核对条号；附件写 annex-N。", "en": "Check the number on the policy page; annexes are annex-N."}),
    Entry("e-superseded", {"zh": "在历史框外引用了已被取代的文本", "en": "A superseded text cited outside a history box"},
          "items/06-needs-survey.md", "", "[[fnqybzf-2018:26]]", "no longer states the rule in force",
          {"zh": "改引现行文本；讲2020年时的规定的，放进 !!! history 框。",
           "en": "Cite the text in force now; to explain the 2020 rule, put it in a !!! history box."}),
    Entry("e-english", {"zh": "新页面没有英文页", "en": "A new page without its English page"},
          "about/index.md", "", "NO-ENGLISH", "no English page",
          {"zh": "建同名的 .en.md 文件：标题编号、引用、模板链接与中文页相同。",
           "en": "Create the .en.md file with the same heading ids, citations and template links."}),
]


_MESSAGES: dict[tuple, tuple[Problem, str]] = {}
_LIBRARY: list = [None]       # the library the messages were found with (one per build)


def message(entry: Entry, docs_dir: Path, library: citations.Library) -> tuple[Problem, str]:
    """The problem the checks report for this entry's mistake, and the line as typed (ValueError if the
    checks report no such problem). Remembered within a build: the Chinese and the English handbook
    show the same messages."""
    original = sources.read(docs_dir / entry.page)
    if _LIBRARY[0] is not library:
        _MESSAGES.clear()
        _LIBRARY[0] = library
    key = (entry.anchor, str(docs_dir), original)
    if key not in _MESSAGES:
        _MESSAGES[key] = _message(entry, docs_dir, library, original)
    return _MESSAGES[key]


def _message(entry: Entry, docs_dir: Path, library: citations.Library, original: str) -> tuple[Problem, str]:
    found: list[Problem] = []
    typed = entry.new
    if entry.new.startswith("[["):                       # a citation: the library's own check
        pol, art, error = library.resolve(*_split(entry.new))
        if error:
            found = [Problem(f"docs/{entry.page}", None, f"citation {entry.new}: {error[0]}", error[1])]
        elif pol.past:
            found = [library.past_problem(pol, entry.page, 1, entry.new)]
    elif entry.new == "NO-ENGLISH":
        data, _ = content_model.read_front_matter(docs_dir / entry.page, f"docs/{entry.page}")
        found = checks.parity_problems({entry.page: data}, {entry.page: original}, set())
    else:
        with tempfile.TemporaryDirectory(prefix="guide-catalogue-") as tmp:
            path = Path(tmp) / entry.page
            path.parent.mkdir(parents=True)
            if entry.new == "GBK":
                path.write_bytes(original.encode("gb18030"))
            else:
                assert entry.old in original, entry.anchor
                typed = original.replace(entry.old, entry.new, 1)
                path.write_text(typed, encoding="utf-8")
            shown = f"docs/{entry.page}"
            data, found = content_model.read_front_matter(path, shown)
            if data is not None:
                found = content_model.validate(data, shown) or \
                    checks.page_problems(entry.page, sources.read(path), data, {"items", "templates"})
            # a message naming the file by its full path names the copy: show the page's own path
            found = [replace(p, message=p.message.replace(tmp, str(docs_dir)), hint=p.hint.replace(tmp, str(docs_dir)))
                     for p in found]
    for problem in found:
        if entry.expect in problem.message:
            if entry.show_typed:
                typed = entry.new
            elif typed is not entry.new and problem.line:          # the line the message points at
                typed = typed.splitlines()[problem.line - 1]
            return problem, typed
    raise ValueError(f"catalogue entry {entry.anchor} ({entry.page}) no longer gives a message containing "
                     f"{entry.expect!r}; it gives: {[str(p) for p in found]}")


def _split(cite: str) -> tuple[str, str | None]:
    policy, _, ref = cite.strip("[]").partition(":")
    return policy, ref or None


def _code(text: str) -> list[str]:
    """A fenced code block whose fence is longer than any run of backticks in `text`
    (the unclosed-fence example is itself a line of three backticks)."""
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
    return [fence + "text", text, fence, ""]


def render(lang: str, docs_dir: Path, library: citations.Library) -> str:
    """One section per mistake: what was typed, the message the build gives, what to do."""
    head = {"zh": ("例子：在 `{page}` 里写成", "构建给出的提示", "怎么改"),
            "en": ("Example: in `{page}`, the line", "What the build says", "What to do")}[lang]
    out = []
    for entry in ENTRIES:
        problem, line = message(entry, docs_dir, library)
        typed = {"GBK": "(saved as GBK)" if lang == "en" else "（用GBK编码保存）",
                 "NO-ENGLISH": "(no .en.md beside it)" if lang == "en" else "（旁边没有 .en.md）"}.get(entry.new)
        out += [f"### {entry.title[lang]} {{#{entry.anchor}}}", "",
                head[0].format(page=entry.page) + ("" if lang == "en" else "：") + (f" {typed}" if typed else ""), ""]
        if not typed:
            out += _code(line.strip("\n") if entry.new else "(the line is deleted)")
        out += [f"{head[1]}{':' if lang == 'en' else '：'}", ""]
        out += _code(str(problem).replace(str(docs_dir.parent) + "/", ""))
        out += [
                f"{head[2]}{': ' if lang == 'en' else '：'}{entry.fix[lang]}", ""]
    return "\n".join(out)
