"""The personal planners, tools/leave/ and tools/retirement/ (scripts/guide/planner.py,
overrides/assets/javascripts/planner.js, docs/tools/planner.yml).

The cases in planner_cases.yml were worked out by hand from the articles; each runs in Chromium
through the query string and through the form, in Chinese and in English. The retirement engine is
also checked against every row of the annex tables as the built policy page shows them."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from urllib.parse import urlencode

import pytest
import yaml

from conftest import ROOT, soup

from guide import planner, retirement
from guide.planner_text import TEXT

CASES = yaml.safe_load((ROOT / "tests/planner_cases.yml").read_text(encoding="utf-8"))
LEAVE, RETIRE = CASES["leave"], CASES["retirement"]
LANGS = {"zh": "", "en": "en/"}
LEAVE_FIELDS = ("due", "birth", "start", "delivery", "babies", "miscarriage", "event", "lawful", "region")
RADIOS = ("delivery", "miscarriage", "lawful", "region", "track")


def _value(name, value):
    if value == "next-month":        # R31: a birth month after this one, whenever the test runs
        today = dt.date.today()
        y, m = divmod(today.year * 12 + today.month, 12)
        return f"{y}-{m + 1:02d}"
    if isinstance(value, bool):      # YAML's yes/no, should a case leave them unquoted
        return "yes" if value else "no"
    return str(value)


def _inputs(case) -> dict[str, str]:
    return {k: _value(k, v) for k, v in (case.get("input") or {}).items()}


def _query(case) -> str:
    inputs = _inputs(case) or {"delivery": "normal"}   # an empty link computes nothing: send a default
    return urlencode(inputs)


# --------------------------------------------------------------------------- the case table itself

def test_case_table_is_large_enough_and_names_its_articles():
    assert len(LEAVE) >= 40 and len(RETIRE) >= 16
    assert sum("error" in c for c in LEAVE) >= 8
    for case in LEAVE + RETIRE:
        assert case.get("basis") or case.get("error"), case["id"]
        assert case.get("why"), case["id"]
        assert ("expect" in case) != ("error" in case), case["id"]
    ids = [c["id"] for c in LEAVE + RETIRE]
    assert len(ids) == len(set(ids))


# --------------------------------------------------------------------------- rules data and wording

def test_rules_file_loads_clean_and_its_citations_resolve(tmp_path):
    rules, problems = planner.load(ROOT / "docs")
    assert problems == []
    cites = {c for tool in planner.TOOLS for _, c in rules.cites(tool)}
    assert {"gwy-619:7", "henan-186:11", "henan-rkjhsy-2021:25", "yanchi-tuixiu-2024:1"} <= cites


def test_rules_file_shape_problems_name_the_line(tmp_path):
    docs = tmp_path / "docs"
    (docs / "tools").mkdir(parents=True)
    text = (ROOT / "docs/tools/planner.yml").read_text(encoding="utf-8")
    text = text.replace("    before4_days: 15", "    before4_days: [15]").replace("  nursing:", "  nursing:\n    weeks: 4")
    (docs / "tools/planner.yml").write_text(text, encoding="utf-8")
    _, problems = planner.load(docs)
    messages = [str(p) for p in problems]
    assert any("planner.yml:" in m and "before4_days" in m and "whole number" in m for m in messages), messages
    assert any("unknown key 'weeks'" in m for m in messages), messages


def test_wording_has_the_same_keys_and_placeholders_in_both_languages():
    def walk(node, path=()):
        if isinstance(node, dict):
            for k, v in node.items():
                yield from walk(v, path + (k,))
        elif isinstance(node, list):
            yield path, len(node)
        else:
            yield path, tuple(sorted(set(re.findall(r"\{(\w+)\}", node))))
    zh, en = dict(walk(TEXT["zh"])), dict(walk(TEXT["en"]))
    assert zh.keys() == en.keys()
    formats = {("common", "date"), ("common", "ym")}     # date formats: y, m, d or the month's name
    assert {k: v for k, v in zh.items() if k not in formats} == {k: v for k, v in en.items() if k not in formats}
    assert all(set(zh[k]) | set(en[k]) <= {"y", "m", "d", "month"} for k in formats)


def test_retirement_tables_and_lookup_share_the_rules_file():
    rules, _ = planner.load(ROOT / "docs")
    tracks = rules.data["retirement"]["tracks"]
    assert {n: (t[1], t[2], t[3]) for n, t in retirement.TRACKS.items()} == \
        {t["annex"]: (t["age"], t["pace"], t["cap"]) for t in tracks.values()}


def test_script_holds_no_legal_number():
    """planner.js computes from the page's data: none of the rules' figures is written in it."""
    js = (ROOT / "overrides/assets/javascripts/planner.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", js, flags=re.S)
    code = re.sub(r"[*/%] 12\b|\b12 \*", "", code)      # months in a year: calendar arithmetic, not a rule
    rules, _ = planner.load(ROOT / "docs")
    figures = {v for v in planner._flat(rules.data["leave"]).values() if isinstance(v, int) and v > 7}
    figures |= {v for v in planner._flat(rules.data["retirement"]).values() if isinstance(v, int) and v > 7}
    figures |= {2025, 2030, 2039}
    found = sorted(n for n in figures if re.search(rf"(?<![\w.]){n}(?![\w.])", code))
    assert found == [], f"legal figures written in planner.js: {found}"


# --------------------------------------------------------------------------- built pages

@pytest.mark.parametrize("tool", ["leave", "retirement"])
@pytest.mark.parametrize("lang", LANGS)
def test_planner_page_carries_form_data_and_cited_basis(site, tool, lang):
    page = soup(site / LANGS[lang] / "tools" / tool / "index.html")
    box = page.select_one(".guide-planner")
    assert box is not None and box.select_one("form.guide-planner-form")
    data = box.select_one("script.guide-planner-data")
    assert data is not None and '"tool":"' + tool + '"' in data.string
    names = {i["name"] for i in box.select("input[name]")}
    assert names == (set(LEAVE_FIELDS) if tool == "leave" else {"born", "track"})
    for field in box.select("[data-field]"):            # every field has its error box, tied to it
        name = field["data-field"]
        assert field.select_one(f"#guide-error-{name}") is not None
        described = field.get("aria-describedby") or field.select_one("input")["aria-describedby"]
        assert f"guide-error-{name}" in described
    cites = page.select(".guide-planner-cite[data-cite]")
    assert cites and all(c.select_one("a.guide-cite") for c in cites)
    assert page.select_one('script[src$="assets/javascripts/planner.js"]') is not None
    # the rules' citations are quoted at the end of the page, and the policy pages link back
    assert page.select_one("#cited-articles") is not None
    sure = {c["data-sure"] for c in cites}
    assert sure == ({"official", "quote", "fact"} if tool == "leave" else {"official"})


def test_only_planner_pages_load_the_planner_script(site):
    assert soup(site / "rights/index.html").select_one('script[src$="planner.js"]') is None


def test_policy_articles_list_the_planners_among_citing_pages(site):
    art7 = soup(site / "policies/gwy-619/index.html").select_one("#art-7")
    backlinks = art7.find_next(class_="guide-backlinks")
    assert backlinks is not None and "休假计算" in backlinks.get_text()


def test_rights_home_and_item_05_link_the_planners(site):
    rights = soup(site / "rights/index.html")
    rows = [tr for tr in rights.select("table tr") if tr.select_one('a[href$="tools/leave/"]')]
    names = {tr.select_one("td").get_text(strip=True) for tr in rows}
    assert {"产假", "难产", "多胞胎", "流产", "哺乳时间", "育儿假"} <= names, names
    assert rights.select_one('#retirement ~ ul a[href$="tools/retirement/"]') is not None
    for home in ("index.html", "en/index.html"):
        hrefs = [a["href"] for a in soup(site / home).select("article a")]
        assert any(h.endswith("tools/leave/") for h in hrefs) and any(h.endswith("tools/retirement/") for h in hrefs)
    item = soup(site / "items/05-henan-protection-rules/index.html")
    assert item.select_one('article a[href$="tools/leave/"]') is not None


# --------------------------------------------------------------------------- Chromium

@pytest.fixture(scope="module")
def tab(browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def _rows(page) -> dict[str, dict]:
    return {r["rule"]: r for r in page.eval_on_selector_all("[data-rule]", """els => els.map(e => ({
        rule: e.dataset.rule, start: e.dataset.start, end: e.dataset.end, days: e.dataset.days,
        hours: e.dataset.hours}))""")}


def _check_leave(page, case, how):
    label = f"{case['id']} ({how}): {case['why']}"
    if "error" in case:
        field = case["error"]
        error = page.locator(f"#guide-error-{field}")
        assert error.is_visible(), label
        assert error.inner_text().strip(), label
        assert page.locator(f'[name="{field}"][aria-invalid="true"]').count() >= 1, label
        assert page.locator("[data-rule]").count() == 0, label
        return
    rows = _rows(page)
    for rule, want in case["expect"].items():
        assert rule in rows, f"{label}: no row {rule}"
        got = rows[rule]
        for key, value in want.items():
            assert got[key] == str(value), f"{label}: {rule} {key} is {got[key]}, expected {value}"
    for rule in case.get("absent", []):
        assert rule not in rows or rows[rule]["start"] is None, f"{label}: {rule} should have no dates"


@pytest.mark.parametrize("lang", LANGS)
def test_leave_cases_through_the_query_string(tab, served, lang):
    for case in LEAVE:
        tab.goto(f"{served}{LANGS[lang]}tools/leave/?{_query(case)}", wait_until="domcontentloaded")
        tab.wait_for_selector(".guide-planner[data-ready]")
        _check_leave(tab, case, f"query, {lang}")
    assert tab.errors == []


def _fill(page, values: dict[str, str]):
    page.evaluate("document.querySelector('.guide-planner-form').reset()")
    for name, value in values.items():
        if name in RADIOS:
            page.check(f'[name="{name}"][value="{value}"]')
        else:
            page.fill(f'[name="{name}"]', value)
    page.click(".guide-planner-form button[type=submit]")


def _impossible(value: str) -> bool:
    """A date the browser's date field cannot hold (only a link can carry it)."""
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)) and _is_bad_date(value)


def _is_bad_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
        return False
    except ValueError:
        return True


@pytest.mark.parametrize("lang", LANGS)
def test_leave_cases_through_the_form(tab, served, lang):
    tab.goto(f"{served}{LANGS[lang]}tools/leave/", wait_until="domcontentloaded")
    tab.wait_for_selector(".guide-planner[data-ready]")
    done = 0
    for case in LEAVE:
        values = _inputs(case)
        if any(_impossible(v) for v in values.values()):
            continue       # checked through the query string above
        _fill(tab, values)
        _check_leave(tab, case, f"form, {lang}")
        done += 1
    assert done >= 40
    assert tab.errors == []


def _retirement_result(page):
    return page.eval_on_selector('[data-result="retirement"]', """e => ({
        'age-months': e.dataset.ageMonths, retire: e.dataset.retire, delay: e.dataset.delay,
        earliest: e.dataset.earliest, latest: e.dataset.latest, 'min-years': e.dataset.minYears})""")


def _check_retirement(page, case, how):
    label = f"{case['id']} ({how}): {case['why']}"
    if "error" in case:
        assert page.locator(f"#guide-error-{case['error']}").is_visible(), label
        assert page.locator('[data-result="retirement"]').count() == 0, label
        return
    got = _retirement_result(page)
    for key in ("age-months", "retire", "delay", "earliest", "latest", "min-years"):
        want = case["expect"].get(key)
        want = None if want is None else (f"{want:g}" if isinstance(want, float) else str(want))
        assert got[key] == want, f"{label}: {key} is {got[key]}, expected {want}"


@pytest.mark.parametrize("lang", LANGS)
def test_retirement_cases_through_the_query_string_and_the_form(tab, served, lang):
    for case in RETIRE:
        tab.goto(f"{served}{LANGS[lang]}tools/retirement/?{urlencode(_inputs(case))}", wait_until="domcontentloaded")
        tab.wait_for_selector(".guide-planner[data-ready]")
        if not _inputs(case):
            continue
        _check_retirement(tab, case, f"query, {lang}")
    tab.goto(f"{served}{LANGS[lang]}tools/retirement/", wait_until="domcontentloaded")
    tab.wait_for_selector(".guide-planner[data-ready]")
    for case in RETIRE:
        _fill(tab, _inputs(case))
        _check_retirement(tab, case, f"form, {lang}")
    assert tab.errors == []


def _annex_rows(site) -> dict[int, list[tuple[str, int, str, int]]]:
    """Every row of annex tables 1–3 as the built policy page shows them: (born, age months, retire, delay)."""
    page = soup(site / "policies/yanchi-tuixiu-2024/index.html")
    out = {}
    ym = lambda s: "{}-{:02d}".format(*map(int, re.match(r"(\d{4})年(\d{1,2})月", s).groups()))
    for n in (1, 2, 3):
        table = page.select_one(f"#annex-{n}").find_next("table")
        rows = []
        for tr in table.select("tbody tr"):
            cells = [td.get_text(strip=True) for td in tr.select("td")]
            m = re.match(r"(\d+)岁(?:(\d+)个月)?", cells[1])
            rows.append((ym(cells[0]), int(m.group(1)) * 12 + int(m.group(2) or 0), ym(cells[2]), int(cells[3])))
        out[n] = rows
    table = page.select_one("#annex-4").find_next("table")
    out[4] = [(int(tr.select("td")[0].get_text(strip=True)[:4]), tr.select("td")[1].get_text(strip=True))
              for tr in table.select("tbody tr")]
    return out


def test_retirement_lookup_agrees_with_every_annex_row(tab, served, site):
    annex = _annex_rows(site)
    assert [len(annex[n]) for n in (1, 2, 3, 4)] == [144, 144, 120, 15]
    track = {1: "m60", 2: "f55", 3: "f50"}
    tab.goto(f"{served}tools/retirement/", wait_until="domcontentloaded")
    tab.wait_for_selector(".guide-planner[data-ready]")
    cases = [{"n": n, "born": born, "track": track[n]} for n in (1, 2, 3) for born, *_ in annex[n]]
    got = tab.evaluate("""cases => {
        const rules = JSON.parse(document.querySelector('.guide-planner-data').textContent).rules;
        return cases.map(c => {
            const r = GuidePlanner.retirement(rules, {born: c.born, track: c.track}, 999999).result;
            const ym = i => Math.floor(i / 12) + '-' + String(i % 12 + 1).padStart(2, '0');
            return [c.born, r.ageMonths, ym(r.retire), r.delay, r.year, r.minMonths];
        });
    }""", cases)
    want = [row for n in (1, 2, 3) for row in annex[n]]
    assert [g[:4] for g in got] == [list(w) for w in want]
    # annex 4: the minimum contribution period of each retirement year, as the page words it
    period = {y: p for y, p in annex[4]}
    words = lambda months: f"{months // 12}年" + ("+6个月" if months % 12 else "")
    for _, _, _, _, year, months in got:
        if year in period:
            assert words(months) == period[year], (year, months, period[year])
    # and a sample through the link, as a member would open it
    for n in (1, 2, 3):
        for born, age, retire, delay in annex[n][::23]:
            tab.goto(f"{served}tools/retirement/?born={born}&track={track[n]}", wait_until="domcontentloaded")
            tab.wait_for_selector('[data-result="retirement"]')
            r = _retirement_result(tab)
            assert (r["age-months"], r["retire"], r["delay"]) == (str(age), retire, str(delay)), born
    assert tab.errors == []


def test_births_outside_the_tables_take_the_old_age_or_the_full_delay(tab, served):
    for born, track, age, delay in (("1940-01", "f55", 660, 0), ("2005-06", "f50", 660, 60), ("2000-01", "m60", 756, 36)):
        tab.goto(f"{served}tools/retirement/?born={born}&track={track}", wait_until="domcontentloaded")
        r = _retirement_result(tab)
        assert (r["age-months"], r["delay"]) == (str(age), str(delay)), born


def test_a_facts_based_row_shows_its_level_and_caveat(tab, served):
    tab.goto(f"{served}tools/leave/?birth=2026-03-10&delivery=caesarean", wait_until="domcontentloaded")
    ext = tab.locator('[data-rule="henan-extension"]').inner_text()
    assert "第二十五条" in ext and "丙级：单一来源转引，待与官方文本核对" in ext
    national = tab.locator('[data-rule="maternity-national"]').inner_text()
    assert "第十一条（丙级：单一来源转引，待与官方文本核对）" in national and "官方文本" in national
    childcare = tab.locator('[data-rule="childcare-leave"]').inner_text()
    assert "乙级，以官方公布文本为准" in childcare
    assert childcare.count("至") >= 4           # the three yearly periods and the whole range
    tab.goto(f"{served}en/tools/leave/?birth=2026-03-10&delivery=caesarean", wait_until="domcontentloaded")
    assert "level C" in tab.locator('[data-rule="henan-extension"]').inner_text()


def test_answers_no_or_not_sure_change_the_henan_rows(tab, served):
    tab.goto(f"{served}tools/leave/?birth=2026-03-10&lawful=no", wait_until="domcontentloaded")
    rows = _rows(tab)
    assert rows["henan-extension"]["start"] is None and rows["return"]["start"] == "2026-06-16"
    assert "不适用" in tab.locator('[data-rule="henan-extension"]').inner_text()
    tab.goto(f"{served}tools/leave/?birth=2026-03-10&lawful=unsure", wait_until="domcontentloaded")
    ext = tab.locator('[data-rule="henan-extension"]')
    assert ext.get_attribute("data-conditional") == "true"
    assert "2026年6月16日" in ext.inner_text()       # the return date if the extension does not apply
    tab.goto(f"{served}tools/leave/?birth=2026-03-10&miscarriage=after4&event=2026-03-10", wait_until="domcontentloaded")
    assert "没有对流产增加产假" in tab.locator('[data-rule="miscarriage"]').inner_text()


def test_plan_downloads_as_a_calendar_file(tab, served, tmp_path):
    tab.goto(f"{served}tools/leave/?birth=2026-03-10", wait_until="domcontentloaded")
    with tab.expect_download() as info:
        tab.click(".guide-plan-ics")
    path = tmp_path / "plan.ics"
    info.value.save_as(path)
    ics = path.read_bytes().decode("utf-8")
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.rstrip().endswith("END:VCALENDAR")
    assert "DTSTART;VALUE=DATE:20260310\r\nDTEND;VALUE=DATE:20260616" in ics     # 98 days, end exclusive
    assert "DTSTART;VALUE=DATE:20260916" in ics                                   # back to work
    assert ics.count("BEGIN:VEVENT") == ics.count("END:VEVENT") >= 5


def test_print_view_keeps_the_plan_its_citations_and_date(tab, served):
    tab.goto(f"{served}tools/leave/?birth=2026-03-10", wait_until="domcontentloaded")
    tab.emulate_media(media="print")
    try:
        assert not tab.locator(".guide-planner-form").is_visible()
        assert not tab.locator("#method").is_visible()
        assert tab.locator('[data-rule="maternity-national"] a.guide-cite').first.is_visible()
        made = tab.locator(".guide-plan-made")
        assert made.is_visible() and dt.date.today().strftime("%Y年") in made.inner_text()
        assert tab.locator(".guide-plan-inputs").is_visible()
    finally:
        tab.emulate_media(media="screen")


def test_share_link_reproduces_the_plan(tab, served):
    tab.goto(f"{served}tools/leave/", wait_until="domcontentloaded")
    _fill(tab, {"birth": "2026-03-10", "babies": "2"})
    link = tab.input_value(".guide-plan-link")
    assert "birth=2026-03-10" in link and "babies=2" in link
    tab.goto(link, wait_until="domcontentloaded")
    assert _rows(tab)["maternity-national"]["days"] == "113"


def test_keyboard_only(tab, served):
    tab.goto(f"{served}tools/retirement/", wait_until="domcontentloaded")
    tab.focus("#guide-born")
    tab.keyboard.type("1975-03")
    tab.keyboard.press("Tab")
    tab.keyboard.press("ArrowDown")       # Tab lands on the first option; the arrow chooses the next (55)
    tab.keyboard.press("Enter")
    tab.wait_for_selector('[data-result="retirement"]')
    assert tab.get_attribute('[data-result="retirement"]', "data-retire") == "2031-07"


def test_invalid_input_announces_no_result_and_throws_nothing(tab, served):
    tab.goto(f"{served}tools/leave/?birth=2026-03-10&babies=0", wait_until="domcontentloaded")
    assert tab.get_attribute(".guide-plan", "aria-live") == "polite"
    assert tab.locator("[data-rule]").count() == 0
    assert tab.locator(".guide-plan-tools").is_hidden()
    assert tab.errors == []


def test_planners_work_from_the_offline_copy(browser, site, tmp_path):
    with zipfile.ZipFile(site / "downloads/guide-offline.zip") as zf:
        zf.extractall(tmp_path)
    root = tmp_path / "guide-offline"
    context = browser.new_context()
    page = context.new_page()
    outside, errors = [], []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "data:", "blob:", "about:"))
            else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((root / "tools/leave.html").as_uri() + "?birth=2026-03-10&delivery=difficult")
    assert page.get_attribute('[data-rule="maternity-national"]', "data-days") == "113"
    page.goto((root / "en/tools/retirement.html").as_uri() + "?born=1975-03&track=f55")
    assert page.get_attribute('[data-result="retirement"]', "data-retire") == "2031-07"
    context.close()
    assert outside == [] and errors == []
