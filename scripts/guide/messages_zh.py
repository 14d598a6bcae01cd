"""The Chinese line printed first for each content problem (Problem.__str__), for union staff.

Each entry: a pattern over the check's English message, and its Chinese wording with the pattern's
groups. The English message and the hint follow on the next lines. A message without an entry is
printed in English only; tests/test_editing.py requires an entry for every kind in the handbook's
catalogue (guide/catalogue.py).
"""

from __future__ import annotations

import re

ZH = [
    (r"front matter is not valid YAML \((.*)\)", "头部字段的格式有错（括号、引号或缩进）：{0}"),
    (r"not valid YAML \((.*)\)", "文件的格式有错（括号、引号或缩进）：{0}"),
    (r"field '(\w+)': (\S+) is not a real date", "字段“{0}”的日期{1}不存在"),
    (r"field '(\w+)' is written twice \(first at line (\d+)\)", "字段“{0}”写了两次（第一次在第{1}行）"),
    (r"field '(\w+)': (.*)", "字段“{0}”的值不对：{1}"),
    (r"unknown field '(\w+)' for a page of kind '(\w+)'", "不认识的字段“{0}”（页面类型{1}）"),
    (r"missing required field '(\w+)' for a page of kind '(\w+)'", "缺少必填字段“{0}”（页面类型{1}）"),
    (r"no front matter block at the top of the file", "文件开头没有头部（第一行应当是“---”）"),
    (r"the file is empty", "文件是空的"),
    (r"the file is not saved as UTF-8: .*GBK.*", "文件不是UTF-8编码，看起来是GBK（记事本的“ANSI”）"),
    (r"the file is not saved as UTF-8: .*", "文件不是UTF-8编码"),
    (r"front matter must be a set of 'field: value' lines", "头部应当每行一个“字段: 值”"),
    (r"front matter has a value that cannot be read \((.*)\)", "头部有一个值读不出来：{0}"),
    (r"raw HTML tag <(\w+)> is not allowed", "页面里不能写HTML标签<{0}>"),
    (r"inline event handler '(\w+)' in <(\w+)>", "HTML标签<{1}>里不能写{0}"),
    (r"a 'javascript:' link", "页面里不能有javascript:链接"),
    (r"attribute '([\w-]+)' is not allowed on <(\w+)>", "HTML标签<{1}>不能带属性{0}"),
    (r"heading id '#([\w-]+)' is used twice on this page \(first at line (\d+)\)",
     "这一页有两个标题都用了编号#{0}（第一个在第{1}行）"),
    (r"this heading is level (\d) \((#+)\) but the one before it is level (\d)",
     "这个标题是第{0}级（{1}），前一个标题是第{2}级，中间跳过了一级"),
    (r"the code block opened here with (\S+) is never closed", "这里开始的代码块（{0}）没有结束"),
    (r"a box \(!!! or \?\?\?\) with nothing inside", "提示框（!!!或???）里没有内容"),
    (r"a box \(!!! or \?\?\?\) without its type", "提示框（!!!或???）没有写类型"),
    (r"tag\(s\) (.*) are not in the list of tags", "标签{0}不在允许的列表里"),
    (r"unknown marker 'guide:([\w-]+)'", "不认识的标记guide:{0}"),
    (r"half-width '(.)' between Chinese characters.*", "中文之间用了半角标点“{0}”"),
    (r"'(.+)' is stated without a citation in its section", "“{0}”没有在同一节里注明依据的条文"),
    (r"citation (\S+): .* has no article '([\w-]+)'", "引用{0}：这部规定没有第{1}条"),
    (r"citation (\S+): unknown policy '([\w-]+)'", "引用{0}：政策库里没有{1}"),
    (r"citation (\S+): .* is (已被取代|已修订) and no longer states the rule in force",
     "引用{0}：这个文本{1}，不是现行规定，只能在历史框里引用"),
    (r"citation (\S+): '([\w-]+)' holds verified facts only.*", "引用{0}：{1}只有事实概述，不能按条引用"),
    (r"citation (\S+): a facts page cited as a whole needs the fact's level", "引用{0}：整部引用事实页，要写核实等级"),
    (r"no English page (\S+)", "没有英文页{0}"),
    (r"the English page has .*", "英文页的结构与中文页不一致"),
    (r"heading .* differs.*|.* where the Chinese page has .*", "英文页的结构与中文页不一致"),
    (r"missing part '(.+?)' .*", "缺少“{0}”部分"),
    (r"parts are out of order: .*", "各部分的顺序不对"),
    (r"'([\w.]+): (.*)' should be (.*)", "“{0}”的值{1}不对，应当是{2}"),
    (r"unknown key '(\w+)' in '([\w.]*)'", "“{1}”里有不认识的键“{0}”"),
    (r"'([\w.]+)' has no '(\w+)'", "“{0}”缺少“{1}”"),
]
_COMPILED = [(re.compile(pattern + r"$"), zh) for pattern, zh in ZH]


def zh(message: str) -> str | None:
    """The Chinese wording of a check's message, or None."""
    for pattern, words in _COMPILED:
        if m := pattern.match(message):
            return words.format(*m.groups())
    return None
