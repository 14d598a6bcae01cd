"""The personal planners: tools/leave/ (leave dates) and tools/retirement/ (retirement month).

The rules are data, in docs/tools/planner.yml: figures, conditions, citations and levels. This
module checks that file (shape and citations, with its line numbers) and hands it to the page:

- `<!-- guide:planner -->` in a page whose front matter says `planner: leave` (or `retirement`)
  becomes the form, the empty result area, and the rules as JSON (`<script type="application/json">`);
- `<!-- guide:planner-basis -->` becomes the table of the rules with their citations, written as
  `[[gwy-619:7]]`, so they render like every citation (link, tooltip, caveat, quoted articles).
  Each citation sits in `<span data-for="maternity" data-cite="gwy-619:7">`: the page's script copies
  a rule's links into the result rows, so a figure and its citation come from one place.

overrides/assets/javascripts/planner.js computes from the JSON and holds no legal number; the
wording it shows is in TEXT below (zh and en), with {placeholders} filled from the data.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from guide import citations, sources
from guide.content_model import LOADER, Problem

RULES_FILE = "tools/planner.yml"
TOOLS = {"leave": "tools/leave.md", "retirement": "tools/retirement.md"}
LEVELS = citations.LEVELS

# The shape of planner.yml: section -> rule -> {key: type}. `cite` is a list of citations.
NUM, TEXT_T, CITES, BOOL, LEVEL = "number", "text", "citations", "true/false", "level"
SHAPE = {
    "leave": {
        "maternity": {"days": NUM, "before_birth_max_days": NUM, "cite": CITES},
        "difficult": {"days": NUM, "cite": CITES},
        "caesarean": {"days": NUM, "region": TEXT_T, "cite": CITES},
        "multiple": {"days_per_extra_baby": NUM, "max_babies": NUM, "cite": CITES},
        "henan_extension": {"months": NUM, "region": TEXT_T, "needs_lawful": BOOL, "cite": CITES},
        "allowance_days_zhengzhou": {"days": NUM, "level": LEVEL, "cite": CITES},
        "miscarriage": {"before4_days": NUM, "after4_days": NUM, "cite": CITES},
        "nursing": {"hours_per_day": NUM, "extra_hours_per_baby": NUM, "until_child_months": NUM, "cite": CITES},
        "pregnancy": {"from_week": NUM, "term_days": NUM, "cite": CITES},
        "spouse": {"months": NUM, "region": TEXT_T, "level": LEVEL, "cite": CITES},
        "childcare": {"days_per_year": NUM, "until_child_years": NUM, "region": TEXT_T, "needs_lawful": BOOL,
                      "level": LEVEL, "cite": CITES},
        "contract": {"until_child_months": NUM, "cite": CITES, "public_cite": CITES},
        "allowance": {"cite": CITES},
        "input": {"birth_before_due_max_days": NUM},
    },
    "retirement": {
        "reform_start": TEXT_T,
        "tracks": {track: {"age": NUM, "pace": NUM, "cap": NUM, "annex": NUM} for track in ("m60", "f55", "f50")},
        "cite": CITES,
        "flexible": {"early_max_months": NUM, "late_max_months": NUM, "cite": CITES},
        "contribution": {"base_months": NUM, "from_year": NUM, "step_months": NUM, "max_months": NUM, "cite": CITES},
    },
}


@dataclass
class Rules:
    data: dict = field(default_factory=dict)
    lines: dict[tuple, int] = field(default_factory=dict)     # key path -> line in planner.yml

    def cites(self, tool: str) -> list[tuple[tuple, str]]:
        """(key path, citation) of every citation of one tool, in file order."""
        return sorted(((path, c) for path, c in _walk_cites(self.data.get(tool, {}), (tool,))),
                      key=lambda pc: self.lines.get(pc[0], 0))


def _walk_cites(node, path):
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("cite") and isinstance(value, list):
                for c in value:
                    yield path + (key,), c
            else:
                yield from _walk_cites(value, path + (key,))


def _line_map(node, path=(), out=None) -> dict[tuple, int]:
    out = {} if out is None else out
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            p = path + (key.value,)
            out[p] = key.start_mark.line + 1
            _line_map(value, p, out)
    return out


def load(docs_dir: Path) -> tuple[Rules, list[Problem]]:
    """Read and check the shape of docs/tools/planner.yml."""
    path, rel = docs_dir / RULES_FILE, f"docs/{RULES_FILE}"
    hint = "see the comments at the top of the file; each rule keeps the keys it has now"
    try:
        text = sources.read(path)
        data = yaml.load(text, Loader=LOADER)
        lines = _line_map(yaml.compose(text, Loader=LOADER))
    except OSError as err:
        return Rules(), [Problem(rel, None, f"cannot read the planners' rules: {err}", "restore the file from git")]
    except sources.EncodingProblem as err:
        return Rules(), [Problem(rel, err.line, f"the file is not saved as UTF-8: {err.found}", err.hint)]
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        return Rules(), [Problem(rel, mark.line + 1 if mark else None, f"not valid YAML ({getattr(err, 'problem', err)})",
                                 "check indentation; a list is written [a, b]")]
    rules = Rules(data if isinstance(data, dict) else {}, lines)
    problems: list[Problem] = []

    def check(node, shape, path):
        line = lines.get(path)
        if not isinstance(node, dict):
            problems.append(Problem(rel, line, f"'{'.'.join(path)}' should be a group of keys", hint))
            return
        for key in node:
            if key not in shape:
                problems.append(Problem(rel, lines.get(path + (key,)), f"unknown key '{key}' in '{'.'.join(path)}'",
                                        f"the keys here are {sorted(shape)}; {hint}"))
        for key, kind in shape.items():
            p = path + (key,)
            where = lines.get(p, line)
            if key not in node:
                problems.append(Problem(rel, line, f"'{'.'.join(path)}' has no '{key}'", hint))
            elif isinstance(kind, dict):
                check(node[key], kind, p)
            elif not _fits(node[key], kind):
                problems.append(Problem(rel, where, f"'{'.'.join(p)}: {node[key]!r}' should be {_kind_label(kind)}",
                                        hint))

    check(rules.data, SHAPE, ())
    return rules, problems


def _fits(value, kind) -> bool:
    if kind == NUM:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == LEVEL:
        return value in LEVELS
    if kind == CITES:
        return isinstance(value, list) and value and all(isinstance(c, str) and c for c in value)
    return isinstance(value, str) and value.strip() != ""


def _kind_label(kind) -> str:
    return {NUM: "a whole number such as 15", BOOL: "true or false", LEVEL: "one of 甲 乙 丙 丁",
            CITES: "a list of citations such as [gwy-619:7]", TEXT_T: "a text"}[kind]


def check_citations(rules: Rules, library: citations.Library) -> list[Problem]:
    """Every citation resolves, cites a text in force, and a facts page cited as a whole has a level."""
    problems = []
    rel = f"docs/{RULES_FILE}"
    for tool in TOOLS:
        for path, cite in rules.cites(tool):
            line = rules.lines.get(path)
            policy, _, ref = cite.partition(":")
            pol, art, error = library.resolve(policy, ref or None)
            if error:
                problems.append(Problem(rel, line, f"citation {cite}: {error[0]}",
                                        error[1].replace("[[", "").replace("]]", "")))
                continue
            if pol.past:
                problems.append(Problem(rel, line, f"citation {cite}: {pol.label} is {pol.meta['validity']}",
                                        "a planner computes today's rule: cite the text in force now"
                                        + (f" ({pol.meta['superseded_by']})" if pol.meta.get("superseded_by") else "")))
            owner = _get(rules.data, path[:-1])
            if art is None and pol.meta.get("text") == "facts" and "level" not in owner:
                problems.append(Problem(rel, line, f"citation {cite}: a facts page cited as a whole needs the fact's level",
                                        f"add 'level: 乙' (甲/乙/丙/丁, as written for this fact on docs/{pol.src})"))
    return problems


def _get(data, path):
    for key in path:
        data = data.get(key, {}) if isinstance(data, dict) else {}
    return data


def check_pages(docs_dir: Path, pages: dict[str, dict]) -> list[Problem]:
    """A planner page has both markers; each planner has its page (zh) at the path the rules expect."""
    problems = []
    for rel, meta in sorted(pages.items()):
        tool = meta.get("planner")
        if not tool:
            continue
        text = sources.read(docs_dir / rel)
        for marker in ("<!-- guide:planner -->", "<!-- guide:planner-basis -->"):
            if marker not in text.splitlines() and marker not in [l.strip() for l in text.splitlines()]:
                problems.append(Problem(f"docs/{rel}", None, f"the planner page has no line {marker}",
                                        "put the line where the form (planner) or the table of rules and "
                                        "citations (planner-basis) should appear; the script needs both"))
        if rel.replace(".en.md", ".md") != TOOLS[tool]:
            problems.append(Problem(f"docs/{rel}", meta.get("__lines__", {}).get("planner"),
                                    f"'planner: {tool}' belongs on docs/{TOOLS[tool]}",
                                    "keep one page per planner: its citations are listed under that page"))
    return problems


def backlinks(rules: Rules, library: citations.Library) -> None:
    """The policy pages list the planners among the pages citing an article."""
    for tool, src in TOOLS.items():
        for _, cite in rules.cites(tool):
            policy, _, ref = cite.partition(":")
            pol, art, error = library.resolve(policy, ref or None)
            if not error:
                citing = library.backlinks.setdefault((pol.id, art or ""), [])
                if src not in citing:
                    citing.append(src)


# --------------------------------------------------------------------------- page parts

def page_markdown(tool: str, rules: Rules, lang: str) -> str:
    """The form, the result area and the rules as JSON, for `<!-- guide:planner -->`."""
    t = TEXT[lang]
    payload = {"tool": tool, "lang": lang, "rules": rules.data[tool], "text": t[tool], "common": t["common"]}
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    form = FORMS[tool](t[tool]["form"], t["common"], rules.data[tool])
    note = html.escape(t["common"]["pdf_note"], quote=True)
    return (f'<div class="guide-planner" data-planner="{tool}" data-pdf-note="{note}">\n{form}\n'
            f'<script type="application/json" class="guide-planner-data">{data}</script>\n</div>\n')


def basis_markdown(tool: str, rules: Rules, library: citations.Library, lang: str) -> str:
    """The rules with their figures and citations, for `<!-- guide:planner-basis -->`."""
    t = TEXT[lang]
    rows = [t["common"]["basis_head"], "| --- | --- | --- |"]
    for path, label in t[tool]["basis"].items():
        keys = tuple(path.split("."))
        # the rule's citations: its own, or those of the nearest group above it (retirement.tracks)
        node = next(n for n in (_get(rules.data[tool], keys[:i]) for i in range(len(keys), -1, -1)) if "cite" in n)
        figures = label["figures"].format(**_flat(rules.data[tool]))
        cites = t["common"]["list_sep"].join(_cite_span(c, node, library, lang, path, key)
                                             for key in ("cite", "public_cite") for c in node.get(key, []))
        rows.append(f"| {label['name']} | {figures} | {cites} |")
    return "\n".join(rows)


def _cite_span(cite: str, node: dict, library: citations.Library, lang: str, rule: str, key: str) -> str:
    """A citation the script can copy into a result row, marked with how sure it is: the official
    text, a facts page's quoted article (its level), or a facts page's summary (the rule's level)."""
    policy, _, ref = cite.partition(":")
    pol, art, _ = library.resolve(policy, ref or None)
    after, sure, level = "", "official", ""
    if art is None and pol.meta.get("text") == "facts":
        sure, level = "fact", node["level"]
        after = (f" (level {citations.LEVEL_EN[level]}; the officially published text prevails)" if lang == "en"
                 else f"（{level}级，以官方公布文本为准）")
    elif art and (q := pol.quote(art, lang)):
        sure, level = "quote", q["level"]
    shown = citations.LEVEL_EN.get(level, level) if lang == "en" else level
    return (f'<span class="guide-planner-cite" data-for="{rule}" data-list="{key}" data-cite="{html.escape(cite)}" '
            f'data-sure="{sure}" '
            f'data-level="{shown}">[[{cite}]]{after}</span>')


def _flat(data: dict, prefix: str = "") -> dict:
    """{'maternity_days': 98, …}: every figure of a tool, for the basis table's wording."""
    out = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, name + "_"))
        elif not isinstance(value, list):
            out[name] = value
    return out


def _field_error(name: str) -> str:
    return f'<p class="guide-field-error" id="guide-error-{name}" hidden></p>'


def _radios(name: str, legend: str, options: list[tuple[str, str]], checked: str | None, hint: str = "") -> str:
    described = f"guide-hint-{name} guide-error-{name}" if hint else f"guide-error-{name}"
    out = [f'<fieldset class="guide-field" data-field="{name}" aria-describedby="{described}"><legend>{legend}</legend>']
    if hint:
        out.append(f'<p class="guide-field-hint" id="guide-hint-{name}">{hint}</p>')
    for value, label in options:
        mark = " checked" if value == checked else ""
        out.append(f'<label><input type="radio" name="{name}" value="{value}"{mark}> {label}</label>')
    out += [_field_error(name), "</fieldset>"]
    return "".join(out)


def _input(name: str, label: str, kind: str, hint: str = "", extra: str = "") -> str:
    described = f"guide-hint-{name} guide-error-{name}" if hint else f"guide-error-{name}"
    return (f'<div class="guide-field" data-field="{name}"><label for="guide-{name}">{label}</label>'
            + (f'<p class="guide-field-hint" id="guide-hint-{name}">{hint}</p>' if hint else "")
            + f'<input type="{kind}" id="guide-{name}" name="{name}" aria-describedby="{described}"{extra}>'
            + _field_error(name) + "</div>")


def _actions(c: dict) -> str:
    return (f'<div class="guide-planner-actions"><button type="submit" class="md-button md-button--primary">'
            f'{c["submit"]}</button></div>')


def _results(c: dict) -> str:
    return (f'<div class="guide-plan" aria-live="polite" tabindex="-1"></div>'
            f'<div class="guide-plan-tools" hidden>'
            f'<button type="button" class="md-button guide-print">{c["print"]}</button> '
            f'<button type="button" class="md-button guide-plan-ics">{c["ics"]}</button> '
            f'<label class="guide-plan-share">{c["share"]} <input type="text" readonly class="guide-plan-link"></label>'
            f'</div>')


def _leave_form(f: dict, c: dict, rules: dict) -> str:
    max_babies = rules["multiple"]["max_babies"]
    parts = [
        '<form class="guide-planner-form" novalidate>',
        f'<fieldset><legend>{f["dates"]}</legend>',
        _input("due", f["due"], "date", f["due_hint"]),
        _input("birth", f["birth"], "date", f["birth_hint"]),
        _input("start", f["start"], "date", f["start_hint"].format(days=rules["maternity"]["before_birth_max_days"])),
        "</fieldset>",
        _radios("delivery", f["delivery"], [("normal", f["normal"]), ("difficult", f["difficult"]),
                                             ("caesarean", f["caesarean"])], "normal"),
        _input("babies", f["babies"], "number", f["babies_hint"].format(max=max_babies),
               f' min="1" max="{max_babies}" step="1" value="1" inputmode="numeric"'),
        _radios("miscarriage", f["miscarriage"], [("none", f["mc_none"]), ("before4", f["mc_before4"]),
                                                  ("after4", f["mc_after4"])], "none"),
        _input("event", f["event"], "date", f["event_hint"]),
        _radios("lawful", f["lawful"], [("yes", f["yes"]), ("no", f["no"]), ("unsure", f["unsure"])], "yes",
                f["lawful_hint"]),
        _radios("region", f["region"], [("henan", f["henan"]), ("national", f["national"])], "henan",
                f["region_hint"]),
        _actions(c), "</form>", _results(c),
    ]
    return "\n".join(parts)


def _retirement_form(f: dict, c: dict, rules: dict) -> str:
    tracks = [(k, f["track_" + k]) for k in ("f50", "f55", "m60")]
    parts = [
        '<form class="guide-planner-form" novalidate>',
        _input("born", f["born"], "text", f["born_hint"],
               ' placeholder="1975-03" pattern="[0-9]{4}-[0-9]{2}" size="8"'),
        _radios("track", f["track"], tracks, None, f["track_hint"]),
        _actions(c), "</form>", _results(c),
    ]
    return "\n".join(parts)


FORMS = {"leave": _leave_form, "retirement": _retirement_form}


# --------------------------------------------------------------------------- wording

TEXT: dict = {}   # filled from planner_text.py below, kept apart because it is long
from guide.planner_text import TEXT as _TEXT  # noqa: E402
TEXT.update(_TEXT)
