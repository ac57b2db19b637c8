"""Printing decks through Chromium (issue 10): the renderer answers every request of a printed page itself and
gives up at once on a failing script or a full queue, radicals in the printed text become the characters shown,
the command line writes PDF and PNG, and a server without a browser says so and keeps working. The pages'
PDF and PNG on both engines are in tests/test_present.py."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image
from pypdf import PdfReader

from dashboard import create_app
from dashboard.exports.pdf_text import fix_cmap, ideographs, searchable
from dashboard.exports.render import MAX_WAITING, RenderBusy, Renderer, RenderError, Static
from layouts.decks import CHART_IMAGE, CHART_IMAGE_SCALE

pytestmark = pytest.mark.browser


def _pages(data: bytes) -> list[str]:
    # text extraction may break a line anywhere: compare without white space
    return ["".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]


def test_a_server_without_a_browser_says_so_and_keeps_working(demo_urls, tmp_path):
    app = create_app(
        {"database_url": demo_urls["sqlite"], "instance_path": tmp_path, "browser": str(tmp_path / "nothing")}
    )
    client = app.server.test_client()
    try:
        refused = client.get("/present/annual/deck.pdf?year=2024")
        page = refused.get_data(as_text=True)
        assert (
            refused.status_code == 503
            and "DASHBOARD_BROWSER 指向的" in page
            and "apt-get install chromium" in page
        )
        assert client.get("/present/annual/deck.pptx?year=2024").status_code == 200
    finally:
        app.server.extensions["dashboard.jobs"].shutdown()
        app.server.extensions["dashboard.engine"].dispose()


class _Counter(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.seen.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_a_printed_page_reaches_no_other_origin_and_only_the_allowed_files():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    elsewhere = f"http://127.0.0.1:{server.server_port}"
    html = f"""<!DOCTYPE html><html><head><link rel="stylesheet" href="{elsewhere}/a.css">
      <script src="{elsewhere}/a.js"></script><link rel="stylesheet" href="/static/canvas.js">
      </head><body><img src="{elsewhere}/a.png"><iframe src="{elsewhere}/frame"></iframe>
      <p id="mark">一页</p><script>
        fetch("{elsewhere}/fetch").catch(function () {{}});
        fetch("/static/../render.py").then(function (r) {{ document.title = "got " + r.status; }},
          function () {{ document.body.dataset.ready = "1"; }});
      </script></body></html>"""
    renderer = Renderer(Static({"canvas.js": "application/javascript"}))
    try:
        pdf = renderer.pdf(html, (800, 600), "body[data-ready]")
    finally:
        renderer.close()
        server.shutdown()
    assert _Counter.seen == []
    assert _pages(pdf) == ["⼀⻚"] and _pages(searchable(pdf)) == ["一页"]


def test_dashboard_export_pdf_and_png_write_files_and_refuse_plainly(demo_urls, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DATABASE_URL": demo_urls["sqlite"], "DASHBOARD_INSTANCE_PATH": str(tmp_path / "instance")}

    def run(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "dashboard.cli", "export", *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=180)

    pdf = tmp_path / "汇报.pdf"
    done = run("pdf", "--year", "2024", "--department", "SFJ", "-o", str(pdf))
    assert done.returncode == 0 and "已写出 2024 年汇报幻灯片（PDF）" in done.stdout, done.stderr
    assert len(PdfReader(str(pdf)).pages) >= 3 and "司法局" in _pages(pdf.read_bytes())[0]
    png = tmp_path / "图.png"
    done = run("png", "--year", "2024", "--slide", "4", "--chart", "chart", "-o", str(png))
    assert done.returncode == 0 and "已写出 2024 年汇报图表" in done.stdout, done.stderr
    assert Image.open(png).width == (CHART_IMAGE[0] + 48) * CHART_IMAGE_SCALE
    for args, words in [
        (("png", "--slide", "99", "-o", str(png)), "没有第 99 页"),
        (("png", "-o", str(png)), "--slide"),
        (("pdf", "-o", str(tmp_path / "x.pptx")), "输出文件应以 .pdf 结尾"),
        (("pdf", "--snapshot", "77", "-o", str(pdf)), "快照"),
    ]:
        refused = run(*args)
        assert refused.returncode == 2 and words in refused.stderr and "Traceback" not in refused.stderr, args
    env["DASHBOARD_BROWSER"] = str(tmp_path / "nothing")
    refused = run("pdf", "-o", str(pdf))
    assert refused.returncode == 2 and "DASHBOARD_BROWSER 指向的" in refused.stderr


def test_radicals_in_a_text_map_become_the_characters_on_the_page():
    # ⼯ (Kangxi) and ⻘ (supplement) as Chromium writes them for 工 and 青, alone and inside ranges
    cmap = (
        "3 beginbfchar\n<01> <2F2F>\n<02> <4F5C>\n<03> <2ED8>\nendbfchar\n"
        "2 beginbfrange\n<10> <12> <2F2E>\n<20> <21> <0030>\nendbfrange\n"
        "1 beginbfrange\n<30> <31> [<2F2D> <5C71>]\nendbfrange"
    )
    fixed = fix_cmap(cmap)
    assert "3 beginbfchar\n<01> <5DE5>\n<02> <4F5C>\n<03> <9752>\nendbfchar" in fixed
    # a range that runs into radicals (⼮⼯⼰) is written out glyph by glyph; one that does not is kept
    assert "<20> <21> <0030>" in fixed and "<10> <5DDB>\n<11> <5DE5>\n<12> <5DF1>" in fixed
    assert "<30> <31> [<5C71> <5C71>]" in fixed
    assert fix_cmap("1 beginbfchar\n<01> <5DE5>\nendbfchar") == "1 beginbfchar\n<01> <5DE5>\nendbfchar"
    assert ideographs("⻘⼭镇⼯作⼾") == "青山镇工作户"


def test_a_renderer_with_a_full_queue_refuses_at_once():
    renderer = Renderer(Static({}))
    renderer._thread = threading.current_thread()  # stands for a browser busy with what is queued
    for _ in range(MAX_WAITING):
        renderer._jobs.put(object())
    with pytest.raises(RenderBusy, match="正在生成的 PDF 和图片太多"):
        renderer.pdf("<p>x</p>", (800, 600), "p")


def test_a_page_whose_script_fails_is_refused_at_once_and_the_next_one_prints():
    renderer = Renderer(Static({}))
    try:
        with pytest.raises(RenderError, match="页面脚本出错"):
            renderer.pdf("<p>x</p><script>undefinedThing();</script>", (800, 600), "body[data-ready]")
        pdf = renderer.pdf(
            '<p>x</p><script>document.body.dataset.ready = "1"</script>', (800, 600), "body[data-ready]"
        )
    finally:
        renderer.close()
    assert _pages(pdf) == ["x"]
