"""The invented district of the demo data: its departments, townships and the words its registers use.

Township names are invented on purpose: the demo's split of the report's totals is made up, and must not be
read as a real place's figures.
"""

from __future__ import annotations

from data import registers

# The category lists are the registers' own (data/registers.py); the demo only adds how often each occurs.

# code, full name, short name
DEPARTMENTS: list[tuple[str, str, str]] = [
    ("SFJ", "区司法局", "司法局"),
    ("GAFJ", "区公安分局", "公安分局"),
    ("XZSPJ", "区行政审批局", "行政审批局"),
    ("SCJGJ", "区市场监督管理局", "市场监管局"),
    ("FGW", "区发展和改革委员会", "发改委"),
    ("CZJ", "区财政局", "财政局"),
    ("RSJ", "区人力资源和社会保障局", "人社局"),
    ("ZRZYJ", "区自然资源局", "自然资源局"),
    ("STHJJ", "区生态环境局", "生态环境局"),
    ("ZJJ", "区住房和城乡建设局", "住建局"),
    ("JTYSJ", "区交通运输局", "交通运输局"),
    ("NYNCJ", "区农业农村局", "农业农村局"),
    ("SLJ", "区水利局", "水利局"),
    ("SWJ", "区商务局", "商务局"),
    ("WGLJ", "区文化广电新闻出版旅游局", "文广新旅局"),
    ("WJW", "区卫生健康委员会", "卫健委"),
    ("YJJ", "区应急管理局", "应急管理局"),
    ("JTJ", "区教育体育局", "教体局"),
    ("MZJ", "区民政局", "民政局"),
    ("TYJRJ", "区退役军人事务局", "退役军人局"),
    ("YBJ", "区医疗保障局", "医保局"),
    ("CGJ", "区城市管理局", "城管局"),
    ("TJJ", "区统计局", "统计局"),
    ("SJJ", "区审计局", "审计局"),
    ("LYJ", "区林业局", "林业局"),
    ("KGXJ", "区科技和工业信息化局", "科工信局"),
    ("XFJ", "区信访局", "信访局"),
    ("RXB", "区12345热线办", "热线办"),
    ("YFZQB", "区委依法治区办", "依法治区办"),
    ("GSL", "区工商业联合会", "工商联"),
    ("ZGH", "区总工会", "总工会"),
    ("FL", "区妇女联合会", "妇联"),
    ("TQW", "共青团区委", "团区委"),
    ("CL", "区残疾人联合会", "残联"),
    ("SWUJ", "区税务局", "税务局"),
    ("XFJYDD", "区消防救援大队", "消防救援大队"),
    ("BDCDJ", "区不动产登记中心", "不动产登记中心"),
    ("GJJ", "区住房公积金管理部", "公积金管理部"),
    ("MZZJ", "区民族宗教事务局", "民宗局"),
    ("QXJ", "区气象局", "气象局"),
    ("YCJ", "区烟草专卖局", "烟草专卖局"),
]

# code, name, kind, relative size (population and caseload)
TOWNSHIPS: list[tuple[str, str, str, float]] = [
    ("chengguan", "城关街道", "街道", 1.6),
    ("xinhua", "新华街道", "街道", 1.4),
    ("donghu", "东湖街道", "街道", 1.3),
    ("wangjiang", "望江街道", "街道", 1.1),
    ("qingshan", "青山镇", "镇", 1.0),
    ("shiqiao", "石桥镇", "镇", 0.9),
    ("meilin", "梅林镇", "镇", 0.8),
    ("baisha", "白沙镇", "镇", 0.8),
    ("jinxi", "金溪镇", "镇", 0.7),
    ("hetang", "荷塘镇", "镇", 0.7),
    ("fengle", "丰乐镇", "镇", 0.6),
    ("xikou", "溪口镇", "镇", 0.6),
    ("lianfeng", "联丰镇", "镇", 0.5),
    ("taoyuan", "桃源乡", "乡", 0.4),
    ("changling", "长岭乡", "乡", 0.35),
    ("gaoxin", "高新技术产业园区", "园区", 0.5),
]

# Service items of the service center: item, department, relative volume
SERVICE_ITEMS: list[tuple[str, str, float]] = [
    ("企业设立登记", "SCJGJ", 3.0),
    ("企业变更登记", "SCJGJ", 2.2),
    ("个体工商户登记", "SCJGJ", 2.5),
    ("食品经营许可", "SCJGJ", 1.4),
    ("不动产登记", "BDCDJ", 3.5),
    ("社会保险参保登记", "RSJ", 2.8),
    ("失业保险金申领", "RSJ", 1.0),
    ("医保异地就医备案", "YBJ", 1.6),
    ("医疗费用零星报销", "YBJ", 1.2),
    ("住房公积金提取", "GJJ", 2.0),
    ("建设工程施工许可", "ZJJ", 0.6),
    ("商品房预售许可", "ZJJ", 0.3),
    ("道路运输经营许可", "JTYSJ", 0.5),
    ("户籍迁移", "GAFJ", 1.5),
    ("居民身份证办理", "GAFJ", 2.4),
    ("税务登记及发票申领", "SWUJ", 2.6),
    ("药品零售许可", "SCJGJ", 0.4),
    ("公共场所卫生许可", "WJW", 0.6),
    ("医师执业注册", "WJW", 0.3),
    ("民办学校办学许可", "JTJ", 0.1),
    ("社会团体登记", "MZJ", 0.2),
    ("婚姻登记", "MZJ", 1.1),
    ("取水许可", "SLJ", 0.2),
    ("林木采伐许可", "LYJ", 0.3),
    ("排污许可", "STHJJ", 0.3),
    ("建设项目用地预审", "ZRZYJ", 0.2),
    ("农药经营许可", "NYNCJ", 0.2),
    ("退役军人优待证申领", "TYJRJ", 0.4),
    ("残疾人证办理", "CL", 0.4),
    ("娱乐场所经营许可", "WGLJ", 0.2),
    ("投资项目备案", "FGW", 0.3),
    ("消防验收", "XFJYDD", 0.3),
]

# 12345 request category and the department it goes to, relative volume
# category, the department that answers it, weight (the last category, 其他, the demo never writes)
HOTLINE_CATEGORIES: list[tuple[str, str, float]] = [
    (name, department, weight)
    for name, (department, weight) in zip(
        registers.HOTLINE_CATEGORIES[:-1],
        [
            ("CGJ", 3.0),
            ("ZJJ", 2.6),
            ("RSJ", 1.8),
            ("SCJGJ", 1.6),
            ("JTYSJ", 1.2),
            ("JTJ", 1.0),
            ("WJW", 1.0),
            ("STHJJ", 0.8),
            ("NYNCJ", 0.6),
            ("YBJ", 0.7),
            ("GAFJ", 1.1),
            ("BDCDJ", 0.6),
            ("MZJ", 0.5),
            ("YJJ", 0.4),
        ],
        strict=True,
    )
]

INSPECTING_DEPARTMENTS = [
    "SCJGJ",
    "STHJJ",
    "YJJ",
    "WJW",
    "ZJJ",
    "JTYSJ",
    "CGJ",
    "NYNCJ",
    "WGLJ",
    "XFJYDD",
    "SWJ",
]
ENFORCING_DEPARTMENTS = INSPECTING_DEPARTMENTS + ["ZRZYJ", "SLJ", "LYJ", "GAFJ", "RSJ", "YBJ"]
HELPING_DEPARTMENTS = ["GSL", "SWJ", "KGXJ", "FGW", "SCJGJ", "XZSPJ", "RSJ", "SWUJ", "ZRZYJ", "ZJJ", "CZJ"]
PUBLICITY_DEPARTMENTS = [
    "SFJ",
    "GAFJ",
    "SCJGJ",
    "RSJ",
    "JTJ",
    "WJW",
    "YJJ",
    "FL",
    "TQW",
    "ZGH",
    "LYJ",
    "NYNCJ",
]

DISPUTE_TYPES = list(
    zip(registers.DISPUTE_TYPES, (2.0, 2.6, 1.2, 1.0, 0.9, 0.7, 0.8, 0.8, 0.3, 0.2, 0.6), strict=True)
)
# the district body that took part in a district-level mediation, by dispute type
DISPUTE_BODIES = {
    "劳动争议": "RSJ",
    "物业纠纷": "ZJJ",
    "土地承包": "NYNCJ",
    "医疗纠纷": "WJW",
    "征地拆迁": "ZRZYJ",
}

RECONSIDERATION_TYPES = list(
    zip(registers.MATTER_TYPES, (3.0, 0.6, 0.6, 1.0, 1.0, 0.6, 0.8, 0.5), strict=True)
)
# the outcomes of an accepted application; 不予受理 and 审理中 are written by the generator itself
RECONSIDERATION_OUTCOMES = list(zip(registers.OUTCOMES[:7], (4.0, 2.0, 0.8, 0.5, 0.2, 1.2, 1.0), strict=True))

CRIMINAL_CATEGORIES = list(zip(registers.INCIDENT_CATEGORIES[:5], (4.0, 3.0, 0.8, 0.2, 1.0), strict=True))
PUBLIC_ORDER_CATEGORIES = list(zip(registers.INCIDENT_CATEGORIES[5:], (3.0, 1.2, 1.0, 0.4, 1.4), strict=True))
ADMINISTRATIVE_CASE_CATEGORIES = list(
    zip(registers.ADMINISTRATIVE_CASE_CATEGORIES, (5.0, 2.0, 0.6, 0.2), strict=True)
)
DETENTION_CATEGORIES = list(zip(registers.DETENTION_CATEGORIES, (2.0, 1.6, 1.0, 0.8, 1.0), strict=True))

JOINT_PUBLICITY_TITLES = [
    "“典”亮生活民法典宣传",
    "反诈游园会",
    "消费维权进社区",
    "国家安全教育日宣传",
    "禁毒宣传进校园",
]
THEMED_PUBLICITY_TITLES = [
    "道路交通安全宣传",
    "森林防火宣传",
    "禁捕退捕宣传",
    "安全生产月宣传",
    "网络安全宣传周",
    "“美好生活·法律相伴”集中普法",
    "“学习宪法 尊法守法”主题宣传",
    "消费维权主题宣传",
]
CONSULTATION_TITLE = "“法律明白人”法律咨询和服务活动"

ENTERPRISE_WORDS = [
    "恒达",
    "鑫源",
    "华盛",
    "宏远",
    "昌盛",
    "润发",
    "金泰",
    "瑞丰",
    "嘉禾",
    "永兴",
    "顺达",
    "东方",
    "新洪",
    "赣江",
]
ENTERPRISE_KINDS = [
    "科技有限公司",
    "建材有限公司",
    "食品有限公司",
    "商贸有限公司",
    "物流有限公司",
    "餐饮店",
    "便利店",
    "五金店",
]
