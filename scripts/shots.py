"""Retake every picture in docs/ that no test takes, from a demo store:

    .venv/bin/python scripts/shots.py --database-url sqlite:///path/to/demo.db [--out docs] [--only NAME ...]

The store is a demo SQLite store (`dashboard init --demo`, or the test suite's .test-cache/demo-*.db). The script
works on a COPY of it in a temporary folder and never changes the caller's file: on the copy it creates the
accounts it signs in with when they are missing (the test suite's accounts: admin, leader, clerk, ... with the
password below), a snapshot, kiosk links, two batches and the deck's text slides. The app is served in this
process (werkzeug) and driven with the system Chromium (Playwright); Chromium loads nothing from elsewhere. The
office files are written by the `dashboard export` command on the copy and drawn by LibreOffice
(scripts/render_office.py).

It writes into --out (default docs/), NAME.png for each NAME of PICTURES (--only: just those):

- wall screens (1920x1080, once the 全屏 button has hidden): screen-service, screen-business, screen-mediation,
  screen-reconsideration, screen-security;
- desk: desk-overview-1920, desk-mediation-1920 (青山镇), desk-security-phone (a 390 px phone, the whole page),
  desk-store-down (the store's file moved away under a served desk);
- slides: present-slide, present-overview (1920x1080), present-notes, present-list, present-phone-landscape;
- admin and data pages: admin-screens, admin-users, data-batch-errors, data-batch-review, first-steps (an
  empty store);
- office files, written by `dashboard export` and drawn by LibreOffice (soffice): deck-overview, deck-mediation,
  deck-pptx-service, deck-pptx-decision, deck-department-pptx, deck-text-pptx (PowerPoint), report-docx-page1,
  report-docx-page2, report-docx-signature, report-docx-table, report-docx-closing (Word); present-pdf (a page of
  the PDF, drawn by poppler's pdftoppm) and present-chart (a chart's PNG, halved).

Needs: Chromium, soffice, pdftoppm (apt-get install chromium libreoffice poppler-utils). About two minutes.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pypdf
from openpyxl import Workbook
from PIL import Image
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pptx import Presentation
from render_office import render_pdf, to_pdf
from werkzeug.serving import make_server

from dashboard.app import create_app
from data import accounts, kiosk
from data.engine import open_engine
from data.imports import stage
from data.imports.batches import Actor
from data.store import migrate
from layouts.paths import (
    ADMIN_PATH,
    BATCH_PATH,
    DATA_PATH,
    LOGIN_PATH,
    PRESENT_PATH,
    SCREEN_PATH,
    SCREENS_PATH,
    fill,
)

PASSWORD = "测试用的密码-0123"
# name -> (role, tie), as tests/conftest.py's PEOPLE
PEOPLE: dict[str, tuple[str, dict[str, str]]] = {
    "admin": ("admin", {}),
    "leader": ("leader", {}),
    "market": ("department", {"department": "SCJGJ"}),
    "justice": ("department", {"department": "SFJ"}),
    "police": ("department", {"department": "GAFJ"}),
    "qingshan": ("township", {"township": "qingshan"}),
    "clerk": ("clerk", {"department": "SCJGJ"}),
}
ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking"]
YEAR = 2024
WALL = ["overview", "service", "business", "mediation", "reconsideration", "security"]
# the deck's text slides, as a leader writes them on /present (tests/test_deck_text_browser.py)
TEXTS = {
    "存在的问题": [
        "少数领导运用法治思维和法治方式解决问题的能力还有所欠缺，重点领域执法问题仍较突出。",
        "普法质效还需提升：部分党员干部对普法工作认识不到位，普法针对性不强。",
        "法治政府建设特色亮点还不多，缺乏在全国、全省有影响力的工作经验。",
    ],
    "下一步工作安排": [
        "推进乡镇（街道）调解组织规范化建设。",
        "完善行政执法监督平台，提高执法监督的信息化水平。",
    ],
}
DISPUTES = "矛盾纠纷调处登记"
DISPUTE_HEAD = [
    "登记编号",
    "受理日期",
    "承办单位",
    "乡镇（街道）",
    "调处层级",
    "纠纷类型",
    "调处成功",
    "结案日期",
]

PICTURES = [
    *(f"screen-{name}" for name in WALL[1:]),
    "desk-overview-1920",
    "desk-mediation-1920",
    "desk-security-phone",
    "desk-store-down",
    "present-slide",
    "present-overview",
    "present-notes",
    "present-list",
    "present-phone-landscape",
    "admin-screens",
    "admin-users",
    "data-batch-errors",
    "data-batch-review",
    "first-steps",
    "deck-overview",
    "deck-mediation",
    "deck-pptx-service",
    "deck-pptx-decision",
    "deck-department-pptx",
    "deck-text-pptx",
    "present-pdf",
    "present-chart",
    "report-docx-page1",
    "report-docx-page2",
    "report-docx-signature",
    "report-docx-table",
    "report-docx-closing",
]


class Shots:
    """Where pictures go, and which are wanted."""

    def __init__(self, out: Path, only: list[str]) -> None:
        self.out = out
        self.wanted = set(only or PICTURES)

    def want(self, *names: str) -> bool:
        return bool(self.wanted & set(names))

    def path(self, name: str) -> str:
        print(f"  {name}.png", flush=True)
        return str(self.out / f"{name}.png")


# --- the store and the app ---------------------------------------------------------------------------------


def copy_store(url: str, folder: Path, name: str) -> Path:
    if not url.startswith("sqlite:///"):
        sys.exit("只支持 SQLite 的示例库（sqlite:///路径）：脚本在它的副本上工作")
    source = Path(url.removeprefix("sqlite:///"))
    if not source.is_file():
        sys.exit(f"找不到 {source}")
    target = folder / name
    shutil.copyfile(source, target)
    for suffix in ("-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    return target


def prepare(store: Path) -> None:
    """The accounts the script signs in with, on the copy, when the store lacks them."""
    engine = open_engine(f"sqlite:///{store}")
    with engine.begin() as conn:
        for name, (role, tie) in PEOPLE.items():
            if accounts.get_user(conn, name) is None:
                accounts.add_user(conn, name, PASSWORD, role, **tie)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


@contextmanager
def served(store: Path, instance: Path) -> Iterator[tuple[str, object]]:
    """The app over ``store``, on a free port of this machine: (its base URL, the app)."""
    app = create_app({"database_url": f"sqlite:///{store}", "instance_path": instance})
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        app.server.extensions["dashboard.jobs"].shutdown()
        app.server.extensions["dashboard.engine"].dispose()


def cli(store: Path, instance: Path, cwd: Path, *args: str) -> str:
    """The `dashboard` command on ``store``, as a person runs it; its output."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{store}", "DASHBOARD_INSTANCE_PATH": str(instance)}
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"dashboard {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


# --- the browser -------------------------------------------------------------------------------------------


def new_page(browser: Browser, width: int, height: int, **options) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", **options)
    return context.new_page()


def sign_in(page: Page, base: str, name: str, target: str) -> None:
    page.goto(f"{base}{LOGIN_PATH}?next={target}")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: LOGIN_PATH not in url)


def desk_drawn(page: Page, charts: bool = True) -> None:
    """The desk's cards and charts are drawn: no request outstanding, every chart with its SVG (the overview
    has cards only)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(".kpi-card")
    if charts:
        page.wait_for_selector(".js-plotly-plot .main-svg")
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot')).every(p => p.querySelector('.main-svg'))"""
    )
    page.wait_for_timeout(800)  # the charts' transitions


def walls(browser: Browser, base: str, shots: Shots) -> None:
    if not shots.want(*(f"screen-{name}" for name in WALL)):
        return
    page = new_page(browser, 1920, 1080)
    page.goto(f"{base}{SCREEN_PATH}?screens={','.join(WALL)}&every=3600&year={YEAR}")
    for index, name in enumerate(WALL):
        if index:
            page.keyboard.press("ArrowRight")
        active = page.locator(f'.screen.active[data-screen="{name}"]')
        expect(active.locator(".figure-number").first).not_to_have_text("", timeout=15_000)
        if not shots.want(f"screen-{name}"):
            continue
        page.wait_for_function(
            f"""() => {{
                 const s = document.querySelector('.screen.active[data-screen="{name}"]');
                 const plots = s.querySelectorAll('.js-plotly-plot');
                 return Array.from(plots).every(p => p.querySelector('.main-svg'));
               }}"""
        )
        page.wait_for_timeout(1800)  # the count-up has ended
        # as a wall shows it: the 全屏 button leaves once the pointer rests (3 s)
        expect(page.locator("#fullscreen")).to_be_hidden(timeout=6000)
        page.screenshot(path=shots.path(f"screen-{name}"))
    page.context.close()


def desks(browser: Browser, base: str, shots: Shots) -> None:
    for name, path in (
        ("desk-overview-1920", f"/?year={YEAR}"),
        ("desk-mediation-1920", f"/mediation?year={YEAR}&township=qingshan"),
    ):
        if shots.want(name):
            page = new_page(browser, 1920, 1080)
            page.goto(base + path)
            desk_drawn(page, charts=name != "desk-overview-1920")
            page.screenshot(path=shots.path(name), full_page=True)
            page.context.close()
    if shots.want("desk-security-phone"):
        page = new_page(browser, 390, 844, is_mobile=True, has_touch=True)
        page.goto(f"{base}/security?year={YEAR}")
        desk_drawn(page)
        # the phone's width: the dropdowns' hidden focus inputs reach past it (61 px), widening a full-page capture
        height = page.evaluate("document.documentElement.scrollHeight")
        clip = {"x": 0, "y": 0, "width": 390, "height": height}
        page.screenshot(path=shots.path("desk-security-phone"), full_page=True, clip=clip)
        page.context.close()


def slides(browser: Browser, base: str, shots: Shots) -> None:
    deck = f"{base}{PRESENT_PATH}/annual?year={YEAR}"
    for name, number in (("present-slide", 9), ("present-overview", 2)):
        if shots.want(name):
            page = new_page(browser, 1920, 1080)
            page.goto(f"{deck}#{number}")
            slide_drawn(page, number)
            page.screenshot(path=shots.path(name))
            page.context.close()
    if shots.want("present-phone-landscape"):
        page = new_page(browser, 844, 390, is_mobile=True, has_touch=True, device_scale_factor=3)
        page.goto(f"{deck}#9")
        slide_drawn(page, 9)
        page.screenshot(path=shots.path("present-phone-landscape"))
        page.context.close()
    if shots.want("present-notes"):
        # the presenter's window follows the slide window of the same browser
        page = new_page(browser, 1280, 720)
        page.goto(f"{deck}#9")
        slide_drawn(page, 9)
        notes = page.context.new_page()
        notes.goto(f"{base}/present/annual/notes?year={YEAR}#9")
        expect(notes.locator("#notes-number")).to_contain_text("第 9 /")
        notes.wait_for_load_state("networkidle")
        notes.wait_for_timeout(1000)
        notes.screenshot(path=shots.path("present-notes"))
        page.context.close()
    if shots.want("present-list"):
        page = new_page(browser, 1280, 640)
        page.goto(f"{base}{PRESENT_PATH}?year={YEAR}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=shots.path("present-list"))
        page.context.close()


def slide_drawn(page: Page, number: int) -> None:
    expect(page.locator("#number")).to_contain_text(f"{number} /")
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.slide.active .js-plotly-plot'))
                   .every(p => p.querySelector('.main-svg'))"""
    )
    page.wait_for_timeout(800)


def admin_pages(browser: Browser, base: str, shots: Shots) -> None:
    if shots.want("admin-screens"):
        page = new_page(browser, 1440, 900)
        sign_in(page, base, "admin", SCREENS_PATH)
        form = page.locator("form.admin-new")
        form.locator("input[name=name]").fill("一楼大厅")
        form.locator("input[name=every]").fill("30")
        form.locator("select[name=year]").select_option(str(YEAR))
        form.locator("select[name=township]").select_option("qingshan")
        for screen in ("overview", "mediation"):
            form.locator(f"input[name=screens][value={screen}]").check()
        form.get_by_role("button", name="创建链接").click()
        expect(page.locator(".admin-created")).to_be_visible()
        page.screenshot(path=shots.path("admin-screens"))
        page.context.close()
    if shots.want("admin-users"):
        page = new_page(browser, 1280, 800)
        sign_in(page, base, "admin", ADMIN_PATH)
        form = page.locator("form.admin-new")
        form.locator("input[name=username]").fill("wangwu")
        form.locator("input[name=name]").fill("王五")
        form.locator("select[name=role]").select_option("department")
        form.locator("select[name=department]").select_option("SCJGJ")
        form.locator("input[name=password]").fill(PASSWORD)
        form.locator("input[name=password2]").fill(PASSWORD)
        form.get_by_role("button", name="新建账号").click()
        expect(page.locator(".admin-ok")).to_contain_text("wangwu")
        page.screenshot(path=shots.path("admin-users"), full_page=True)
        page.context.close()


def disputes(path: Path, *, bad: bool) -> Path:
    """Three disputes the market regulator handled in March 2024; ``bad``: 青山 without its 镇 and 可能 for a
    yes/no in the first row (tests/test_data_browser.py)."""
    wb = Workbook()
    ws = wb.active
    ws.title = DISPUTES
    ws.append(DISPUTE_HEAD)
    ws.append(
        ["SC-2024-0001", date(2024, 3, 5), "区市场监督管理局", "青山镇", "乡镇", "邻里纠纷", "是", None]
    )
    ws.append(
        ["SC-2024-0002", date(2024, 3, 6), "区市场监督管理局", "白沙镇", "村居", "合同纠纷", "否", None]
    )
    ws.append(["SC-2024-0003", "2024-03-07", "区市场监督管理局", "", "区", "其他", "是", date(2024, 3, 9)])
    if bad:
        ws["D2"] = "青山"
        ws["G2"] = "可能"
    wb.save(path)
    return path


def batch_pages(browser: Browser, base: str, app, work: Path, shots: Shots) -> None:
    """A clerk's two uploads, received and checked as the data page does: one with errors, one to review."""
    if not shots.want("data-batch-errors", "data-batch-review"):
        return
    engine = app.server.extensions["dashboard.engine"]
    uploads = work / "instance" / "uploads"
    clerk = Actor("clerk", "clerk", PEOPLE["clerk"][1]["department"])
    ids = {}
    for name, bad in (("data-batch-errors", True), ("data-batch-review", False)):
        folder = work / name
        folder.mkdir()
        source = disputes(folder / "三月调处.xlsx", bad=bad)
        batch_id = stage.receive(engine, uploads, source, source.name, clerk)
        batch = stage.check(engine, uploads, batch_id, clerk, 50 * 1024 * 1024)
        expected = "invalid" if bad else "staged"
        if batch.status != expected:
            sys.exit(f"批次 {batch_id} 的状态是 {batch.status}，应为 {expected}")
        ids[name] = batch_id
    page = new_page(browser, 1400, 1000)
    sign_in(page, base, "clerk", DATA_PATH)
    for name, batch_id in ids.items():
        if shots.want(name):
            page.goto(base + fill(BATCH_PATH, batch_id=batch_id))
            expect(page.locator(".data-summary")).to_have_attribute("data-running", "0")
            page.screenshot(path=shots.path(name), full_page=True)
    page.context.close()


def store_down(browser: Browser, store: Path, work: Path, shots: Shots) -> None:
    """The desk as the store goes away under it: its file moved aside, as tests/test_faults.py does."""
    if not shots.want("desk-store-down"):
        return
    with served(store, work / "instance-down") as (base, _app):
        page = new_page(browser, 1600, 900)
        page.goto(f"{base}/mediation?year={YEAR}")
        desk_drawn(page)
        store.rename(store.with_suffix(".aside"))
        page.locator("#filter-township").click()
        page.get_by_role("option", name="青山镇", exact=True).click()
        page.keyboard.press("Escape")
        banner = page.locator(".store-banner.down")
        banner.wait_for(state="visible", timeout=10_000)
        page.wait_for_selector('#mediation-kpis .empty-state:has-text("数据库暂时无法连接")')
        # every callback has answered (a dropdown shows a spinner while its own is out)
        page.wait_for_function("!document.querySelector('[data-dash-is-loading=\"true\"]')")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=shots.path("desk-store-down"))
        page.context.close()


def first_steps(browser: Browser, work: Path, shots: Shots) -> None:
    """An empty store, made as `dashboard init` makes it."""
    if not shots.want("first-steps"):
        return
    store = work / "empty.db"
    engine = open_engine(f"sqlite:///{store}", create=True)
    migrate(engine)
    engine.dispose()
    with served(store, work / "instance-empty") as (base, _app):
        page = new_page(browser, 1280, 800)
        page.goto(f"{base}{PRESENT_PATH}")
        expect(page.get_by_text("还没有已发布的数据")).to_be_visible()
        page.screenshot(path=shots.path("first-steps"))
        page.context.close()


# --- office files ------------------------------------------------------------------------------------------


def slide_number(pptx: Path, title: str) -> int:
    """The 1-based number of the first slide titled ``title`` (its first text)."""
    for number, slide in enumerate(Presentation(str(pptx)).slides, start=1):
        texts = [
            s.text_frame.text.strip() for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip()
        ]
        if texts and texts[0] == title:
            return number
    sys.exit(f"{pptx.name} 里没有“{title}”一页")


def page_number(pdf: Path, test: Callable[[str], bool], what: str) -> int:
    for number, page in enumerate(pypdf.PdfReader(pdf).pages, start=1):
        if test(page.extract_text() or ""):
            return number
    sys.exit(f"{pdf.name} 里没有{what}")


def draw(pdf: Path, pages: dict[str, int], work: Path, shots: Shots) -> None:
    """The chosen ``pages`` of ``pdf`` (name -> number), drawn by LibreOffice, as NAME.png."""
    pages = {name: number for name, number in pages.items() if shots.want(name)}
    drawn = render_pdf(pdf, str(work / pdf.stem), sorted(set(pages.values())))
    by_number = dict(zip(sorted(set(pages.values())), drawn, strict=True))
    for name, number in pages.items():
        shutil.copyfile(by_number[number], shots.path(name))


def office(store: Path, work: Path, shots: Shots) -> None:
    folder = work / "office"
    folder.mkdir()
    instance = work / "instance"

    def export(kind: str, name: str, *more: str) -> Path:
        target = folder / name
        cli(store, instance, folder, "export", kind, "--year", str(YEAR), *more, "-o", str(target))
        return target

    deck = ("deck-overview", "deck-mediation", "deck-pptx-service", "deck-pptx-decision")
    if shots.want(*deck):
        pptx = export("pptx", "deck.pptx")
        titles = dict(zip(deck, ("总览", "矛盾纠纷", "政务服务", "依法决策"), strict=True))
        draw(to_pdf(pptx, folder), {n: slide_number(pptx, t) for n, t in titles.items()}, work, shots)
    if shots.want("deck-department-pptx"):
        pptx = export("pptx", "department.pptx", "--department", "SFJ")
        number = slide_number(pptx, "行政复议（续）")
        draw(to_pdf(pptx, folder), {"deck-department-pptx": number}, work, shots)
    if shots.want("present-pdf"):
        # poppler, not LibreOffice: LibreOffice's PDF import sets the text again in other fonts (overlaps)
        pdf = export("pdf", "deck.pdf")
        page = folder / "deck-page"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-f",
                "9",
                "-l",
                "9",
                "-singlefile",
                "-scale-to",
                "1280",
                str(pdf),
                str(page),
            ],
            check=True,
        )
        shutil.copyfile(page.with_suffix(".png"), shots.path("present-pdf"))
    if shots.want("present-chart"):
        png = export("png", "chart.png", "--slide", "9", "--chart", "split")
        with Image.open(png) as image:
            image.resize((image.width // 2, image.height // 2), Image.LANCZOS).save(
                shots.path("present-chart")
            )
    report = ("report-docx-page1", "report-docx-page2", "report-docx-signature", "report-docx-table")
    if shots.want(*report):
        pdf = to_pdf(export("docx", "report.docx"), folder)
        signature = page_number(pdf, lambda text: "发文机关署名" in text, "落款")
        annex = page_number(pdf, lambda text: text.lstrip().startswith("附件") and "领域" in text, "附表")
        pages = dict(zip(report, (1, 2, signature, annex + 1), strict=True))
        draw(pdf, pages, work, shots)
    if shots.want("deck-text-pptx", "report-docx-closing"):
        for title, lines in TEXTS.items():
            text = folder / f"{title}.txt"
            text.write_text("\n".join(lines) + "\n", encoding="utf-8")
            cli(
                store,
                instance,
                folder,
                "deck",
                "text",
                "--year",
                str(YEAR),
                "--slide",
                title,
                "--file",
                str(text),
            )
        if shots.want("deck-text-pptx"):
            pptx = export("pptx", "deck-texts.pptx")
            draw(to_pdf(pptx, folder), {"deck-text-pptx": slide_number(pptx, "存在的问题")}, work, shots)
        if shots.want("report-docx-closing"):
            pdf = to_pdf(export("docx", "report-texts.docx"), folder)
            closing = page_number(pdf, lambda text: "存在的问题" in text, "“存在的问题”")
            draw(pdf, {"report-docx-closing": closing}, work, shots)


# --- the whole -----------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="sqlite:///示例库（只读它的副本）")
    parser.add_argument("--out", default="docs")
    parser.add_argument("--browser", default="/usr/bin/chromium")
    parser.add_argument("--only", nargs="+", choices=PICTURES, metavar="NAME", default=[])
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    shots = Shots(Path(args.out), args.only)
    shots.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DASHBOARD_BROWSER", args.browser)
    with tempfile.TemporaryDirectory(prefix="shots-") as tmp:
        work = Path(tmp)
        store = copy_store(args.database_url, work, "store.db")
        prepare(store)
        instance = work / "instance"
        if shots.want("present-list"):
            cli(store, instance, work, "snapshot", "create", "--year", str(YEAR), "--department", "SFJ")
        if shots.want("admin-screens"):
            engine = open_engine(f"sqlite:///{store}")
            with engine.begin() as conn:
                kiosk.create_link(conn, "旧会议室")
                kiosk.revoke_link(conn, "旧会议室")
                kiosk.create_link(conn, "二楼走廊", department="SFJ")
            engine.dispose()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.browser, args=ARGS)
            with served(store, instance) as (base, app):
                walls(browser, base, shots)
                desks(browser, base, shots)
                slides(browser, base, shots)
                admin_pages(browser, base, shots)
                batch_pages(browser, base, app, work, shots)
            store_down(browser, copy_store(args.database_url, work, "down.db"), work, shots)
            first_steps(browser, work, shots)
            browser.close()
        office(store, work, shots)


if __name__ == "__main__":
    main()
