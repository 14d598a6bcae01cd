"""Chinese numerals as used in notices and laws: 一 … 九百九十九 (第一百零七条, 第一百一十条)."""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"


def cn_to_int(text: str) -> int:
    if "百" in text:
        hundreds, _, rest = text.partition("百")
        rest = rest.lstrip("零")
        return DIGITS.index(hundreds) * 100 + (cn_to_int(rest) if rest else 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (DIGITS.index(tens) if tens else 1) * 10 + (DIGITS.index(ones) if ones else 0)
    return DIGITS.index(text)


def int_to_cn(n: int) -> str:
    """10 → 十, 15 → 十五, 110 → 一百一十, 105 → 一百零五."""
    if n < 10:
        return DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return (DIGITS[tens] if tens > 1 else "") + "十" + (DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return DIGITS[hundreds] + "百"
    if rest < 10:
        return DIGITS[hundreds] + "百零" + DIGITS[rest]
    return DIGITS[hundreds] + "百" + ("一" if rest < 20 else "") + int_to_cn(rest)
