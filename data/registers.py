"""The registers as departments keep them: each column's Chinese label, kind, meaning and allowed values.

Declared once here and derived everywhere else: the tables (data/schema.py), the Excel templates
(data/imports/template.py), the validator (data/imports/validate.py), the records grid and the downloads
(layouts/records.py). This module imports nothing of the project, so the schema can build on it.

Every register row has, besides its own columns: a register number (登记编号, unique within the register), the
date it happened, and where the register has them, the department and the township (街道) that handled it.
"""

from __future__ import annotations

from dataclasses import dataclass

# What a cell holds, and so how it is read, checked and stored.
KINDS: dict[str, str] = {
    "register_no": "登记编号",
    "date": "日期",
    "department": "部门",
    "township": "乡镇（街道）",
    "text": "文字",
    "choice": "从列表中选择",
    "bool": "是/否",
    "int": "整数",
}
# How a date may be written in a file (the template spells it out; the validator reads each of them).
DATE_FORMATS_ZH = "2024-03-05、2024/3/5、2024年3月5日或 Excel 日期"
BOOL_TRUE = ("是", "Y", "y", "YES", "yes", "Yes", "TRUE", "true", "True", "1", "√")
BOOL_FALSE = ("否", "N", "n", "NO", "no", "No", "FALSE", "false", "False", "0", "×")
REGISTER_NO_LENGTH = 40
# The columns every register row has (department and township where the register has them).
COMMON = ("register_no", "occurred_on", "department_code", "township_code")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str
    required: bool = True
    meaning: str = ""
    choices: tuple[str, ...] = ()
    length: int = 0
    minimum: int | None = None
    maximum: int | None = None
    example: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r} of {self.name}")
        if (self.kind == "choice") != bool(self.choices):
            raise ValueError(f"{self.name}: a choice column, and only it, lists its choices")

    @property
    def format_zh(self) -> str:
        """The format as the template's instructions sheet states it."""
        if self.kind == "date":
            return DATE_FORMATS_ZH
        if self.kind == "bool":
            return "是 或 否"
        if self.kind == "int":
            low = "" if self.minimum is None else f"不小于 {self.minimum}"
            high = "" if self.maximum is None else f"不大于 {self.maximum}"
            return "整数" + ("，" + "、".join(x for x in (low, high) if x) if low or high else "")
        if self.kind == "choice":
            return "从下拉列表中选择：" + "、".join(self.choices)
        if self.kind == "department":
            return "部门全称、简称或代码（见“部门”表）"
        if self.kind == "township":
            return "乡镇（街道）名称或代码（见“乡镇”表）；空白表示区级"
        return f"文字，最多 {self.length} 个字"


@dataclass(frozen=True)
class Register:
    name: str
    label: str
    # what one row is, for the instructions sheet
    row_is: str
    fields: tuple[Field, ...]

    @property
    def own(self) -> tuple[Field, ...]:
        """The register's own columns (without the number, date, department and township every row has)."""
        return tuple(f for f in self.fields if f.name not in COMMON)

    @property
    def has_department(self) -> bool:
        return any(f.kind == "department" for f in self.fields)

    @property
    def has_township(self) -> bool:
        return any(f.kind == "township" for f in self.fields)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


def _register(
    name: str,
    label: str,
    row_is: str,
    *own: Field,
    date_label: str = "日期",
    department: str | None = "办理部门",
    township: bool = True,
) -> Register:
    head = [
        Field(
            "register_no",
            "登记编号",
            "register_no",
            meaning="本台账中每行唯一的编号",
            length=REGISTER_NO_LENGTH,
        ),
        Field(
            "occurred_on",
            date_label,
            "date",
            meaning="发生或受理的日期，决定计入哪年哪月",
            example="2024-03-05",
        ),
    ]
    if department:
        head.append(
            Field(
                "department_code",
                department,
                "department",
                required=False,
                meaning=f"{department}；按部门导入时可不填，填了须是本部门",
            )
        )
    if township:
        head.append(
            Field("township_code", "乡镇（街道）", "township", required=False, meaning="所在乡镇（街道）")
        )
    return Register(name, label, row_is, (*head, *own))


# Category lists: the values the catalog's conditions and breakdowns count by. A district that keeps other
# categories adds them here (and nowhere else).
SERVICE_CHANNELS = ("窗口", "网办", "自助")
RATINGS = ("好评", "差评")
INSPECTION_RESULTS = ("未发现问题", "责令整改", "立案查处")
ENFORCEMENT_TYPES = ("简易程序处罚", "普通程序处罚", "行政强制")
MEDIATION_LEVELS = ("区", "乡镇", "村居")
DISPUTE_TYPES = (
    "婚姻家庭",
    "邻里纠纷",
    "损害赔偿",
    "劳动争议",
    "物业纠纷",
    "土地承包",
    "房屋宅基地",
    "合同纠纷",
    "征地拆迁",
    "医疗纠纷",
    "其他",
)
MATTER_TYPES = (
    "行政处罚",
    "行政强制",
    "行政许可",
    "信息公开",
    "工伤认定",
    "不动产登记",
    "行政不作为",
    "其他",
)
OUTCOMES = ("维持", "驳回", "撤销", "确认违法", "变更", "调解和解", "终止", "不予受理", "审理中")
INCIDENT_KINDS = ("刑事", "治安")
INCIDENT_CATEGORIES = (
    "盗窃",
    "诈骗",
    "故意伤害",
    "抢夺抢劫",
    "其他刑事",
    "矛盾纠纷",
    "殴打他人",
    "噪音扰民",
    "赌博",
    "其他治安",
)
ADMINISTRATIVE_CASE_CATEGORIES = ("治安管理", "交通管理", "消防管理", "出入境管理")
DETENTION_CATEGORIES = ("殴打他人", "盗窃", "赌博", "吸毒", "其他")
HOTLINE_CATEGORIES = (
    "城市管理",
    "住房物业",
    "劳动社保",
    "市场监管",
    "交通出行",
    "教育",
    "医疗卫生",
    "生态环境",
    "农业农村",
    "医保",
    "公安非警务",
    "不动产",
    "民政",
    "应急安全",
    "其他",
)
PUBLICITY_TYPES = ("部门联合", "主题宣传", "法律咨询")


def _choice(name: str, label: str, choices: tuple[str, ...], length: int, **kw: object) -> Field:
    return Field(name, label, "choice", choices=choices, length=length, example=choices[0], **kw)


def _text(name: str, label: str, length: int, example: str, **kw: object) -> Field:
    return Field(name, label, "text", length=length, example=example, **kw)


def _bool(name: str, label: str, meaning: str, example: str = "是", **kw: object) -> Field:
    return Field(name, label, "bool", meaning=meaning, example=example, **kw)


def _int(name: str, label: str, meaning: str, example: str, minimum: int = 0, **kw: object) -> Field:
    return Field(name, label, "int", meaning=meaning, minimum=minimum, example=example, **kw)


REGISTERS: dict[str, Register] = {
    r.name: r
    for r in (
        _register(
            "service_transaction",
            "政务服务办件登记",
            "一件政务服务办件",
            _text("item", "事项", 100, "企业开办"),
            _choice("channel", "渠道", SERVICE_CHANNELS, 8, meaning="窗口办理、网上办理或自助终端"),
            Field(
                "completed_on",
                "办结日期",
                "date",
                required=False,
                meaning="未办结的留空",
                example="2024-03-06",
            ),
            _bool("on_time", "按时办结", "是否在承诺时限内办结"),
            _choice("rating", "评价", RATINGS, 4, required=False, meaning="好差评；未评价的留空"),
            _bool("complaint", "投诉", "是否被投诉", example="否"),
            _bool("error", "差错", "是否出现差错", example="否"),
            date_label="受理日期",
            department="进驻部门",
        ),
        _register(
            "inspection",
            "双随机抽查登记",
            "一次双随机抽查",
            _text("enterprise", "企业", 100, "某某商贸有限公司", meaning="被检查的企业或个体工商户"),
            _choice("result", "检查结果", INSPECTION_RESULTS, 20),
            date_label="检查日期",
            department="检查部门",
        ),
        _register(
            "enforcement_case",
            "行政执法案件登记",
            "一件行政执法案件",
            _choice("case_type", "案件类型", ENFORCEMENT_TYPES, 20),
            _text("subject", "当事人", 100, "某某商贸有限公司", meaning="企业名称，或“个人”"),
            date_label="立案日期",
            department="执法部门",
        ),
        _register(
            "enterprise_visit",
            "周末亲清行走访登记",
            "一次对企业或个体工商户的走访",
            _text("enterprise", "企业", 100, "某某商贸有限公司", meaning="走访的企业或个体工商户"),
            _int("requests_raised", "提出诉求", "走访中收集的问题诉求件数", "2"),
            _int("requests_resolved", "办结诉求", "其中已办结的件数，不多于提出诉求", "1"),
            date_label="走访日期",
            department="帮扶部门",
        ),
        _register(
            "dispute_case",
            "矛盾纠纷调处登记",
            "一件调处的矛盾纠纷",
            _choice("level", "调处层级", MEDIATION_LEVELS, 4, meaning="区、乡镇或村居调委会"),
            _choice("dispute_type", "纠纷类型", DISPUTE_TYPES, 20),
            _bool("success", "调处成功", "是否调处成功"),
            Field(
                "closed_on", "结案日期", "date", required=False, meaning="未结案的留空", example="2024-03-20"
            ),
            date_label="受理日期",
            department="承办单位",
        ),
        _register(
            "reconsideration_application",
            "行政复议申请登记",
            "一件行政复议申请",
            _choice("matter_type", "事项类型", MATTER_TYPES, 20),
            _bool("accepted", "受理", "是否受理"),
            _choice("outcome", "结果", OUTCOMES, 20, meaning="复议结果；未审结的填“审理中”"),
            Field(
                "closed_on", "结案日期", "date", required=False, meaning="未结案的留空", example="2024-04-20"
            ),
            date_label="申请日期",
            department="被申请部门",
        ),
        _register(
            "court_appearance",
            "行政诉讼出庭应诉登记",
            "一件行政诉讼应诉案件",
            _choice("case_type", "案件类型", MATTER_TYPES, 20),
            _bool("head_appeared", "正职出庭", "行政机关正职负责人是否出庭应诉"),
            date_label="开庭日期",
            department="被诉部门",
            township=False,
        ),
        _register(
            "police_incident",
            "警情登记",
            "一起接报的警情",
            _choice("kind", "警情性质", INCIDENT_KINDS, 4),
            _choice("category", "类别", INCIDENT_CATEGORIES, 20),
            _bool("solved", "破案", "刑事警情是否破案；治安警情是否查处完毕"),
            date_label="接报日期",
            department=None,
        ),
        _register(
            "administrative_case",
            "行政案件登记",
            "一件查处的行政案件",
            _choice("category", "类别", ADMINISTRATIVE_CASE_CATEGORIES, 20),
            date_label="立案日期",
            department=None,
        ),
        _register(
            "detention",
            "行政拘留登记",
            "一次行政拘留",
            _choice("category", "类别", DETENTION_CATEGORIES, 20),
            _int("days", "拘留天数", "决定的拘留天数", "5", minimum=1, maximum=20),
            date_label="决定日期",
            department=None,
        ),
        _register(
            "hotline_request",
            "12345热线诉求登记",
            "一件 12345 热线诉求",
            _choice("category", "类别", HOTLINE_CATEGORIES, 20),
            _bool("completed", "办结", "是否办结"),
            _bool("satisfied", "满意", "回访是否满意；未回访的留空", required=False),
            date_label="受理日期",
            department="承办部门",
        ),
        _register(
            "publicity_event",
            "普法活动登记",
            "一场普法活动",
            _choice("event_type", "活动类型", PUBLICITY_TYPES, 8),
            _text("title", "活动名称", 100, "民法典宣传进社区"),
            _int("audience", "受众人数", "参加或受众人数", "120"),
            _int("materials", "发放资料", "发放宣传资料份数", "300"),
            date_label="活动日期",
            department="主办部门",
        ),
    )
}

# Columns the records grid and the downloads show besides the register's own: the names beside the codes.
SHOWN_NAMES = {"department_code": "department_name", "township_code": "township_name"}


def column_labels(register: str) -> dict[str, str]:
    """Each column's label as the records grid and the downloads head it (names stand for codes)."""
    labels = {"id": "序号"}
    for f in REGISTERS[register].fields:
        labels[SHOWN_NAMES.get(f.name, f.name)] = f.label
    return labels
