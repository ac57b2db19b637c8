"""The annual report's figures written from the store (issue 10): the year's figures for the reader's scope,
the sentences of data/writeup.csv filled with them, and the table of every indicator, as a Word document.
A plain function, so that the CLI (`dashboard export docx`) and the pages call the same thing."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import Connection

from dashboard.content.texts import report_closing
from dashboard.exports import docx as report_docx
from data import catalog, org, writeup
from data.queries.dimensions import dimensions
from data.queries.figures import figures
from data.queries.filters import Filters
from data.store import get_meta
from layouts import writeup as words
from layouts.format import day, moment, number, yoy_phrase


class ReportRefused(ValueError):
    """What makes a report impossible for these filters, in one Chinese line."""


def place(conn: Connection, filters: Filters) -> str:
    """The places ``filters`` narrow to, by name; 全区 for none."""
    names = dimensions(conn).names()
    chosen = [*filters.townships, *filters.departments]
    return "、".join(names.get(code, code) for code in chosen) or "全区"


def require_year(years: list[int], year: int | None) -> int:
    """``year`` when the store holds it; else ReportRefused naming the years it does hold."""
    if year is None or year not in years:
        held = "、".join(str(y) for y in years) or "无"
        raise ReportRefused(f"库中没有 {year or ''} 年的数据（已有：{held}）")
    return year


def report_title(conn: Connection, year: int) -> str:
    """The Word report's title, also its file's name: 示例区2024年法治政府建设工作报告（数据部分）."""
    return writeup.TITLE.format(district=org.district_name(conn), year=year)


def report_document(conn: Connection, filters: Filters) -> report_docx.ReportDocument:
    """What the Word document says for ``filters``: only figures its scope may see, headings and sentences in the
    file's order, and one table row per visible indicator in catalog order."""
    require_year(dimensions(conn).years, filters.year)
    shown = {f.code: f for f in figures(conn, filters)}
    cat = catalog.load()
    table = []
    for code, fig in shown.items():
        ind = cat[code]
        value, unit = number(fig.value, fig.unit)
        # a one-off piece of work and a claim have no 同比 (the catalog's nature; the note says why)
        change = (yoy_phrase(fig.yoy_pct, fig.yoy_points) if ind.compares else None) or "—"
        said = "；".join(t for t in (ind.beside(filters.year, filters.whole(ind)), ind.note) if t)
        table.append(
            (catalog.AREAS[ind.area], ind.name, value, unit, change, ind.definition, ind.responsible, said)
        )
    as_of = max((f.as_of for f in shown.values() if f.as_of), default=None)
    parts = [
        f"范围：{place(conn, filters)}",
        f"数据截至：{day(as_of)}",
        f"生成于：{moment(datetime.now().astimezone())}",
    ]
    if get_meta(conn, "demo") == "true":
        parts.append("示例数据")
    return report_docx.ReportDocument(
        title=report_title(conn, filters.year),
        subtitle="　".join(parts),
        sections=words.sections(
            writeup.load(), shown, filters.year, frozenset(c for c in shown if not filters.whole(cat[c]))
        ),
        table=table,
        codes=tuple(shown),
    )


def _with_closing(doc: report_docx.ReportDocument, closing: list[dict]) -> bytes:
    """The document, closed by the deck's text slides as its last numbered chapters (before the annex)."""
    return report_docx.build(doc, [(c["title"], list(c["lines"])) for c in closing if c.get("lines")])


def report_docx_bytes(conn: Connection, filters: Filters) -> bytes:
    return _with_closing(report_document(conn, filters), report_closing(conn, filters))


def frozen_report_docx(report: dict, note: str) -> bytes:
    """The Word document of a report frozen in a snapshot (ReportDocument.to_dict's), ``note`` under its title."""
    doc = report_docx.ReportDocument.from_dict(report)
    return _with_closing(replace(doc, subtitle=f"{doc.subtitle}　{note}"), report.get("closing", []))
