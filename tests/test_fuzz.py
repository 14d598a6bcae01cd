"""Fuzzing the content checks with Hypothesis: real pages, mutated the way editors break them.

For every mutation the checks either pass or report problems that name a file, a line where there is
one, and what to do; they never raise. A few mutations also go through the real build: it exits
non-zero with a message naming a file, prints no traceback, and leaves site/ as it was.

CI runs a small budget (GUIDE_FUZZ_EXAMPLES, default 40). A longer run for maintainers:
    GUIDE_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_fuzz.py -q
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st


from conftest import ROOT, run_build

from guide import checks, markers, notice as notice_mod

MARKERS = set(markers.MARKERS)        # the marker names the build knows
SECTIONS = {i.number: i.section for i in notice_mod.load(str(ROOT / "docs/notice/notice-2020.txt")).items}
EXAMPLES = int(os.environ.get("GUIDE_FUZZ_EXAMPLES", "40"))
TARGETS = ["items/06-needs-survey.md", "items/05-henan-protection-rules.en.md", "rights/index.md",
           "templates/needs-survey.md", "policies/henan-rkjhsy-2021.md", "policies/gwy-619.md",
           "tools/leave.md", "tools/planner.yml", "about/index.en.md", "changes/index.md", "index.md"]
LOOKALIKES = ["\u200b", "\u3000", "\ufeff", "\u00a0", "⼈", "ｌ", "，", ",", "：", "“", "\"", "（", "(", "—", "\u2028"]
BREAKS = [("[[gwy-619:7]]", "[[gwy-619:999]]"), ("[[gwy-619:7]]", "[[gwy-619:"), ("[[", "[[nope-1:"),
          ("<!-- guide:", "<!-- guide:x"), ("\n## ", "\n```\n## "), ("| --- |", "| - |"), ("{#", "{#dup} {#"),
          ("!!! ", "!!!"), ("reviewed: 20", "reviewed: 20x"), ("kind: ", "kind: x"), ("cite: [", "cite: ["),
          ("days: ", "days: -"), ("---\n", "--\n"), ("\n    ", "\n")]


def mutate(data: bytes, how: str, rng: random.Random) -> bytes:
    text = data.decode("utf-8")
    at = rng.randrange(len(text) + 1)
    lines = text.split("\n")
    n = rng.randrange(1, min(len(lines), 30))          # within the front matter, mostly
    if how == "delete line":
        del lines[n]
        return "\n".join(lines).encode()
    if how == "duplicate line":
        lines.insert(n, lines[n])
        return "\n".join(lines).encode()
    if how == "retype value" and ":" in lines[n]:
        key = lines[n].split(":", 1)[0]
        lines[n] = f"{key}: " + rng.choice(["123", "[a, b]", "{x: 1}", "", "true", "2026-02-30", "'", "上个月"])
        return "\n".join(lines).encode()
    if how == "random bytes":
        return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 6))) + data[at:]
    if how == "look-alike":
        return (text[:at] + rng.choice(LOOKALIKES) + text[at:]).encode()
    if how == "truncate":
        return data[: rng.randrange(len(data) + 1)]
    if how == "gbk":
        return text.encode("gb18030")
    if how == "crlf":
        return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    if how == "cr":
        return text.replace("\n", "\r").encode()
    old, new = rng.choice(BREAKS)
    return text.replace(old, new, 1).encode()


HOWS = ["delete line", "duplicate line", "retype value", "random bytes", "look-alike", "truncate", "gbk", "crlf",
        "cr", "break"]


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("fuzz") / "docs"
    shutil.copytree(ROOT / "docs", dest)
    assert checks.check_site(dest, SECTIONS, MARKERS).problems == []   # so every mutation reaches the site-wide checks
    return dest


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(target=st.sampled_from(TARGETS), how=st.sampled_from(HOWS), seed=st.integers(0, 2**32))
def test_checks_never_raise_and_every_problem_names_a_file(docs, target, how, seed):
    path = docs / target
    original = path.read_bytes()
    try:
        path.write_bytes(mutate(original, how, random.Random(seed)))
        problems = checks.check_site(docs, SECTIONS, MARKERS).problems
    finally:
        path.write_bytes(original)
    for p in problems:
        assert p.path.startswith(("docs/", "scripts/")), (how, target, str(p))
        assert p.message and p.hint, (how, target, str(p))


@pytest.mark.parametrize("how,target,seed", [("random bytes", "items/06-needs-survey.md", 3),
                                             ("retype value", "rights/index.md", 7),
                                             ("break", "tools/planner.yml", 11)])
def test_a_sample_of_mutations_through_the_real_build(project_copy, tmp_path, how, target, seed):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("the good site", encoding="utf-8")
    path = project_copy / "docs" / target
    mutated = mutate(path.read_bytes(), how, random.Random(seed))
    path.write_bytes(mutated)
    result = run_build(project_copy, out)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    if result.returncode != 0:
        assert "docs/" in output and "→" in output, output[-3000:]
        assert (out / "index.html").read_text(encoding="utf-8") == "the good site"
