"""Publishing (issue 7): the nginx configuration in a real nginx, and the atomic deploy script."""

from __future__ import annotations

import gzip
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, search

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(site, tmp_path_factory):
    """The repo's nginx.conf, serving the built site on a loopback port."""
    assert Path(NGINX).exists(), "nginx is missing: apt-get install nginx (scripts/dev.sh test does this)"
    tmp = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    server = (ROOT / "scripts/deploy/nginx.conf").read_text(encoding="utf-8")
    server = server.replace("listen 80;", f"listen 127.0.0.1:{port};").replace("/srv/guide/current", str(site))
    (tmp / "logs").mkdir()
    conf = tmp / "nginx.conf"
    user = "user root; " if os.geteuid() == 0 else ""   # test files sit in root-only temp folders
    conf.write_text(f"""{user}pid {tmp}/nginx.pid; error_log {tmp}/logs/error.log; daemon off; worker_processes 1;
events {{ worker_connections 64; }}
http {{ include /etc/nginx/mime.types; access_log off; client_body_temp_path {tmp}; proxy_temp_path {tmp};
fastcgi_temp_path {tmp}; uwsgi_temp_path {tmp}; scgi_temp_path {tmp};
{server} }}""", encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(tmp)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp)], stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/"
    for _ in range(50):
        try:
            urllib.request.urlopen(base, timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def _get(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        return urllib.request.urlopen(request, timeout=5)
    except urllib.error.HTTPError as err:
        return err


def test_nginx_sends_security_headers_gzip_and_cache_rules(nginx, site):
    page = _get(nginx, **{"Accept-Encoding": "gzip"})
    assert page.status == 200
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "http" not in csp.replace("'self'", "")
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert page.headers["Content-Encoding"] == "gzip"
    assert "<html" in gzip.decompress(page.read()).decode("utf-8")
    assert "no-cache" in page.headers["Cache-Control"]
    bundle = next((site / "assets/javascripts").glob("bundle.*.min.js")).name
    asset = _get(nginx + "assets/javascripts/" + bundle)
    assert "max-age=31536000" in asset.headers["Cache-Control"]
    assert asset.headers["Content-Security-Policy"]          # security headers on assets too
    assert _get(nginx + "assets/").status in (403, 404)        # no directory listing
    missing = _get(nginx + "no/such/page/")
    assert missing.status == 404 and "404" in missing.read().decode("utf-8")


def test_site_works_under_the_content_security_policy(nginx, browser):
    page = browser.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(nginx + "rights/")
    hrefs = search(page, "书香三八")
    assert any("items/02-reading-campaign/" in h for h in hrefs[:3]), hrefs
    page.keyboard.press("Escape")
    page.click('.guide-size[data-size="large"]')
    assert page.get_attribute("html", "data-guide-size") == "large"
    page.close()
    assert errors == [], errors


def _deploy(project: Path, root: Path, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(project / "scripts/docs.py"), "deploy", str(root)], cwd=project,
                          capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1", **env))


def test_deploy_publishes_atomically_and_a_failure_leaves_the_live_site(project_copy, tmp_path):
    (project_copy / "tests").mkdir(exist_ok=True)
    shutil.copy2(ROOT / "tests/published-urls.txt", project_copy / "tests/published-urls.txt")
    root = tmp_path / "guide"
    first = _deploy(project_copy, root)
    assert first.returncode == 0, first.stderr[-2000:]
    current = root / "current"
    assert current.is_symlink() and (current / "index.html").exists()
    live = current.resolve()
    # broken content: the deploy stops, the live site stays as it was
    page = project_copy / "docs/items/06-needs-survey.md"
    page.write_text(page.read_text(encoding="utf-8").replace("section: 3\n", "section: [3\n"), encoding="utf-8")
    second = _deploy(project_copy, root)
    assert second.returncode != 0
    assert "live site is unchanged" in second.stderr
    assert current.resolve() == live and (live / "index.html").exists()
    assert [p for p in (root / "releases").iterdir()] == [live]


def test_deploy_refuses_a_path_outside_its_target(project_copy, tmp_path):
    assert _deploy(project_copy, Path("/")).returncode == 2
    assert _deploy(project_copy, Path("relative/dir")).returncode == 2
    root = tmp_path / "guide"
    (root / "current").mkdir(parents=True)          # something else lives there: not ours to replace
    result = _deploy(project_copy, root)
    assert result.returncode == 2 and "not this script's to replace" in result.stderr
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.rmtree(root / "current")
    (root / "current").symlink_to(outside)
    assert _deploy(project_copy, root).returncode == 2
