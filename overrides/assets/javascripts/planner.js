/* 女职工工作指南: the personal planners, tools/leave/ and tools/retirement/.
 *
 * The rules come from the page (<script type="application/json" class="guide-planner-data">,
 * written by the build from docs/tools/planner.yml); this file holds no legal number of its own.
 * The engines (leave, retirement) are pure functions of (rules, input) and are exposed as
 * window.GuidePlanner for the tests. Inputs live in the query string, so a link reproduces a plan.
 * Works from file:// and under the site's CSP: no inline handlers, no outside request. */
(function () {
  "use strict";
  var DAY = 864e5;

  /* ---------------------------------------------------------------- dates (UTC milliseconds) */
  function parseDate(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || "");
    if (!m) { return null; }
    var t = Date.UTC(+m[1], +m[2] - 1, +m[3]), d = new Date(t);
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] ? t : null;
  }
  function iso(t) { return new Date(t).toISOString().split("T")[0]; }
  /* The same day number n months later; the last day of that month when it has no such day. */
  function addMonths(t, n) {
    var d = new Date(t), y = d.getUTCFullYear(), m = d.getUTCMonth() + n;
    var last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    return Date.UTC(y, m, Math.min(d.getUTCDate(), last));
  }
  function parseYM(s) {
    var m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(s || "");
    return m ? +m[1] * 12 + +m[2] - 1 : null;
  }
  function ym(i) { return Math.floor(i / 12) + "-" + ("0" + (i % 12 + 1)).slice(-2); }

  /* ---------------------------------------------------------------- leave engine */
  function leave(R, q) {
    var e = {}, rows = [];
    function date(name) {
      var v = q[name];
      if (v === undefined || v === null || v === "") { return null; }
      var t = parseDate(String(v));
      if (t === null) { e[name] = {code: "date", value: String(v) === "invalid" ? "" : String(v)}; }
      return t;
    }
    function pick(name, allowed) {
      var v = q[name];
      if (v === undefined || v === null || v === "") { return allowed[0]; }
      if (allowed.indexOf(v) < 0) { e[name] = {code: "choice"}; }
      return v;
    }
    var due = date("due"), birth = date("birth"), start = date("start"), event = date("event");
    var delivery = pick("delivery", ["normal", "difficult", "caesarean"]);
    var mc = pick("miscarriage", ["none", "before4", "after4"]);
    var lawful = pick("lawful", ["yes", "no", "unsure"]);
    var region = pick("region", ["henan", "national"]);
    var babies = 1, maxBabies = R.multiple.max_babies;
    if (q.babies !== undefined && q.babies !== null && q.babies !== "") {
      if (!/^\d+$/.test(String(q.babies)) || +q.babies < 1 || +q.babies > maxBabies) {
        e.babies = {code: "babies", max: maxBabies};
      } else { babies = +q.babies; }
    }
    var B = birth !== null ? birth : due;
    if (mc !== "none") {
      if (event === null && !e.event) { e.event = {code: "event"}; }
    } else {
      if (B === null && !e.due && !e.birth) { e.due = {code: "need_date"}; }
      if (due !== null && birth !== null && birth < due - R.input.birth_before_due_max_days * DAY) {
        e.birth = {code: "too_early", days: R.input.birth_before_due_max_days};
      }
      if (start !== null && B !== null) {
        if (start < B - R.maternity.before_birth_max_days * DAY) {
          e.start = {code: "start_before", days: R.maternity.before_birth_max_days};
        } else if (start > B) { e.start = {code: "start_after"}; }
      }
    }
    if (Object.keys(e).length) { return {errors: e, rows: []}; }

    var allowance = {rule: "maternity-allowance", parts: [{k: "text", c: "allowance"}]};
    if (mc !== "none") {
      var mdays = mc === "before4" ? R.miscarriage.before4_days : R.miscarriage.after4_days;
      var mend = event + (mdays - 1) * DAY;
      var mparts = [{k: mc, v: {days: mdays, start: event, end: mend}, c: "miscarriage"}];
      if (region === R.henan_extension.region) { mparts.push({k: "henan"}); }
      rows.push({rule: "miscarriage", start: event, end: mend, days: mdays, parts: mparts});
      rows.push({rule: "return", start: mend + DAY, parts: [{k: "text", v: {date: mend + DAY}}]});
      rows.push(allowance);
      return {errors: {}, rows: rows};
    }

    /* pregnancy: from week N, counted back from the due date */
    var preg = R.pregnancy, before = preg.term_days - preg.from_week * 7;
    var pv = {week: preg.from_week, term: preg.term_days, before: before};
    if (due === null) {
      rows.push({rule: "pregnancy-no-night-shift", parts: [{k: "text", c: "pregnancy"}, {k: "need_due"}, {k: "method", v: pv}]});
    } else {
      var pfrom = due - before * DAY, pend = B - DAY;
      rows.push(pend < pfrom
        ? {rule: "pregnancy-no-night-shift", parts: [{k: "text", c: "pregnancy"}, {k: "not_reached", v: pv}, {k: "method", v: pv}]}
        : {rule: "pregnancy-no-night-shift", start: pfrom, end: pend,
           parts: [{k: "text", c: "pregnancy"}, {k: "method", v: pv}]});
    }

    /* maternity leave: national days, plus difficult / caesarean (where the rule's region) / extra babies */
    var S = start !== null ? start : B, N = R.maternity.days;
    var parts = [{k: "base", v: {days: N, before: R.maternity.before_birth_max_days}, c: "maternity"}];
    if (delivery === "difficult") {
      N += R.difficult.days; parts.push({k: "difficult", v: {days: R.difficult.days}, c: "difficult"});
    } else if (delivery === "caesarean") {
      if (region === R.caesarean.region) {
        N += R.caesarean.days; parts.push({k: "caesarean", v: {days: R.caesarean.days}, c: "caesarean"});
      } else { parts.push({k: "caesarean_national", c: "difficult"}); }
    }
    if (babies > 1) {
      var extra = (babies - 1) * R.multiple.days_per_extra_baby;
      N += extra;
      parts.push({k: "multiple", v: {per: R.multiple.days_per_extra_baby, days: extra}, c: "multiple"});
    }
    var E = S + (N - 1) * DAY;
    parts.push({k: "count", v: {start: S, end: E, days: N}});
    if (birth === null) { parts.push({k: "expected"}); }
    rows.push({rule: "maternity-national", start: S, end: E, days: N, parts: parts});

    /* Henan's extra months */
    var ext = R.henan_extension, ret = E + DAY, extMonths = {months: ext.months};
    if (region !== ext.region) {
      rows.push({rule: "henan-extension", parts: [{k: "national"}]});
    } else if (ext.needs_lawful && lawful === "no") {
      rows.push({rule: "henan-extension", parts: [{k: "no", v: extMonths, c: "henan_extension"}]});
    } else {
      var xend = addMonths(E, ext.months), xdays = Math.round((xend - E) / DAY);
      var xparts = [{k: "applies", v: {months: ext.months, start: E + DAY, end: xend, days: xdays}, c: "henan_extension"}];
      if (lawful === "unsure") { xparts.push({k: "unsure", v: {months: ext.months, alt: E + DAY}}); }
      xparts.push({k: "zhengzhou", v: {zz: R.allowance_days_zhengzhou.days}, c: "allowance_days_zhengzhou"});
      rows.push({rule: "henan-extension", start: E + DAY, end: xend, days: xdays,
                 conditional: lawful === "unsure", parts: xparts});
      ret = xend + DAY;
    }
    rows.push({rule: "return", start: ret, parts: [{k: "text", v: {date: ret}}]});

    /* nursing time, to the day before the first birthday */
    var nurse = R.nursing, nend = addMonths(B, nurse.until_child_months) - DAY;
    var hours = nurse.hours_per_day + (babies - 1) * nurse.extra_hours_per_baby;
    rows.push({rule: "nursing-hour", start: ret, end: nend, hours: hours,
               parts: [{k: "text", v: {hours: hours, end: nend}, c: "nursing"}]});

    /* the spouse's leave and childcare leave (where the rule's region) */
    if (region === R.spouse.region) {
      var sparts = [{k: "text", v: {months: R.spouse.months}, c: "spouse"}];
      if (lawful !== "yes") { sparts.push({k: "unsure"}); }
      rows.push({rule: "spouse-leave", parts: sparts});
    }
    var cc = R.childcare;
    if (region === cc.region) {
      var cv = {days: cc.days_per_year, years: cc.until_child_years};
      if (cc.needs_lawful && lawful === "no") {
        rows.push({rule: "childcare-leave", parts: [{k: "no", c: "childcare"}]});
      } else {
        var periods = [];
        for (var y = 1; y <= cc.until_child_years; y++) {
          periods.push([addMonths(B, 12 * (y - 1)), addMonths(B, 12 * y) - DAY]);
        }
        var cparts = [{k: "text", v: cv, c: "childcare", periods: periods}];
        if (lawful === "unsure") { cparts.push({k: "unsure"}); }
        rows.push({rule: "childcare-leave", start: B, end: periods[periods.length - 1][1], days: cc.days_per_year,
                   conditional: lawful === "unsure", parts: cparts});
      }
    }

    /* contract protection, to the end of the nursing period */
    var cend = addMonths(B, R.contract.until_child_months) - DAY;
    rows.push({rule: "contract-protection", end: cend, parts: [
      {k: "labour", v: {end: cend}, c: "contract"},
      {k: "public", v: {leave_end: ret - DAY}, c: "contract public_cite"}]});
    rows.push(allowance);
    return {errors: {}, rows: rows};
  }

  /* ---------------------------------------------------------------- retirement engine */
  function retirement(R, q, nowMonth) {
    var e = {}, born = null, track = R.tracks.hasOwnProperty(q.track) ? R.tracks[q.track] : null;
    if (q.born && !/^\d{4}-\d{2}$/.test(q.born)) { e.born = {code: "born"}; }
    else if (q.born) {
      born = parseYM(q.born);
      if (born === null) { e.born = {code: "born"}; }
      else if (born > nowMonth) { e.born = {code: "born_future"}; }
    } else { e.born = {code: "born"}; }
    if (!q.track) { e.track = {code: "track"}; } else if (!track) { e.track = {code: "choice"}; }
    if (Object.keys(e).length) { return {errors: e, result: null}; }
    var reform = parseYM(R.reform_start), original = born + track.age * 12;
    var delay = original < reform ? 0 : Math.min(track.cap, Math.floor((original - reform) / track.pace) + 1);
    var retire = original + delay, c = R.contribution;
    var year = Math.floor(retire / 12);
    var minMonths = Math.min(c.max_months, c.base_months + c.step_months * Math.max(0, year - c.from_year + 1));
    var res = {ageMonths: track.age * 12 + delay, retire: retire, delay: delay, original: original, age: track.age,
               minMonths: minMonths, year: year, reform: reform, flexible: original >= reform};
    if (res.flexible) {
      res.earliest = Math.max(original, retire - R.flexible.early_max_months);
      res.latest = retire + R.flexible.late_max_months;
    }
    return {errors: {}, result: res};
  }

  window.GuidePlanner = {leave: leave, retirement: retirement, addMonths: addMonths, parseDate: parseDate, iso: iso};

  /* ---------------------------------------------------------------- page */
  var root = document.querySelector(".guide-planner");
  if (!root) { return; }
  var data = JSON.parse(root.querySelector(".guide-planner-data").textContent);
  var T = data.text, C = data.common, R = data.rules, tool = data.tool;
  var form = root.querySelector("form"), plan = root.querySelector(".guide-plan");
  var tools = root.querySelector(".guide-plan-tools");
  var FIELDS = tool === "leave"
    ? ["due", "birth", "start", "delivery", "babies", "miscarriage", "event", "lawful", "region"]
    : ["born", "track"];

  var DATE_KEYS = ["start", "end", "date", "alt", "leave_end"];   // placeholders that hold a date
  function fill(template, vars) {
    return String(template).replace(/\{(\w+)\}/g, function (_, k) {
      var v = vars ? vars[k] : undefined;
      if (v === undefined) { return "{" + k + "}"; }
      return DATE_KEYS.indexOf(k) >= 0 ? fmtDate(v) : String(v);
    });
  }
  function fmtDate(t) {
    var d = new Date(t);
    return fill(C.date, {y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), month: C.months[d.getUTCMonth()]});
  }
  function fmtYM(i) { return fill(C.ym, {y: Math.floor(i / 12), m: i % 12 + 1, month: C.months[i % 12]}); }
  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) { n.className = cls; }
    if (text !== undefined) { n.textContent = text; }
    return n;
  }
  /* The citations of a rule ("childcare", or "contract public_cite" for a second list), copied from
     the page's basis table: one rendering of each citation (link, tooltip, level and caveat). */
  function citeNodes(rule) {
    var box = el("span", "guide-plan-basis"), words = rule.split(" ");
    var list = words[1] || "cite";
    root.ownerDocument.querySelectorAll('.guide-planner-cite[data-for="' + words[0] + '"][data-list="' + list + '"]')
      .forEach(function (src, i) {
        if (i) { box.appendChild(document.createTextNode(C.list_sep)); }
        var copy = src.cloneNode(true);
        copy.removeAttribute("data-for");
        box.appendChild(copy);
        /* a quotation's or a fact's level and caveat are in the citation's own text; an article of an
           official text gets a mark saying so */
        if (src.getAttribute("data-sure") === "official") { box.appendChild(el("span", "guide-plan-sure", C.sure_official)); }
      });
    return box;
  }

  function readForm() {
    var q = {};
    FIELDS.forEach(function (name) {
      var inputs = form.querySelectorAll('[name="' + name + '"]');
      if (!inputs.length) { return; }
      if (inputs[0].type === "radio") {
        var checked = form.querySelector('[name="' + name + '"]:checked');
        q[name] = checked ? checked.value : "";
      } else {
        q[name] = inputs[0].validity && inputs[0].validity.badInput ? "invalid" : inputs[0].value.trim();
      }
    });
    return q;
  }
  function writeForm(q) {
    FIELDS.forEach(function (name) {
      if (!(name in q)) { return; }
      var inputs = form.querySelectorAll('[name="' + name + '"]');
      if (!inputs.length) { return; }
      if (inputs[0].type === "radio") {
        inputs.forEach(function (r) { r.checked = r.value === q[name]; });
      } else {
        try { inputs[0].value = q[name]; } catch (err) { inputs[0].value = ""; }
      }
    });
  }
  function queryString(q) {
    var p = new URLSearchParams();
    FIELDS.forEach(function (name) { if (q[name]) { p.set(name, q[name]); } });
    return p.toString();
  }

  function showErrors(errors) {
    var first = null;
    FIELDS.forEach(function (name) {
      var box = root.querySelector("#guide-error-" + name);
      var input = form.querySelector('[name="' + name + '"]');
      var field = root.querySelector('[data-field="' + name + '"]');
      var err = errors[name];
      if (box) {
        box.hidden = !err;
        box.textContent = err ? fill(T.errors[err.code] || C.error_summary, err) : "";
      }
      form.querySelectorAll('[name="' + name + '"]').forEach(function (i) {
        if (err) { i.setAttribute("aria-invalid", "true"); } else { i.removeAttribute("aria-invalid"); }
      });
      if (field) { field.classList.toggle("guide-field--error", !!err); }
      if (err && !first) { first = input; }
    });
    return first;
  }

  function setData(node, name, value) { if (value !== undefined && value !== null) { node.setAttribute("data-" + name, value); } }

  function renderLeave(result) {
    var list = el("ol", "guide-plan-rows");
    result.rows.forEach(function (row) {
      var words = T.rows[row.rule], li = el("li", "guide-plan-row");
      li.setAttribute("data-rule", row.rule);
      if (row.start !== undefined) { setData(li, "start", iso(row.start)); }
      if (row.end !== undefined) { setData(li, "end", iso(row.end)); }
      setData(li, "days", row.days);
      setData(li, "hours", row.hours);
      if (row.conditional) { li.setAttribute("data-conditional", "true"); }
      li.appendChild(el("h3", null, words.title));
      if (row.start !== undefined || row.end !== undefined) {
        var when = row.start !== undefined && row.end !== undefined ? fill(C.range, {start: row.start, end: row.end})
          : fmtDate(row.start !== undefined ? row.start : row.end);
        if (row.days !== undefined && row.rule !== "childcare-leave") { when += " · " + fill(C.days, {n: row.days}); }
        li.appendChild(el("p", "guide-plan-dates", when));
      }
      row.parts.forEach(function (part) {
        var p = el("p", null, fill(words[part.k], part.v));
        if (part.c) { p.appendChild(document.createTextNode(" ")); p.appendChild(citeNodes(part.c)); }
        li.appendChild(p);
        if (part.periods) {
          var ul = el("ul", "guide-plan-periods");
          part.periods.forEach(function (pr, i) {
            ul.appendChild(el("li", null, fill(words.period, {n: i + 1, start: pr[0], end: pr[1]})));
          });
          li.appendChild(ul);
        }
      });
      list.appendChild(li);
    });
    return list;
  }

  function ageLabel(months) {
    var W = T.result, y = Math.floor(months / 12), m = months % 12;
    return m ? fill(W.age_ym, {y: y, m: m}) : fill(W.age_y, {y: y});
  }
  function renderRetirement(res) {
    var W = T.result, box = el("div", "guide-plan-row");
    box.setAttribute("data-result", "retirement");
    setData(box, "age-months", res.ageMonths);
    setData(box, "retire", ym(res.retire));
    setData(box, "delay", res.delay);
    if (res.flexible) { setData(box, "earliest", ym(res.earliest)); setData(box, "latest", ym(res.latest)); }
    setData(box, "min-years", String(res.minMonths / 12));
    box.appendChild(el("h3", null, W.title));
    function line(text, cites) {
      var p = el("p", null, text);
      if (cites) { p.appendChild(document.createTextNode(" ")); p.appendChild(citeNodes(cites)); }
      box.appendChild(p);
    }
    var dates = el("p", "guide-plan-dates", fill(W.age, {age: ageLabel(res.ageMonths)}) + " " + fill(W.retire, {ym: fmtYM(res.retire)}));
    box.appendChild(dates);
    line(res.delay ? fill(W.delay, {delay: res.delay, orig: res.age}) : fill(W.no_delay, {start: fmtYM(res.reform)}), "tracks");
    if (res.flexible) {
      line(fill(W.early, {ym: fmtYM(res.earliest), max: R.flexible.early_max_months, orig: res.age}), "flexible");
      line(fill(W.late, {ym: fmtYM(res.latest), max: R.flexible.late_max_months}), "flexible");
    } else {
      line(fill(W.flex_none, {start: fmtYM(res.reform)}), "flexible");
    }
    var y = Math.floor(res.minMonths / 12), years = res.minMonths % 12 ? fill(W.years_half, {y: y}) : fill(W.years, {y: y});
    line(fill(W.min, {year: res.year, years: years}), "contribution");
    return box;
  }

  function summary(q) {
    var dl = el("dl", "guide-plan-inputs"), shown = readForm();
    FIELDS.forEach(function (name) {
      var value = q[name] || shown[name];
      if (!value) { return; }
      var field = root.querySelector('[data-field="' + name + '"]');
      var label = field && (field.querySelector("legend") || field.querySelector("label"));
      var chosen = form.querySelector('[name="' + name + '"][type="radio"][value="' + value + '"]');
      if (chosen && chosen.parentNode) { value = chosen.parentNode.textContent.trim(); }
      else if (parseDate(value) !== null) { value = fmtDate(parseDate(value)); }
      else if (parseYM(value) !== null && name === "born") { value = fmtYM(parseYM(value)); }
      dl.appendChild(el("dt", null, label ? label.textContent : name));
      dl.appendChild(el("dd", null, value));
    });
    return dl;
  }

  var current = null;
  function run(q, focus) {
    var result = tool === "leave" ? leave(R, q) : retirement(R, q, nowMonth());
    var first = showErrors(result.errors);
    plan.textContent = "";
    current = null;
    if (first) {
      plan.appendChild(el("p", "guide-plan-error", C.error_summary));
      tools.hidden = true;
      if (focus) { first.focus(); }
      return;
    }
    current = {q: q, result: result};
    plan.appendChild(el("h3", "guide-plan-inputs-title", C.inputs));
    plan.appendChild(summary(q));
    plan.appendChild(tool === "leave" ? renderLeave(result) : renderRetirement(result.result));
    if (tool === "leave") { plan.appendChild(el("p", "guide-plan-note", T.holidays)); }
    var today = new Date();
    plan.appendChild(el("p", "guide-plan-made", fill(C.made, {
      date: Date.UTC(today.getFullYear(), today.getMonth(), today.getDate())})));
    tools.hidden = false;
    var qs = queryString(q), url = location.href.split(/[?#]/)[0] + (qs ? "?" + qs : "");
    try { history.replaceState(null, "", url); } catch (err) { /* some file:// setups refuse: the link below still works */ }
    root.querySelector(".guide-plan-link").value = url;
    if (focus) { plan.focus(); }
  }
  function nowMonth() { var d = new Date(); return d.getFullYear() * 12 + d.getMonth(); }

  /* .ics: the key dates as all-day events, made in the browser */
  function icsDate(t) { return iso(t).replace(/-/g, ""); }
  function icsText(s) { return String(s).replace(/[\\;,]/g, function (c) { return "\\" + c; }).replace(/\n/g, "\\n"); }
  function calendar() {
    if (!current) { return; }
    var events = [];
    if (tool === "leave") {
      current.result.rows.forEach(function (row) {
        if (row.start === undefined) { return; }
        var end = row.end !== undefined && row.rule !== "nursing-hour" && row.rule !== "childcare-leave" ? row.end : row.start;
        events.push([row.rule, T.rows[row.rule].title, row.start, end]);
      });
    } else {
      var r = current.result.result;
      [["retire", r.retire], ["earliest", r.earliest], ["latest", r.latest]].forEach(function (x) {
        if (x[1] !== undefined) {
          var t = Date.UTC(Math.floor(x[1] / 12), x[1] % 12, 1);
          events.push([x[0], T.result.title + " · " + fmtYM(x[1]), t, t]);
        }
      });
    }
    var stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//" + icsText(C.calendar_name) + "//planner//" + data.lang.toUpperCase(),
                 "CALSCALE:GREGORIAN"];
    events.forEach(function (ev) {
      lines.push("BEGIN:VEVENT", "UID:" + ev[0] + "-" + icsDate(ev[2]) + "@guide-planner", "DTSTAMP:" + stamp,
                 "DTSTART;VALUE=DATE:" + icsDate(ev[2]), "DTEND;VALUE=DATE:" + icsDate(ev[3] + DAY),
                 "SUMMARY:" + icsText(ev[1]), "DESCRIPTION:" + icsText(root.querySelector(".guide-plan-link").value),
                 "END:VEVENT");
    });
    lines.push("END:VCALENDAR");
    var a = document.createElement("a");
    a.href = "data:text/calendar;charset=utf-8," + encodeURIComponent(lines.join("\r\n") + "\r\n");
    a.download = (tool === "leave" ? "leave-plan" : "retirement-plan") + ".ics";
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(readForm(), true); });
  root.querySelector(".guide-plan-ics").addEventListener("click", calendar);
  root.querySelector(".guide-plan-link").addEventListener("focus", function (event) { event.target.select(); });

  var params = new URLSearchParams(location.search), q = {}, any = false;
  FIELDS.forEach(function (name) { if (params.has(name)) { q[name] = params.get(name); any = true; } });
  if (any) { writeForm(q); run(q, false); }
  root.setAttribute("data-ready", "true");
  if (window.performance && performance.mark) { performance.mark("guide-planner-ready"); }   // docs.py bench
})();
