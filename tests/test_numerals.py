"""Chinese numerals, as written in notices (（十三）) and laws (第一百零七条)."""

import pytest

from guide.numerals import cn_to_int, int_to_cn


@pytest.mark.parametrize("number, text", [
    (1, "一"), (10, "十"), (13, "十三"), (20, "二十"), (61, "六十一"),
    (100, "一百"), (105, "一百零五"), (107, "一百零七"), (110, "一百一十"), (119, "一百一十九"), (120, "一百二十"),
])
def test_both_ways(number, text):
    assert int_to_cn(number) == text
    assert cn_to_int(text) == number
