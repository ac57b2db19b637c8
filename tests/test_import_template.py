"""The import template a department fills in, and their own file handed back with every error marked."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from data.imports.annotate import annotate, annotated_filename
from data.imports.template import template_filename, write_template
from data.registers import DATE_FORMATS_ZH, REGISTERS

DEPARTMENTS = [("D01", "区司法局"), ("D02", "区公安分局"), ("D03", "区市场监管局")]
# 20 names of 12 characters: far past Excel's 255 characters of a literal list
TOWNSHIPS = [(f"T{i:02d}", f"第{i:02d}号测试乡镇街道办事处") for i in range(20)]


def template(register: str, department: tuple[str, str] | None = None, townships=TOWNSHIPS):
    buf = io.BytesIO()
    write_template(REGISTERS[register], DEPARTMENTS, townships, buf, department=department)
    return load_workbook(io.BytesIO(buf.getvalue()))


def validations(ws) -> dict[str, object]:
    """Each validated column's letter → its validation."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        ref = str(dv.sqref)
        assert ref.endswith("20001") and ref.split(":")[0][1:] == "2", ref
        found[ref[0]] = dv
    return found


def test_template_sheets_headers_and_comments():
    register = REGISTERS["dispute_case"]
    wb = template("dispute_case")
    assert wb.sheetnames == ["矛盾纠纷调处登记", "填写说明", "示例", "列表"]
    assert wb.active.title == "矛盾纠纷调处登记"
    assert wb["列表"].sheet_state == "hidden"
    ws = wb["矛盾纠纷调处登记"]
    assert [c.value for c in ws[1]] == [f.label for f in register.fields]
    assert ws.max_row == 1, "no example row on the data sheet"
    assert ws.freeze_panes == "A2"
    for cell, f in zip(ws[1], register.fields, strict=True):
        assert bool(cell.font.b) == f.required, f.name
        assert cell.comment is not None and cell.comment.author == "数据驾驶舱"
        assert f.format_zh in cell.comment.text and f.meaning in cell.comment.text
        assert ("必填" if f.required else "选填") in cell.comment.text
    formats = {}
    for dim in ws.column_dimensions.values():
        for col in range(dim.min, dim.max + 1):
            formats[col] = dim.number_format
            assert dim.width >= 12
    assert formats[1] == "@"  # 登记编号: 0012 keeps its zeros
    assert formats[2] == "yyyy-mm-dd" and formats[8] == "yyyy-mm-dd"
    assert formats[4] == "@"


def test_template_validations():
    wb = template("dispute_case")
    checks = validations(wb["矛盾纠纷调处登记"])
    assert sorted(checks) == list("BCDEFGH")  # every column but the register number
    for dv in checks.values():
        assert dv.errorStyle in (None, "stop") and dv.showErrorMessage
        assert dv.errorTitle and dv.error and dv.prompt
    date_check = checks["B"]
    assert date_check.type == "date" and date_check.operator in (None, "between")
    assert (date_check.formula1, date_check.formula2) == ("36526", "73415")  # 2000-01-01, 2100-12-31
    assert DATE_FORMATS_ZH in date_check.prompt
    assert checks["C"].formula1 == '"区司法局,区公安分局,区市场监管局"'
    assert checks["E"].formula1 == '"区,乡镇,村居"'
    assert checks["G"].formula1 == '"是,否"'
    # the townships are too long for a literal list: a range on the hidden sheet
    assert checks["D"].formula1 == "列表!$B$2:$B$21"
    hidden = wb["列表"]
    assert [c.value for c in hidden["B"] if c.value] == ["乡镇（街道）", *(name for _, name in TOWNSHIPS)]
    assert [c.value for c in hidden["A"] if c.value][1:] == [name for _, name in DEPARTMENTS]
    assert [c.value for c in hidden["D"] if c.value][1:] == list(
        REGISTERS["dispute_case"].field("dispute_type").choices
    )


def test_template_whole_numbers_and_no_department():
    ws = template("detention").worksheets[0]
    assert [c.value for c in ws[1]] == [f.label for f in REGISTERS["detention"].fields]
    days = validations(ws)["E"]
    assert (days.type, days.formula1, days.formula2) == ("whole", "1", "20")
    visit = validations(template("enterprise_visit").worksheets[0])
    assert (visit["F"].type, visit["F"].operator, visit["F"].formula1) == ("whole", "greaterThanOrEqual", "0")

    wb = template("police_incident", townships=TOWNSHIPS[:2])
    ws = wb["警情登记"]
    assert [c.value for c in ws[1]] == ["登记编号", "接报日期", "乡镇（街道）", "警情性质", "类别", "破案"]
    checks = validations(ws)
    assert checks["C"].formula1 == '"第00号测试乡镇街道办事处,第01号测试乡镇街道办事处"'
    assert (
        checks["E"].formula1
        == '"盗窃,诈骗,故意伤害,抢夺抢劫,其他刑事,矛盾纠纷,殴打他人,噪音扰民,赌博,其他治安"'
    )
    assert [c.value for c in wb["列表"][1]] == ["乡镇（街道）", "警情性质", "类别", "破案"]


def test_template_instructions_and_example():
    register = REGISTERS["dispute_case"]
    wb = template("dispute_case")
    rows = [r for r in wb["填写说明"].iter_rows(values_only=True)]
    assert rows[0][0] == "矛盾纠纷调处登记填写说明"
    assert register.row_is in rows[1][0]
    text = "\n".join(str(r[0]) for r in rows if r[0])
    for rule in (
        "同一文件重复导入不会重复计数",
        DATE_FORMATS_ZH,
        "空白行会被忽略",
        "不要修改表头",
        "以 = 开头",
    ):
        assert rule in text
    top = next(i for i, r in enumerate(rows) if r[0] == "列名")
    assert rows[top] == ("列名", "是否必填", "含义", "格式与可选值", "示例")
    table = [r for r in rows[top + 1 :] if r[0]]
    assert [r[0] for r in table] == [f.label for f in register.fields]
    assert [r[3] for r in table] == [f.format_zh for f in register.fields]
    assert table[0][4] == "2024-0001" and table[2][4] == "区司法局"

    example = wb["示例"]
    assert [c.value for c in example[1]] == [f.label for f in register.fields]
    values = [c.value for c in example[2]]
    assert values[:4] == ["2024-0001", datetime(2024, 3, 5), "区司法局", "第00号测试乡镇街道办事处"]
    assert values[4:] == ["区", "婚姻家庭", "是", datetime(2024, 3, 20)]
    assert example.max_row == 2


def test_template_for_a_clerk_lists_only_their_department(tmp_path):
    path = tmp_path / template_filename(REGISTERS["dispute_case"])
    write_template(REGISTERS["dispute_case"], DEPARTMENTS, TOWNSHIPS, path, department=("D02", "区公安分局"))
    assert path.name == "矛盾纠纷调处登记-导入模板.xlsx"
    wb = load_workbook(path)
    assert validations(wb.worksheets[0])["C"].formula1 == '"区公安分局"'
    assert [c.value for c in wb["列表"]["A"] if c.value] == ["承办单位", "区公安分局"]
    assert wb["示例"]["C2"].value == "区公安分局"


def test_template_long_or_awkward_department_names_come_from_the_list_sheet():
    many = [(f"D{i}", f"区第{i}个很长名称的政府工作部门") for i in range(30)] + [("X", "甲,乙联合办公室")]
    buf = io.BytesIO()
    write_template(REGISTERS["hotline_request"], many, [], buf)
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    checks = validations(wb.worksheets[0])
    assert checks["C"].formula1 == "列表!$A$2:$A$32"
    assert "D" not in checks, "no townships: no drop-down rather than an empty one"
    assert wb["列表"]["A32"].value == "甲,乙联合办公室"


# --- annotate -------------------------------------------------------------------------------------------------

COLUMNS = {"register_no": 1, "occurred_on": 2, "department_code": 3, "township_code": 4, "success": 5}
ERRORS = [
    {
        "row": 4,
        "field": "township_code",
        "column": "乡镇（街道）",
        "value": "青山",
        "reason": "“青山”不在乡镇（街道）列表中，是否为“青山镇”？",
        "message": "第4行“乡镇（街道）”列：“青山”不在乡镇（街道）列表中，是否为“青山镇”？",
    },
    {
        "row": 4,
        "field": "township_code",
        "column": "乡镇（街道）",
        "value": "青山",
        "reason": "另一个原因",
        "message": "第4行：另一个原因",
    },
    {
        "row": 5,
        "field": None,
        "column": None,
        "value": "",
        "reason": "登记编号与第3行重复",
        "message": "第5行：登记编号与第3行重复",
    },
    {
        "row": 6,
        "field": "occurred_on",
        "column": "受理日期",
        "value": "=1+1",
        "reason": "“=1+1”不是日期\x07",
        "message": "第6行",
    },
    {
        "row": None,
        "field": None,
        "column": None,
        "value": "",
        "reason": "文件中没有“调处成功”以外的问题",
        "message": "全表",
    },
]
RED = "FFC7CE"


def fill_of(cell) -> str:
    return str(cell.fill.fgColor.rgb)[-6:] if cell.fill.fill_type == "solid" else ""


def department_workbook(path) -> None:
    wb = Workbook()
    notes = wb.active
    notes.title = "说明"
    notes["A1"] = "本表由司法所填报"
    ws = wb.create_sheet("台账")
    ws["A1"] = "2024年矛盾纠纷台账"
    ws.append(["登记编号", "受理日期", "承办单位", "乡镇（街道）", "调处成功"])
    for cell in ws[2]:
        cell.font = Font(bold=True, size=12)
    ws.append(["0001", date(2024, 3, 5), "区司法局", "青山镇", "是"])
    ws.append(["0002", date(2024, 3, 6), "区司法局", "青山", "是"])
    ws.append(["0001", date(2024, 3, 7), "区司法局", "", "否"])
    ws.append(["0004", "=1+1", "区司法局", "", "否"])
    ws["B3"].number_format = "yyyy-mm-dd"
    ws.column_dimensions["A"].width = 30
    ws["D4"].comment = Comment("待核实", "司法所")
    ws["E3"].fill = PatternFill("solid", fgColor="FFFF00")
    wb.save(path)


def test_annotate_xlsx_keeps_their_workbook_and_marks_each_error(tmp_path):
    # stored as the uploads directory keeps them: without an extension
    src, out = tmp_path / "3f2a9c", tmp_path / "out.xlsx"
    department_workbook(src)
    annotate(src, "xlsx", "台账", 2, COLUMNS, ERRORS, out)

    wb = load_workbook(out)
    assert wb.sheetnames == ["错误清单", "说明", "台账"]
    assert wb.active.title == "错误清单"
    assert wb["说明"]["A1"].value == "本表由司法所填报"
    ws = wb["台账"]
    assert ws["A2"].font.b and ws["A3"].value == "0001" and ws["B3"].number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["A"].width == 30 and fill_of(ws["E3"]) == "FFFF00"
    township = ws["D4"]
    assert fill_of(township) == RED and str(township.font.color.rgb).endswith("9C0006")
    assert township.comment.author == "数据驾驶舱"
    assert township.comment.text.startswith("“青山”不在乡镇（街道）列表中，是否为“青山镇”？\n另一个原因")
    assert "待核实" in township.comment.text, "their own comment is kept below ours"
    assert (
        fill_of(ws["A5"]) == RED and ws["A5"].comment.text == "登记编号与第3行重复"
    )  # the whole row: first cell
    assert fill_of(ws["B6"]) == RED and ws["B6"].comment.text == "“=1+1”不是日期"
    assert ws["B6"].value == "=1+1", "their own formula is theirs"
    assert fill_of(ws["A3"]) == "" and ws["A3"].comment is None

    listing = wb["错误清单"]
    rows = list(listing.iter_rows(values_only=True))
    assert "共 5 处错误" in rows[0][0]
    assert rows[1] == ("行", "列", "内容", "原因")
    assert rows[2] == ("全表", None, None, "文件中没有“调处成功”以外的问题")
    assert [r[0] for r in rows[2:]] == ["全表", 4, 4, 5, 6]
    assert rows[6] == (6, "受理日期", "=1+1", "“=1+1”不是日期")
    assert listing["C7"].data_type == "s", "a value starting with = is written as text"
    assert listing["A3"].hyperlink is None and listing["A4"].hyperlink.location == "'台账'!D4"

    # uploaded again after fixing: the earlier marks go, their comment comes back, one list only
    again = tmp_path / "again.xlsx"
    annotate(out, "xlsx", "台账", 2, COLUMNS, ERRORS[2:3], again)
    wb = load_workbook(again)
    assert wb.sheetnames == ["错误清单", "说明", "台账"]
    ws = wb["台账"]
    assert fill_of(ws["D4"]) == "" and ws["D4"].comment.text == "待核实"
    assert fill_of(ws["B6"]) == "" and ws["B6"].comment is None
    assert fill_of(ws["A5"]) == RED and fill_of(ws["E3"]) == "FFFF00"
    assert "共 1 处错误" in wb["错误清单"]["A1"].value


@pytest.mark.parametrize(("encoding", "delimiter"), [("utf-8-sig", ","), ("gb18030", ","), ("utf-8", ";")])
def test_annotate_csv_keeps_positions_and_text(tmp_path, encoding, delimiter):
    src, out = tmp_path / "a", tmp_path / "out.xlsx"
    rows = [
        ["登记编号", "受理日期", "承办单位", "乡镇（街道）", "调处成功"],
        ["0001", "2024-03-05", "区司法局", "青山镇", "是"],
        ["0002", "2024/3/6", "区司法局", "青山", "是"],
        ["0001", "2024年3月7日", "区司法局", "", "否"],
        ["0004", "=1+1", "区司法局", "", "#N/A"],
    ]
    with open(src, "w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    errors = [dict(e, row=e["row"] - 1) if e["row"] else e for e in ERRORS]
    annotate(src, "csv", None, 1, COLUMNS, errors, out, encoding=encoding)

    wb = load_workbook(out)
    assert wb.sheetnames == ["错误清单", "数据"]
    ws = wb["数据"]
    assert [[c.value if c.value is not None else "" for c in row] for row in ws.iter_rows()] == rows
    assert ws["A2"].value == "0001" and ws["A2"].data_type == "s"
    assert ws["B5"].value == "=1+1" and ws["B5"].data_type == "s"
    assert ws["E5"].value == "#N/A" and ws["E5"].data_type == "s"
    assert fill_of(ws["D3"]) == RED and "青山镇" in ws["D3"].comment.text
    assert fill_of(ws["A4"]) == RED and fill_of(ws["B5"]) == RED
    assert fill_of(ws["A2"]) == "" and ws.freeze_panes == "A2"
    listing = wb["错误清单"]
    assert "共 5 处错误" in listing["A1"].value
    assert listing["A4"].hyperlink.location == "'数据'!D3"


def test_annotate_xls_through_calamine_keeps_positions(tmp_path):
    # no .xls writer is installed; calamine reads .xlsx the same way, so the xls path runs on one
    src, out = tmp_path / "old", tmp_path / "out.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["C3"], ws["D3"] = "登记编号", "受理日期"
    ws["C4"], ws["D4"] = 12, date(2024, 3, 5)
    ws["C5"], ws["D5"] = "=1+1", "2024-13-01"
    wb.save(src)
    errors = [
        {
            "row": 5,
            "field": "occurred_on",
            "column": "受理日期",
            "value": "2024-13-01",
            "reason": "不是日期",
            "message": "第5行",
        }
    ]
    annotate(src, "xls", "Sheet1", 3, {"register_no": 3, "occurred_on": 4}, errors, out)
    ws = load_workbook(out)["Sheet1"]
    assert ws["C3"].value == "登记编号" and ws["C4"].value == 12
    assert ws["D4"].value == datetime(2024, 3, 5) and ws["D4"].number_format == "yyyy-mm-dd"
    assert fill_of(ws["D5"]) == RED and ws["D5"].comment.text == "不是日期"
    assert ws["A1"].value is None and ws.freeze_panes == "A4"


def test_annotated_filename_and_unknown_kind(tmp_path):
    assert annotated_filename("台账.xlsx") == "台账-错误标注.xlsx"
    assert annotated_filename("a.csv") == "a-错误标注.xlsx"
    assert annotated_filename("C:\\Users\\x\\旧表.xls") == "旧表-错误标注.xlsx"
    with pytest.raises(ValueError):
        annotate(tmp_path / "a.ods", "ods", None, 1, {}, [], io.BytesIO())


def test_template_filled_then_annotated_is_read_back_by_the_importer(tmp_path):
    # the importer skips 填写说明 and 示例, and an annotated copy's 错误清单 never heads a register
    from data.imports import files, intake

    src = tmp_path / "filled.xlsx"
    write_template(REGISTERS["dispute_case"], DEPARTMENTS, TOWNSHIPS, src)
    wb = load_workbook(src)
    wb.worksheets[0].append(["0012", "2024-03-05", "区司法局", "青山", "区", "邻里纠纷", "是"])
    wb.save(src)
    table = files.find_table(intake.inspect(src, "filled.xlsx"))
    assert (table.register.name, table.sheet, table.header_row) == ("dispute_case", "矛盾纠纷调处登记", 1)
    assert table.columns == {f.name: i for i, f in enumerate(REGISTERS["dispute_case"].fields, start=1)}

    out = tmp_path / "annotated.xlsx"
    error = {
        "row": 2,
        "field": "township_code",
        "column": "乡镇（街道）",
        "value": "青山",
        "reason": "不在列表中",
        "message": "m",
    }
    header = {
        "row": None,
        "field": "closed_on",
        "column": "结案日期",
        "value": "",
        "reason": "列重复",
        "message": "m",
    }
    annotate(src, "xlsx", table.sheet, table.header_row, table.columns, [error, header], out)
    wb = load_workbook(out)
    ws = wb["矛盾纠纷调处登记"]
    assert fill_of(ws["D2"]) == RED and fill_of(ws["H1"]) == RED, "a whole-column error marks its header"
    assert len(ws.data_validations.dataValidation) == 7 and wb["列表"].sheet_state == "hidden"
    again = files.find_table(intake.inspect(out, "annotated.xlsx"))
    assert (again.sheet, again.header_row, again.columns) == (table.sheet, 1, table.columns)
