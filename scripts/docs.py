#!/usr/bin/env python3
"""One command line for the site: build, check, serve, new page.

    python scripts/docs.py build [--out DIR]   strict build into a staging folder, then swap into DIR (default site/)
    python scripts/docs.py check               strict build into a temporary folder; nothing is published
    python scripts/docs.py serve [--port N]    serve the built site/ on 127.0.0.1 (run build first)
    python scripts/docs.py live [--port N]     mkdocs serve with live reload, for editing
    python scripts/docs.py new item N          create the page of work item N (1-13) from the skeleton
    python scripts/docs.py new page PATH       create docs/PATH.md as a plain page
    python scripts/docs.py stats               characters, citations and template links per guidance page
    python scripts/docs.py parity [PAGE …]     compare English pages with their Chinese pages (default: all)
    python scripts/docs.py translate-policy ID write docs/policies/ID.en.md: English headings, Chinese text to translate
    python scripts/docs.py urls                rewrite tests/published-urls.txt from a fresh build
    python scripts/docs.py deploy ROOT         build into ROOT/releases/…, verify, then switch ROOT/current
    python scripts/docs.py bench               build times, page weights, search latency vs the budgets
    python scripts/docs.py due                 what is due for review: pages, policy pages, facts still to check
    python scripts/docs.py fix-encoding FILE…  show how files saved as GBK / with BOM / CRLF would be converted
                                               to UTF-8; add --write to convert them

Run from the repository root with the project's virtual environment
(scripts/dev.sh does both). A failed build never replaces a good site: the new
site is written next to the old one and swapped in only when the build passed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from guide import notice as notice_mod, sources  # noqa: E402

ITEM_SLUGS = {
    1: "01-theory-study", 2: "02-reading-campaign", 3: "03-skills", 4: "04-volunteering",
    5: "05-henan-protection-rules", 6: "06-needs-survey", 7: "07-democratic-rights",
    8: "08-care-action", 9: "09-mental-health", 10: "10-childcare", 11: "11-culture-sports",
    12: "12-innovation", 13: "13-cadre-training",
}


def mkdocs_build(out: Path, extra_env: dict[str, str] | None = None) -> int:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(extra_env or {}))
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(out)]
    return subprocess.call(cmd, cwd=ROOT, env=env)


def pack_offline(site: Path) -> int:
    """Build the offline copy (Material's offline plugin: works from a folder, file://) and zip it
    into the site as downloads/guide-offline.zip, with the PDF inside. GUIDE_OFFLINE_ZIP=0 skips it."""
    if os.environ.get("GUIDE_OFFLINE_ZIP", "1") == "0":
        return 0
    with tempfile.TemporaryDirectory(prefix="guide-offline-") as tmp:
        offline = Path(tmp) / "guide-offline"
        rc = mkdocs_build(offline, {"GUIDE_OFFLINE": "true", "GUIDE_PDF": "0"})
        if rc:
            print("The offline copy did not build.", file=sys.stderr)
            return rc
        for name in ("guide-zh.pdf", "guide-en.pdf"):
            pdf = site / "downloads" / name
            if pdf.exists():
                shutil.copy2(pdf, offline / "downloads" / name)
        (offline / "使用说明.txt").write_text(
            "女职工工作指南（离线版）\n\n解压后，用浏览器打开本文件夹里的 index.html 即可阅读和搜索，不需要联网。\n"
            "English: unzip, then open index.html in a browser; no internet connection is needed.\n", encoding="utf-8")
        target = site / "downloads/guide-offline.zip"
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for path in sorted(offline.rglob("*")):
                if path.is_file():
                    zf.write(path, path.relative_to(offline.parent).as_posix())
    return 0


def build(out: Path) -> int:
    """Strict build into a staging folder beside `out`; swap it in only on success.

    A build killed at any moment (power cut, Ctrl+C twice) leaves `out` as it was: the swap is one
    atomic exchange of the two folders where the system offers it (Linux renameat2), and the next
    build removes what a killed build left behind (staging folders, or puts back a site moved aside)."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-{os.getpid()}-", dir=out.parent))
    try:
        rc = mkdocs_build(staging) or pack_offline(staging)
        if rc != 0:
            print(f"\nBuild failed (exit {rc}); {out} was left unchanged.", file=sys.stderr)
            return rc
        if out.exists() and _exchange(staging, out):
            pass                                  # staging now holds the old site: removed below
        else:
            old = out.with_name(f".{out.name}-old")
            shutil.rmtree(old, ignore_errors=True)
            if out.exists():
                out.rename(old)
            staging.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        print(f"Site built into {out}")
        return 0
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 with RENAME_EXCHANGE); False where unsupported."""
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _clean_stale(out: Path) -> None:
    """Remove the staging folders of builds that were killed, and put back a site a killed swap moved aside."""
    old = out.with_name(f".{out.name}-old")
    if old.is_dir() and not out.exists():
        old.rename(out)
    for folder in out.parent.glob(f".{out.name}-new-*"):
        pid = folder.name[len(f".{out.name}-new-"):].split("-")[0]
        if pid.isdigit() and _alive(int(pid)):
            continue                              # another build is running right now
        shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def check() -> int:
    """The content checks first (a second or so; every problem at once), then a strict build that
    publishes nothing (links, anchors, rendering)."""
    from guide import checks, markers

    notice = notice_mod.load(str(ROOT / "docs/notice/notice-2020.txt"))
    problems = checks.check_site(ROOT / "docs", {i.number: i.section for i in notice.items},
                                 set(markers.MARKERS)).problems
    if problems:
        print(f"发现{len(problems)}处内容问题 / {len(problems)} content problem(s):\n" + "\n".join(str(p) for p in problems),
              file=sys.stderr)
        return 1
    print("Content checks passed; building to check links and rendering…", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="guide-check-") as tmp:
        return mkdocs_build(Path(tmp) / "site")


def serve(port: int) -> int:
    site = ROOT / "site"
    if not (site / "index.html").exists():
        print("site/ is not built yet; run: python scripts/docs.py build", file=sys.stderr)
        return 1
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        print(f"Serving {site} at http://127.0.0.1:{port}/ (Ctrl+C to stop)")
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


def live(port: int) -> int:
    # The PDF takes about 20 s; live reload skips it unless GUIDE_PDF=1 is set.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", GUIDE_PDF=os.environ.get("GUIDE_PDF", "0"))
    # --dirty: after an edit only the changed pages are rebuilt (the benchmark times it); MkDocs warns
    # about dirty builds, so live preview is not strict: `docs.py check` is the strict gate.
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-a", f"127.0.0.1:{port}"]
    return subprocess.call(cmd, cwd=ROOT, env=env)


def new(kind: str, target: str) -> int:
    today = dt.date.today().isoformat()
    if kind == "item":
        number = int(target)
        notice = notice_mod.load(str(ROOT / "docs/notice/notice-2020.txt"))
        item = notice.item(number)
        path = ROOT / "docs/items" / f"{ITEM_SLUGS[number]}.md"
        text = (f"---\nkind: item\nitem: {number}\nsection: {item.section}\n"
                f"audience: [会员, 工会干部]\nreviewed: {today}\n---\n\n"
                "<!-- 标题和通知原文由构建程序自动加在这里。 -->\n")
        english = text.replace("<!-- 标题和通知原文由构建程序自动加在这里。 -->",
                               "<!-- The build adds the title and the notice's wording here. -->")
    elif kind == "page":
        path = ROOT / "docs" / f"{target.removesuffix('.md')}.md"
        text = (f"---\nkind: page\ntitle: 新页面\nreviewed: {today}\n---\n\n"
                "# 新页面\n")
        english = text.replace("新页面", "New page")
    else:
        print("usage: docs.py new item N | new page PATH", file=sys.stderr)
        return 2
    if path.exists():
        print(f"{path.relative_to(ROOT)} already exists", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    en = path.with_name(path.name[:-3] + ".en.md")
    if not en.exists():
        en.write_text(english, encoding="utf-8")
    print(f"Created {path.relative_to(ROOT)} and its English page {en.relative_to(ROOT)} (keep the same headings, "
          f"citations and template links); add it to nav in mkdocs.yml, then run: python scripts/docs.py check")
    return 0


def stats() -> int:
    """Characters (Chinese text), citations and template links of each guidance page."""
    import re

    from guide import citations, skeleton
    from guide.content_model import split_body

    rows = []
    for path in sorted((ROOT / "docs").glob("*/*.md")):
        rel = path.relative_to(ROOT / "docs").as_posix()
        if not rel.startswith(skeleton.GUIDANCE_DIRS) or rel.endswith(".en.md") or rel == "items/index.md":
            continue
        text = split_body(sources.read(path))[0]
        chars = len(re.findall(r"[\u4e00-\u9fff]", citations.CITE_RE.sub("", text)))
        cites = len(citations.CITE_RE.findall(text))
        tpls = len(set(skeleton.TEMPLATE_LINK_RE.findall(text)))
        rows.append((rel, chars, cites, tpls))
    print(f"{'page':45} {'汉字':>6} {'citations':>9} {'templates':>9}")
    for rel, chars, cites, tpls in rows:
        print(f"{rel:45} {chars:6} {cites:9} {tpls:9}")
    n = len(rows) or 1
    print(f"{'mean':45} {sum(r[1] for r in rows) / n:6.0f} {sum(r[2] for r in rows) / n:9.1f} "
          f"{sum(r[3] for r in rows) / n:9.1f}")
    translation_stats()
    return 0


def translation_stats() -> None:
    """The English edition: pages per language, parity, words, translated policy articles."""
    import re

    from guide import policies, translation
    from guide.content_model import split_body

    docs = ROOT / "docs"
    zh = sorted(p for p in docs.rglob("*.md") if not p.name.endswith(".en.md"))
    en = [p.with_name(p.name[:-3] + ".en.md") for p in zh]
    in_parity = sum(1 for z, e in zip(zh, en) if e.exists() and not translation.parity(
        z.relative_to(docs).as_posix(), sources.read(z),
        e.relative_to(docs).as_posix(), sources.read(e)))
    han = words = 0
    for z, e in zip(zh, en):
        han += len(re.findall(r"[\u4e00-\u9fff]", split_body(sources.read(z))[0]))
        if e.exists():
            body = split_body(sources.read(e))[0]
            words += len(re.findall(r"[A-Za-z][A-Za-z'’-]*", body))
    print(f"\nEnglish edition: {sum(e.exists() for e in en)} of {len(zh)} pages translated, {in_parity} in parity; "
          f"Chinese {han} characters, English {words} words")
    total = done = 0
    for e in sorted(docs.glob("policies/*.en.md")):
        arts = policies.parse_page(split_body(sources.read(e))[0])
        if arts:
            n = sum(not translation.untranslated(a.paragraphs) for a in arts.values())
            total, done = total + len(arts), done + n
            print(f"  {e.name:34} {n:4} of {len(arts):4} articles translated")
    print(f"  {'policy articles':34} {done:4} of {total:4} translated")


def parity(pages: list[str]) -> int:
    """Structure of each English page against its Chinese page (the same check the build runs)."""
    from guide import translation

    docs = ROOT / "docs"
    if pages:
        zh = [docs / Path(p).relative_to("docs") if p.startswith("docs/") else docs / p for p in pages]
        zh = [p.with_name(p.name.replace(".en.md", ".md")) for p in zh]
    else:
        zh = sorted(p for p in docs.rglob("*.md") if not p.name.endswith(".en.md"))
    problems, done = [], 0
    for path in zh:
        rel = path.relative_to(docs).as_posix()
        en = path.with_name(path.name[:-3] + ".en.md")
        if not en.exists():
            problems.append(f"docs/{rel}: no English page docs/{en.relative_to(docs).as_posix()}")
            continue
        text = sources.read(en)
        found = translation.parity(rel, sources.read(path), en.relative_to(docs).as_posix(), text)
        found += translation.glossary_problems(en.relative_to(docs).as_posix(), text)
        problems += [str(p) for p in found]
        done += not found
    print("\n".join(problems))
    print(f"{done} of {len(zh)} page(s) in parity")
    return 1 if problems else 0


def translate_policy(policy_id: str) -> int:
    """Write the English file of a policy page to translate (refuses to overwrite one)."""
    from guide import translation

    zh = ROOT / "docs/policies" / f"{policy_id}.md"
    en = zh.with_name(f"{policy_id}.en.md")
    if not zh.exists():
        print(f"No policy page docs/policies/{policy_id}.md", file=sys.stderr)
        return 2
    if en.exists():
        print(f"{en.relative_to(ROOT)} exists; translate it in place", file=sys.stderr)
        return 2
    en.write_text(translation.policy_skeleton(sources.read(zh)), encoding="utf-8")
    print(f"Created {en.relative_to(ROOT)}: translate the front matter, headings and articles; "
          "an article left in Chinese is shown as not yet translated")
    return 0


PRIORITY = ("rights/index.md", "tools/leave.md")   # members act on these first


def due(today: dt.date | None = None) -> int:
    """Pages past their 下次核对 date, policy pages not reviewed for a year, facts still to check; oldest first."""
    import yaml

    from guide import content_model

    today = today or dt.date.today()
    # mkdocs.yml's `!ENV [NAME, default]` tags mean nothing here: read them as plain lists
    months = int(yaml.safe_load(sources.read(ROOT / "mkdocs.yml").replace("!ENV", ""))["extra"]
                 .get("review_interval_months", 12))
    docs = ROOT / "docs"
    pages, past, policies_old, facts = [], [], [], []
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs).as_posix()
        data, problems = content_model.read_front_matter(path, f"docs/{rel}")
        if data is None or rel.endswith(".en.md"):
            continue
        reviewed = data.get("reviewed")
        if not isinstance(reviewed, dt.date):
            continue
        y, m = divmod(reviewed.month - 1 + months, 12)
        next_check = dt.date(reviewed.year + y, m + 1, min(reviewed.day, 28))
        order = (rel not in PRIORITY, PRIORITY.index(rel) if rel in PRIORITY else 0, reviewed)
        if next_check < today:
            past.append((order, rel, reviewed, next_check))
        if data.get("kind") == "policy" and (today - reviewed).days > 365:
            policies_old.append((order, rel, reviewed))
        if data.get("kind") == "policy" and data.get("text") == "facts":
            count = sources.read(path).count("待与官方文本核对")
            if count:
                facts.append((order, rel, reviewed, count))
        pages.append(rel)
    print(f"{len(pages)} Chinese pages checked on {today} (each English page follows its Chinese page).\n")
    print(f"Past their 下次核对 date: {len(past)}")
    for _, rel, reviewed, next_check in sorted(past):
        print(f"  docs/{rel}  reviewed {reviewed}, due {next_check}")
    print(f"\nPolicy pages whose status and validity note were last checked more than a year ago: {len(policies_old)}")
    for _, rel, reviewed in sorted(policies_old):
        print(f"  docs/{rel}  reviewed {reviewed}: check 效力状态 and the validity note against the official source")
    print(f"\nFacts pages still carrying 待与官方文本核对: {len(facts)}")
    for _, rel, reviewed, count in sorted(facts):
        print(f"  docs/{rel}  {count} item(s), reviewed {reviewed}: import the official text when it can be read")
    print("\nAfter checking a page, set its 'reviewed:' date to the day you checked it.")
    return 0


def fix_encoding(paths: list[Path], write: bool) -> int:
    """Convert files saved as GBK/GB18030, with a byte-order mark or with CRLF/CR line ends to UTF-8 + LF."""
    changed = 0
    for path in paths:
        if not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            return 1
        what = sources.fix(path, write)
        if what:
            changed += 1
            print(f"{path}: {what}" + ("" if write else " (not written: add --write)"))
    if not changed:
        print("Nothing to convert: the files are UTF-8 with LF line ends.")
    elif not write:
        print(f"\n{changed} file(s) would change. Run again with --write to convert them.")
    return 0


def urls() -> int:
    """Rewrite the committed list of published URLs from a fresh build (keeps old entries: URLs never vanish)."""
    from guide.urls import published

    manifest = ROOT / "tests/published-urls.txt"
    old = set(manifest.read_text(encoding="utf-8").split()) if manifest.exists() else set()
    with tempfile.TemporaryDirectory(prefix="guide-urls-") as tmp:
        rc = build(Path(tmp) / "site")
        if rc:
            return rc
        new = set(published(Path(tmp) / "site"))
    gone = sorted(old - new)
    if gone:
        print("Not published any more (add redirects in mkdocs.yml, or remove on purpose):\n  " + "\n  ".join(gone))
        return 1
    manifest.write_text("\n".join(sorted(new)) + "\n", encoding="utf-8")
    print(f"{manifest.relative_to(ROOT)}: {len(new)} URLs ({len(new - old)} new)")
    return 0


FORBIDDEN_ROOTS = {"/", "/bin", "/boot", "/dev", "/etc", "/lib", "/proc", "/root", "/sbin", "/sys", "/usr", "/var", "/home"}


def deploy(root: Path, keep: int = 3) -> int:
    """Publish atomically: build a new release, verify it, then switch the `current` symlink.

    A failed build or check leaves `current` (the live site) untouched.
    """
    from guide.urls import redirected
    from guide.verify import verify

    root = root.expanduser()
    if not root.is_absolute() or str(root.resolve()) in FORBIDDEN_ROOTS or str(root) in FORBIDDEN_ROOTS:
        print(f"Refusing to publish into {root}: give an absolute folder of its own, e.g. /srv/guide", file=sys.stderr)
        return 2
    root = root.resolve()
    releases = root / "releases"
    current = root / "current"
    if current.exists() or current.is_symlink():
        if not current.is_symlink() or releases not in current.resolve().parents:
            print(f"Refusing to publish: {current} exists and is not a link into {releases}; "
                  "it is not this script's to replace", file=sys.stderr)
            return 2
    releases.mkdir(parents=True, exist_ok=True)
    release = releases / dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    if releases not in release.resolve().parents:
        print(f"Refusing to publish outside {releases}", file=sys.stderr)
        return 2
    started = dt.datetime.now()
    rc = build(release)
    if rc != 0:
        print("Deploy stopped: the build failed; the live site is unchanged.", file=sys.stderr)
        shutil.rmtree(release, ignore_errors=True)
        return rc
    problems = verify(release, ROOT / "tests/published-urls.txt", redirected(ROOT / "mkdocs.yml"))
    if problems:
        print("Deploy stopped: the checks failed; the live site is unchanged.\n  " + "\n  ".join(problems[:30]),
              file=sys.stderr)
        shutil.rmtree(release, ignore_errors=True)
        return 1
    link = root / f".current-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(release.relative_to(root))
    os.replace(link, current)                     # atomic switch of the live site
    for old in sorted(p for p in releases.iterdir() if p.is_dir())[:-keep]:
        if old != release:
            shutil.rmtree(old, ignore_errors=True)
    seconds = (dt.datetime.now() - started).total_seconds()
    print(f"Published {release.name} → {current} in {seconds:.1f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="strict build, swapped into place only on success")
    p.add_argument("--out", type=Path, default=ROOT / "site")
    sub.add_parser("check", help="strict build into a temporary folder")
    sub.add_parser("stats", help="characters, citations and template links per guidance page")
    sub.add_parser("urls", help="rewrite tests/published-urls.txt from a fresh build")
    p = sub.add_parser("parity", help="compare English pages with their Chinese pages")
    p.add_argument("pages", nargs="*")
    p = sub.add_parser("translate-policy", help="write the English file of a policy page to translate")
    p.add_argument("policy")
    p = sub.add_parser("bench", help="benchmark against the performance budgets (a few minutes)")
    p.add_argument("--runs", type=int, default=3)
    p = sub.add_parser("deploy", help="build, verify, and switch ROOT/current atomically")
    p.add_argument("root", type=Path)
    for name in ("serve", "live"):
        p = sub.add_parser(name)
        p.add_argument("--port", type=int, default=8000)
    p = sub.add_parser("due", help="what is due for review, oldest first")
    p.add_argument("--today", type=dt.date.fromisoformat, help="count as if today were this date (YYYY-MM-DD)")
    p = sub.add_parser("fix-encoding", help="convert GBK / BOM / CRLF files to UTF-8 with LF (dry run by default)")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--write", action="store_true", help="convert the files (default: only show what would change)")
    p = sub.add_parser("new", help="create a page from the skeleton")
    p.add_argument("kind", choices=["item", "page"])
    p.add_argument("target")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    if args.command == "build":
        return build(args.out)
    if args.command == "check":
        return check()
    if args.command == "stats":
        return stats()
    if args.command == "urls":
        return urls()
    if args.command == "due":
        return due(args.today)
    if args.command == "fix-encoding":
        return fix_encoding(args.paths, args.write)
    if args.command == "parity":
        return parity(args.pages)
    if args.command == "translate-policy":
        return translate_policy(args.policy)
    if args.command == "deploy":
        return deploy(args.root)
    if args.command == "bench":
        from guide import bench
        return bench.run(ROOT, args.runs)
    if args.command == "serve":
        return serve(args.port)
    if args.command == "live":
        return live(args.port)
    return new(args.kind, args.target)


if __name__ == "__main__":
    sys.exit(main())
