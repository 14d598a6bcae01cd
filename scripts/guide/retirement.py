"""The retirement-age tables of the 2024 reform, rebuilt from the rule of 《办法》第一条.

The reference copy of the decision (../shared/policies/yanchi-tuixiu-2024.md) came through a
lossy DOCX conversion: merged cells ("改革后法定退休年龄", "延迟月数") survive only in the first row
of each group, and the other rows lose cells and shift columns. So the importer does not copy the
tables: it rebuilds every row from the rule and checks the result against every value that
survived in the source (`check_source`); any difference stops the import.

The rule (《国务院关于渐进式延迟法定退休年龄的办法》第一条): from 2025-01-01 the statutory age is raised
by one month for every four months (women whose original age is 50: every two months), up to
63 (men), 58 and 55 (women). A worker whose original retirement month is 2025-01 or later has
a delay of  min(cap, months since 2025-01 // pace + 1)  months. 第二条: from 2030 the minimum
contribution period rises by six months a year from 15 to 20 years (附件4).

The same functions answer a single birth month (`lookup`); the tables are the rule applied to
every birth month from the first one affected to the first one at the cap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from guide import sources

# The figures of the rule are data, shared with the retirement lookup (tools/retirement/):
# docs/tools/planner.yml, section `retirement`.
RULES = yaml.safe_load(sources.read(Path(__file__).resolve().parents[2] / "docs/tools/planner.yml"))["retirement"]
_y, _m = (int(x) for x in RULES["reform_start"].split("-"))
START = _y * 12 + _m - 1   # January 2025 as a month index (year * 12 + month - 1)

# annex number -> (track, original age, months of birth per month of delay, cap in months)
_NAMES = {"m60": "men60", "f55": "women55", "f50": "women50"}
TRACKS = {t["annex"]: (_NAMES[k], t["age"], t["pace"], t["cap"]) for k, t in RULES["tracks"].items()}
TRACK_ANNEX = {track: n for n, (track, *_rest) in TRACKS.items()}


@dataclass(frozen=True)
class Row:
    birth: int               # month index of the birth month
    age_months: int          # the new statutory age, in months
    retire: int              # month index of the new retirement month
    delay: int               # months of delay


def month(index: int) -> tuple[int, int]:
    return divmod(index, 12)[0], index % 12 + 1


def lookup(track: str, year: int, mon: int) -> Row:
    """The new statutory age and retirement month of one birth month (mon 1–12)."""
    _, age, pace, cap = TRACKS[TRACK_ANNEX[track]]
    birth = year * 12 + mon - 1
    original = birth + age * 12
    delay = 0 if original < START else min(cap, (original - START) // pace + 1)
    return Row(birth, age * 12 + delay, original + delay, delay)


def table(annex: int) -> list[Row]:
    """Every birth month from the first one affected to the last one before the cap is passed."""
    track, age, pace, cap = TRACKS[annex]
    first = START - age * 12
    return [lookup(track, *month(b)) for b in range(first, first + cap * pace)]


def minimum_contribution(year: int) -> int:
    """The minimum contribution period, in months, for retirement in `year` (附件4)."""
    c = RULES["contribution"]
    return min(c["max_months"], c["base_months"] + c["step_months"] * max(0, year - c["from_year"] + 1))


# --------------------------------------------------------------------------- the lossy source

YM_RE = re.compile(r"^(\d{4})年(\d{1,2})月$")
AGE_RE = re.compile(r"^(\d+)岁(?:(\d+)个月)?$")


def check_source(annex: int, lines: list[str]) -> tuple[int, int]:
    """Compare the surviving cells of a source table with the rebuilt rows.

    Returns (rows checked, rows whose age and delay survived too); raises ValueError naming the
    first value that differs, or a birth month missing from either side."""
    if annex == 4:
        return _check_contribution(lines)
    expected = {row.birth: row for row in table(annex)}
    seen: dict[int, bool] = {}      # birth month -> its age survived too
    last = None
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|") if c.strip()]
        birth = None
        for cell in cells:
            if m := YM_RE.match(cell):
                value = int(m.group(1)) * 12 + int(m.group(2)) - 1
                if birth is None:
                    if value not in expected:
                        raise ValueError(f"附件{annex}: birth month {cell} is not in the rebuilt table")
                    birth, seen[value] = value, False
                else:
                    if expected[birth].retire != value:
                        raise ValueError(f"附件{annex}: {_ym(birth)} retires in {cell} in the source, "
                                         f"{_ym(expected[birth].retire)} by the rule")
                    last, birth = birth, None
            elif m := AGE_RE.match(cell):
                months = int(m.group(1)) * 12 + int(m.group(2) or 0)
                if birth is None or expected[birth].age_months != months:
                    raise ValueError(f"附件{annex}: age {cell} does not match the rule for {_ym(birth) if birth else '?'}")
                seen[birth] = True
            elif cell.isdigit():
                if last is None or expected[last].delay != int(cell):
                    raise ValueError(f"附件{annex}: delay {cell} does not match the rule for {_ym(last) if last else '?'}")
    missing = sorted(set(expected) - set(seen))
    if missing:
        raise ValueError(f"附件{annex}: birth month {_ym(missing[0])} of the rebuilt table is not in the source")
    return len(seen), sum(seen.values())


def _check_contribution(lines: list[str]) -> tuple[int, int]:
    years = 0
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and (m := re.match(r"^(\d{4})年$", cells[0])):
            y = int(m.group(1))
            want = _period(minimum_contribution(y))
            if cells[1] != want:
                raise ValueError(f"附件4: {y} has {cells[1]} in the source, {want} by the rule")
            years += 1
    if years != 15:
        raise ValueError(f"附件4: {years} years in the source, the rule gives 2025–2039 (15)")
    return years, years


def _ym(index: int) -> str:
    y, m = month(index)
    return f"{y}年{m}月"


def _period(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{years}年" + (f"+{rest}个月" if rest else "")


# --------------------------------------------------------------------------- rendering

LABELS = {
    "zh": {"head": "| 出生时间 | 改革后法定退休年龄 | 改革后退休时间 | 延迟月数 |",
           "head4": "| 年份 | 当年最低缴费年限 |",
           "ym": lambda y, m: f"{y}年{m}月", "year": lambda y: f"{y}年",
           "age": lambda a: f"{a // 12}岁" + (f"{a % 12}个月" if a % 12 else ""),
           "period": _period,
           "title": "本表的制作方法",
           "note": ("来源转录把原表的合并单元格拆散了（同一组的“改革后法定退休年龄”“延迟月数”只留在第一行），"
                    "不能逐格照搬。本表由本站按[《办法》第一条](#art-1)的规则逐行重算：{rule}"
                    "重算结果已与来源中保留下来的每一个数值逐格核对（{checked}个出生月份的退休时间，"
                    "其中{full}个月份的年龄和延迟月数），全部一致。引用某个出生月份时，以全国人大常委会、"
                    "国务院公报刊载的官方文本为准。"),
           "note4": ("本表由本站按[《办法》第二条](#art-2)的规则重算（2030年起每年提高六个月，至二十年为止），"
                     "并与来源中的{checked}行逐行核对，全部一致。以官方文本为准。"),
           "rules": {4: "原法定退休时间在2025年1月及以后的，自2025年1月起每四个月延迟一个月，延迟满三十六个月为止。",
                     2: "原法定退休时间在2025年1月及以后的，自2025年1月起每二个月延迟一个月，延迟满六十个月为止。"}},
    "en": {"head": "| Born in | New statutory retirement age | New retirement month | Months of delay |",
           "head4": "| Year | Minimum contribution period that year |",
           "ym": lambda y, m: f"{['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1]} {y}",
           "year": str,
           "age": lambda a: f"{a // 12} years" + (f" {a % 12} month{'s' if a % 12 > 1 else ''}" if a % 12 else ""),
           "period": lambda n: f"{n // 12} years" + (" 6 months" if n % 12 else ""),
           "title": "How this table was produced",
           "note": ("The source transcription split the original table's merged cells (the age and the months of "
                    "delay survive only in the first row of each group), so it cannot be copied cell by cell. The "
                    "site rebuilt every row from the rule of [Article 1 of the Measures](#art-1): {rule} The result "
                    "was checked against every value that survived in the source (the retirement month of {checked} "
                    "birth months, and the age and delay of {full} of them): all agree. For a particular birth "
                    "month, the official text published by the NPC Standing Committee and the State Council prevails."),
           "note4": ("The site rebuilt this table from the rule of [Article 2 of the Measures](#art-2) (six months "
                     "more each year from 2030, up to twenty years) and checked it against the {checked} rows of "
                     "the source: all agree. The official text prevails."),
           "rules": {4: "where the original retirement month is January 2025 or later, the age rises by one month "
                        "for every four months from January 2025, until the delay reaches 36 months.",
                     2: "where the original retirement month is January 2025 or later, the age rises by one month "
                        "for every two months from January 2025, until the delay reaches 60 months."}},
}


def render(annex: int, checked: tuple[int, int], lang: str = "zh") -> str:
    """The note on how the table was produced, and the rebuilt table, as Markdown."""
    t = LABELS[lang]
    indent = lambda text: "    " + text
    if annex == 4:
        note = t["note4"].format(checked=checked[0])
        rows = [t["head4"], "| --- | --- |"] + [
            f"| {t['year'](y)} | {t['period'](minimum_contribution(y))} |" for y in range(2025, 2040)]
    else:
        pace = TRACKS[annex][2]
        note = t["note"].format(rule=t["rules"][pace], checked=checked[0], full=checked[1])
        rows = [t["head"], "| --- | --- | --- | --- |"] + [
            f"| {t['ym'](*month(r.birth))} | {t['age'](r.age_months)} | {t['ym'](*month(r.retire))} | {r.delay} |"
            for r in table(annex)]
    return "\n".join([f'!!! info "{t["title"]}"', "", indent(note), "", *rows])
