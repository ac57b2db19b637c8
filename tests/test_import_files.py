"""A department's upload: refused on its bytes or its header with one Chinese sentence, or read row by row with
the row numbers the clerk sees. Real files written here (openpyxl, zipfile, hand-encoded CSV), no mocks."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from data.imports import files, intake
from data.imports.files import Refused
from data.imports.headers import excel_column, normalise
from data.imports.template import write_template
from data.registers import REGISTERS

MB = 1024 * 1024
SERVICE = [f.label for f in REGISTERS["service_transaction"].fields]
SERVICE_ROW = [
    "B001",
    "2024-03-05",
    "区市场监管局",
    "某街道",
    "企业开办",
    "窗口",
    "",
    "是",
    "好评",
    "否",
    "否",
]
POLICE = [f.label for f in REGISTERS["police_incident"].fields]
OLE = bytes.fromhex("D0CF11E0A1B11AE1")


def xlsx(path: Path, sheets: dict[str, list[list[object]]], merge: dict[str, str] | None = None) -> Path:
    """A workbook with a sheet per entry; None in a row leaves the cell unwritten, [] is a blank row."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for span in (merge or {}).get(name, "").split():
            ws.merge_cells(span)
    book.save(path)
    return path


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def csv_text(rows: list[list[str]], sep: str = ",") -> str:
    return "".join(sep.join(row) + "\n" for row in rows)


def refusal(path: Path, name: str | None = None, register: str | None = None, **kw) -> str:
    with pytest.raises(Refused) as caught:
        files.find_table(intake.inspect(path, name or path.name, **kw), register)
    return str(caught.value)


def read(
    path: Path, register: str | None = None, chunk_rows: int = 50_000
) -> tuple[files.Table, pd.DataFrame]:
    upload = intake.inspect(path, path.name)
    table = files.find_table(upload, register)
    chunks = list(files.read_chunks(upload, table, chunk_rows))
    return table, pd.concat(chunks) if chunks else pd.DataFrame()


@pytest.fixture(scope="session")
def zip_bomb(tmp_path_factory) -> Path:
    """608 MB of zeros in one entry: about 2.7 MB on disk at compresslevel 1 (level 6 would take 3 s, not 1)."""
    path = tmp_path_factory.mktemp("bomb") / "炸弹.xlsx"
    block = bytes(16 * MB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            for _ in range(38):
                f.write(block)
    return path


# --- inspect: the bytes -------------------------------------------------------------------------------------


def test_inspect_describes_an_xlsx_and_hashes_it(tmp_path):
    path = xlsx(tmp_path / "stored.bin", {"数据": [SERVICE, SERVICE_ROW]})
    upload = intake.inspect(path, "政务服务.XLSX")
    assert upload == intake.Upload(
        path,
        "政务服务.XLSX",
        path.stat().st_size,
        hashlib.sha256(path.read_bytes()).hexdigest(),
        "xlsx",
        None,
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("报表.docx", "只接收 .xlsx、.xls 或 .csv 文件，不接收“.docx”文件。"),
        ("报表", "只接收 .xlsx、.xls 或 .csv 文件，不接收没有扩展名的文件。"),
        ("报表.xlsm", "不接收“.xlsm”文件：含宏的工作簿不予接收，请另存为 .xlsx 后再上传。"),
        ("报表.XLTM", "不接收“.xltm”文件：含宏的工作簿不予接收，请另存为 .xlsx 后再上传。"),
        ("报表.xlsb", "不接收“.xlsb”文件：含宏的工作簿不予接收，请另存为 .xlsx 后再上传。"),
        ("报表.xlam", "不接收“.xlam”文件：含宏的工作簿不予接收，请另存为 .xlsx 后再上传。"),
    ],
)
def test_refused_by_name(tmp_path, name, expected):
    path = write(tmp_path / "f", b"whatever")
    with pytest.raises(Refused) as caught:
        intake.inspect(path, name)
    assert str(caught.value) == expected


def test_empty_and_oversized_files_are_refused(tmp_path):
    with pytest.raises(Refused, match="^文件是空的"):
        intake.inspect(write(tmp_path / "a.csv", b""), "a.csv")
    big = write(tmp_path / "b.csv", b"x" * (MB + 1))
    with pytest.raises(Refused) as caught:
        intake.inspect(big, "b.csv", max_bytes=MB)
    assert str(caught.value) == "文件超过 1 MB 的大小上限，请拆分后再上传。"
    assert intake.inspect(big, "b.csv", max_bytes=2 * MB).size == MB + 1
    with pytest.raises(Refused, match="超过 1.5 MB"):
        intake.inspect(write(tmp_path / "c.csv", b"x" * 2 * MB), "c.csv", max_bytes=3 * MB // 2)


def test_xlsx_with_a_vba_project_is_refused_whatever_its_name(tmp_path):
    path = xlsx(tmp_path / "宏.xlsx", {"数据": [SERVICE, SERVICE_ROW]})
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really a VBA project")
    with pytest.raises(Refused) as caught:
        intake.inspect(path, "宏.xlsx")
    assert "含宏的工作簿不予接收" in str(caught.value)


def test_zip_bomb_is_refused_without_inflating_it(zip_bomb):
    with pytest.raises(Refused) as caught:
        intake.inspect(zip_bomb, zip_bomb.name)
    assert str(caught.value) == "工作簿解压后约 608 MB，远大于文件本身，疑似恶意构造的文件，不予接收。"


def test_ole_files_named_xlsx(tmp_path):
    # An encrypted .xlsx is an OLE compound file: the magic alone refuses it, with no OLE parser.
    fake = write(tmp_path / "加密.xlsx", OLE + bytes(4096))
    with pytest.raises(Refused) as caught:
        intake.inspect(fake, fake.name)
    assert str(caught.value) == "受密码保护的工作簿无法读取，请取消密码后再上传。"
    encrypted = write(
        tmp_path / "e.xlsx", OLE + bytes(1000) + "EncryptedPackage".encode("utf-16-le") + bytes(100)
    )
    with pytest.raises(Refused, match="^受密码保护"):
        intake.inspect(encrypted, "e.xlsx")
    # A legacy workbook renamed: its Workbook stream says so.
    legacy = write(tmp_path / "old.xlsx", OLE + bytes(1000) + "Workbook".encode("utf-16-le") + bytes(100))
    with pytest.raises(Refused, match="^这是旧版 .xls 工作簿，扩展名却是 .xlsx"):
        intake.inspect(legacy, "old.xlsx")


def test_xls_is_checked_by_its_bytes(tmp_path):
    html = write(tmp_path / "导出.xls", "<html><table><tr><td>登记编号</td></tr></table></html>".encode())
    with pytest.raises(Refused) as caught:
        intake.inspect(html, html.name)
    assert str(caught.value).startswith("文件内容不是 .xls 工作簿（扩展名与内容不符")
    renamed = xlsx(tmp_path / "r.xls", {"数据": [SERVICE, SERVICE_ROW]})
    with pytest.raises(Refused, match="^文件实际是 .xlsx 工作簿，扩展名却是 .xls"):
        intake.inspect(renamed, renamed.name)
    macro = write(tmp_path / "m.xls", OLE + bytes(600) + "_VBA_PROJECT_CUR".encode("utf-16-le") + bytes(100))
    with pytest.raises(Refused, match="含宏的工作簿不予接收"):
        intake.inspect(macro, macro.name)
    # OLE bytes pass inspect; calamine then cannot open them, and that is a refusal too, not a traceback.
    encrypted = write(
        tmp_path / "e.xls", OLE + bytes(600) + "EncryptedPackage".encode("utf-16-le") + bytes(100)
    )
    with pytest.raises(Refused, match="^受密码保护的工作簿无法读取"):
        intake.inspect(encrypted, encrypted.name)
    junk = write(tmp_path / "j.xls", OLE + bytes(4096))
    assert intake.inspect(junk, junk.name).kind == "xls"
    assert refusal(junk) == "工作簿已损坏或无法读取，请用 Excel 打开后另存为 .xlsx 再上传。"


def test_xlsx_bytes_that_are_not_a_workbook(tmp_path):
    text = write(tmp_path / "t.xlsx", csv_text([SERVICE, SERVICE_ROW]).encode())
    with pytest.raises(Refused, match=r"^文件内容不是 .xlsx 工作簿（扩展名与内容不符）"):
        intake.inspect(text, text.name)
    broken = write(tmp_path / "b.xlsx", b"PK\x03\x04" + bytes(200))
    with pytest.raises(Refused, match="^文件已损坏，无法作为 .xlsx 工作簿打开"):
        intake.inspect(broken, broken.name)
    docx = tmp_path / "d.xlsx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(Refused, match="^文件不是 Excel 工作簿"):
        intake.inspect(docx, docx.name)
    # A sound zip whose workbook XML is garbage gets past the bytes, and is refused when read.
    garbage = tmp_path / "g.xlsx"
    with zipfile.ZipFile(garbage, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<<<not xml")
    assert refusal(garbage).startswith("工作簿已损坏或无法读取")


def test_csv_encodings_are_detected_from_the_bytes(tmp_path):
    text = csv_text([SERVICE, SERVICE_ROW])
    cases = {
        "utf8.csv": (text.encode("utf-8"), "utf-8"),
        "bom.csv": (b"\xef\xbb\xbf" + text.encode("utf-8"), "utf-8-sig"),
        "gbk.csv": (text.encode("gb18030"), "gb18030"),
    }
    for name, (data, encoding) in cases.items():
        path = write(tmp_path / name, data)
        upload = intake.inspect(path, name)
        assert upload.encoding == encoding, name
        table = files.find_table(upload)
        assert table.register.name == "service_transaction"
        (chunk,) = files.read_chunks(upload, table)
        assert chunk.loc[2].tolist() == SERVICE_ROW, name


def test_utf8_character_cut_at_the_first_megabyte_is_still_utf8(tmp_path):
    head = csv_text([SERVICE, SERVICE_ROW]).encode() + b"B002,2024-03-05,,"
    # 乡 (3 bytes) starts one byte before the 1 MB mark, where the first block read ends.
    data = head + b"x" * (MB - 1 - len(head)) + "乡镇".encode() + b",a,b,c,d,e,f,g\n"
    assert data.rindex("乡".encode()) == MB - 1
    assert intake.inspect(write(tmp_path / "cut.csv", data), "cut.csv").encoding == "utf-8"


def test_csv_bytes_that_cannot_be_text(tmp_path):
    bad = csv_text([SERVICE]).encode("utf-8") + b"B001,\x80\xff\x80\n"
    with pytest.raises(Refused, match="^无法识别文件的文字编码（既不是 UTF-8 也不是 GB18030）"):
        intake.inspect(write(tmp_path / "bad.csv", bad), "bad.csv")
    bom_then_bad = b"\xef\xbb\xbf" + bad
    with pytest.raises(Refused, match="^文件开头标明是 UTF-8 编码"):
        intake.inspect(write(tmp_path / "bom.csv", bom_then_bad), "bom.csv")
    utf16 = "\ufeff登记编号\t受理日期\n".encode("utf-16-le")
    with pytest.raises(Refused, match="^文件是 UTF-16 编码的文本"):
        intake.inspect(write(tmp_path / "u16.csv", utf16), "u16.csv")
    with pytest.raises(Refused, match="^文件不是文本格式的 CSV"):
        intake.inspect(write(tmp_path / "nul.csv", b"a,b\n\x00\x01\x02"), "nul.csv")
    book = xlsx(tmp_path / "book.csv", {"数据": [SERVICE]})
    with pytest.raises(Refused, match="^文件内容是 Excel 工作簿，扩展名却是 .csv"):
        intake.inspect(book, book.name)


# --- find_table: the header ----------------------------------------------------------------------------------


def test_normalised_headers():
    assert normalise(" *登 记\u3000编号（必填）") == "登记编号"
    assert normalise("受理日期(必填)*") == "受理日期"
    assert normalise("Register_No") == "register_no"
    assert normalise("ＲＥＧＩＳＴＥＲ＿ＮＯ") == "register_no"
    assert normalise("\ufeff乡镇（街道）\u200b") == normalise("乡镇(街道)")
    assert [excel_column(c) for c in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_template_sheets_are_skipped_and_the_data_sheet_found(tmp_path):
    example = [SERVICE, ["示例编号", "2024-01-01", "", "", "示例", "窗口", "", "是", "", "否", "否"]]
    path = xlsx(
        tmp_path / "t.xlsx",
        {
            "填写说明": [["列名", "含义"], *[[x, ""] for x in SERVICE]],
            "示例": example,
            "政务服务": [SERVICE, SERVICE_ROW],
        },
    )
    table, rows = read(path)
    assert (table.sheet, table.header_row, table.ignored) == ("政务服务", 1, ())
    assert table.columns == {
        f.name: i for i, f in enumerate(REGISTERS["service_transaction"].fields, start=1)
    }
    assert rows["register_no"].tolist() == ["B001"]


def test_every_register_template_is_recognised(tmp_path):
    # The templates as data/imports/template.py writes them: data sheet, 填写说明, 示例 and a hidden list sheet.
    for register in REGISTERS.values():
        buf = io.BytesIO()
        write_template(register, [("D01", "区司法局")], [("T01", "某街道")], buf)
        path = write(tmp_path / f"{register.name}.xlsx", buf.getvalue())
        assert refusal(path).endswith("文件中没有数据行（第1行的表头下面是空的）。"), register.name
        book = load_workbook(path)
        book.worksheets[0]["A2"] = "X001"
        book.save(path)
        table, rows = read(path)
        assert (table.register, table.header_row, table.ignored) == (register, 1, ()), register.name
        assert list(table.columns) == [f.name for f in register.fields]
        assert rows.index.tolist() == [2] and rows.iloc[0, 0] == "X001"


def test_title_row_merged_cells_formula_and_excel_numbering(tmp_path):
    header = [
        "*登记编号",
        "受理日期（必填）",
        "部门",
        "乡镇",
        "事 项",
        "渠道",
        "按时办结",
        "投诉",
        "差错",
        "备注",
    ]
    path = xlsx(
        tmp_path / "own.xlsx",
        {
            "Sheet1": [
                ["2024年3月政务服务办件登记表"],
                ["填报单位：区市场监管局", None, None, None, None, None, "单位：件"],
                header,
                ["B001", date(2024, 3, 5), "区市场监管局", "某街道", "=1+1", "窗口", True, 0, 12, None],
                [],
                [
                    "B002",
                    datetime(2024, 3, 6, 9, 30),
                    "区市场监管局",
                    None,
                    "企业开办",
                    "网办",
                    "是",
                    "否",
                    "否",
                ],
                ["B003", "2024/3/7", None, None, "企业开办", "窗口", "是", "否", "否"],
                [None, None, None, None, None, None, None, None, None, None],
            ]
        },
        merge={"Sheet1": "A1:J1 C6:C7"},
    )
    table, rows = read(path, "service_transaction")
    assert table.header_row == 3
    assert table.columns == {
        "register_no": 1,
        "occurred_on": 2,
        "department_code": 3,
        "township_code": 4,
        "item": 5,
        "channel": 6,
        "on_time": 7,
        "complaint": 8,
        "error": 9,
    }
    # 备注 heads an empty column: left out, and said so.
    assert table.ignored == ("备注",)
    # Row 5 is blank and left out; the numbers stay Excel's.
    assert rows.index.tolist() == [4, 6, 7]
    assert (rows.dtypes == "object").all()
    first, second, third = (rows.loc[n] for n in (4, 6, 7))
    assert first["occurred_on"] == date(2024, 3, 5) and type(first["occurred_on"]) is date
    assert second["occurred_on"] == datetime(2024, 3, 6, 9, 30) and type(second["occurred_on"]) is datetime
    assert third["occurred_on"] == "2024/3/7"
    assert first["on_time"] is True
    # calamine gives an .xlsx number as a float.
    assert first["error"] == 12.0 and isinstance(first["error"], float)
    # openpyxl saves a formula without a cached value, and calamine (which never evaluates) gives "" for it.
    assert first["item"] == ""
    # A merged cell's value is in its top-left cell only: C7 under the merge C6:C7 reads empty.
    assert (second["department_code"], third["department_code"]) == ("区市场监管局", "")
    assert third["township_code"] == ""


def test_header_problems_are_all_named_at_once(tmp_path):
    header = ["登记编号", "序号", "事项", "渠道", "按时办结", "投诉", "差错", "事项", None, "备注"]
    row = ["B001", "1", "企业开办", "窗口", "是", "否", "否", "又一个", "多出的值", None]
    path = xlsx(tmp_path / "bad.xlsx", {"数据": [["标题"], header, row]})
    assert refusal(path, register="service_transaction") == (
        "不认识的列：“序号”（第2行）；第I列有数据但没有表头；缺少必填列：“受理日期”；重复的列：“事项”（第C列、第H列）。"
    )


def test_csv_unknown_and_missing_columns(tmp_path):
    rows = [
        ["登记编号", "日期", "事项", "办理人", "渠道"],
        ["B001", "2024-03-05", "企业开办", "张三", "窗口"],
    ]
    path = write(tmp_path / "c.csv", csv_text(rows).encode())
    assert refusal(path, register="service_transaction") == (
        "不认识的列：“日期”、“办理人”（第1行）；缺少必填列：“受理日期”、“按时办结”、“投诉”、“差错”。"
    )


def test_sheet_named_when_the_workbook_has_several(tmp_path):
    path = xlsx(
        tmp_path / "two.xlsx", {"说明": [["随便写的"]], "数据": [[*SERVICE, "备注"], [*SERVICE_ROW, "x"]]}
    )
    assert refusal(path) == "工作表“数据”：不认识的列：“备注”（第1行）。"


def test_no_data_rows(tmp_path):
    path = xlsx(tmp_path / "empty.xlsx", {"数据": [["标题"], SERVICE, [], []]})
    assert refusal(path) == "文件中没有数据行（第2行的表头下面是空的）。"
    only_header = write(tmp_path / "h.csv", (csv_text([SERVICE]) + ",,,\n\n").encode())
    assert refusal(only_header) == "文件中没有数据行（第1行的表头下面是空的）。"


def test_register_is_recognised_from_the_header(tmp_path):
    police = write(
        tmp_path / "p.csv", csv_text([POLICE, ["J001", "2024-03-05", "", "刑事", "盗窃", "是"]]).encode()
    )
    assert files.find_table(intake.inspect(police, police.name)).register.name == "police_incident"
    service = xlsx(tmp_path / "s.xlsx", {"数据": [SERVICE, SERVICE_ROW]})
    assert files.find_table(intake.inspect(service, service.name)).register.name == "service_transaction"
    # Only the columns every register has: any of several could be meant.
    common = write(
        tmp_path / "c.csv", csv_text([["登记编号", "乡镇（街道）", "类别"], ["1", "", "x"]]).encode()
    )
    assert refusal(common).startswith("无法识别登记簿（表头与“警情登记”、“行政案件登记”")
    assert refusal(common).endswith("同样相符），请用 --register 指定。")
    nothing = write(tmp_path / "n.csv", csv_text([["姓名", "电话"], ["张三", "123"]]).encode())
    assert refusal(nothing) == "未找到表头：前 30 行中没有一行像登记簿的表头（应有“登记编号”等列名）。"
    assert refusal(police, register="service_transaction").startswith("不认识的列：")
    assert refusal(nothing, register="inspection") == (
        "未找到表头：前 30 行中没有一行含有“登记编号”“检查日期”等双随机抽查登记的列名。"
    )
    with pytest.raises(ValueError, match="没有名为"):
        files.find_table(intake.inspect(police, police.name), "no_such_register")


def test_header_below_row_30_is_not_found(tmp_path):
    path = xlsx(tmp_path / "deep.xlsx", {"数据": [*[[f"说明{i}"] for i in range(30)], SERVICE, SERVICE_ROW]})
    assert refusal(path).startswith("未找到表头")
    path = xlsx(tmp_path / "ok.xlsx", {"数据": [*[[f"说明{i}"] for i in range(29)], SERVICE, SERVICE_ROW]})
    assert read(path)[0].header_row == 30


# --- read_chunks: the rows ---------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_csv_header_on_row_4_values_kept_exactly_and_blank_lines_counted(tmp_path, newline):
    first = ["0012", "2024-03-05", "NA", "", " 企业开办 ", "窗口", "", "是", "", "否", "否"]
    lines = [
        "2024年政务服务办件登记",
        # One record over two lines: rows count records, as Excel shows them.
        '"填报说明：日期写成 2024-03-05,\n不要合并单元格"',
        "",
        ",".join(SERVICE),
        ",".join(first),
        "," * 10,
        "",
        '"B002","2024/3/6","区司法局",,"多行\n事项",窗口,,否,差评,"是",否',
        "B003,2024-03-07",
    ]
    # Excel on Windows saves CSV in the ANSI code page (GBK) with CRLF line ends.
    lines = newline.join(lines) + newline
    path = write(tmp_path / "row4.csv", lines.encode("gb18030"))
    table, rows = read(path)
    assert table.header_row == 4 and table.sheet is None and table.register.name == "service_transaction"
    # Rows 6 (all delimiters) and 7 (a blank line) are empty and left out; row 8's quoted newline is one record.
    assert rows.index.tolist() == [5, 8, 9]
    assert list(rows.columns) == list(table.columns) and (rows.dtypes == "object").all()
    assert rows.loc[5].tolist() == first
    assert rows.loc[8, "item"] == "多行\n事项" and rows.loc[8, "complaint"] == "是"
    # A short record reads as empty in the columns it does not reach.
    assert rows.loc[9].tolist() == ["B003", "2024-03-07", *[""] * 9]
    assert all(type(v) is str for v in rows.to_numpy().ravel())


@pytest.mark.parametrize("sep", ["\t", ";"])
def test_tab_and_semicolon_separated(tmp_path, sep):
    title = "说明,用逗号;分号\t和制表符\n"
    path = write(tmp_path / "s.csv", (title + csv_text([SERVICE, SERVICE_ROW], sep)).encode("utf-8-sig"))
    table, rows = read(path)
    assert table.header_row == 2
    assert rows.loc[3].tolist() == SERVICE_ROW


def test_csv_in_chunks_with_running_row_numbers(tmp_path):
    body = [SERVICE] + [[f"B{i:05d}", *SERVICE_ROW[1:]] for i in range(25_000)]
    body[1001] = [""] * 11
    path = write(tmp_path / "many.csv", csv_text(body).encode())
    upload = intake.inspect(path, path.name)
    chunks = list(files.read_chunks(upload, files.find_table(upload), chunk_rows=10_000))
    assert [len(c) for c in chunks] == [9_999, 10_000, 5_000]
    rows = pd.concat(chunks)
    assert rows.index[0] == 2 and rows.index[-1] == 25_001 and 1002 not in rows.index
    assert rows.loc[25_001, "register_no"] == "B24999"


def test_excel_in_chunks(tmp_path):
    body = [SERVICE] + [[f"B{i:03d}", *SERVICE_ROW[1:]] for i in range(25)]
    path = xlsx(tmp_path / "many.xlsx", {"数据": body})
    upload = intake.inspect(path, path.name)
    chunks = list(files.read_chunks(upload, files.find_table(upload), chunk_rows=10))
    assert [len(c) for c in chunks] == [10, 10, 5]
    assert [c.index[0] for c in chunks] == [2, 12, 22]
    assert chunks[-1].loc[26, "register_no"] == "B024"


def test_read_chunks_from_a_stored_path_without_extension(tmp_path):
    # Uploads may be stored under a name of the server's choosing: the reader goes by the bytes.
    path = xlsx(tmp_path / "0001", {"数据": [SERVICE, SERVICE_ROW]})
    upload = intake.inspect(path, "部门上传.xlsx")
    (chunk,) = files.read_chunks(upload, files.find_table(upload))
    assert chunk.loc[2, "register_no"] == "B001"
