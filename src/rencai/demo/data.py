"""The demo's vocabulary: its city and zones, the sending units, names of people and places, number prefixes.

Universities, institutes and places are real public names (they appear as sending units and schools); every
person, company, phone and ID number is invented. Industry fields live in `rencai.demo.fields`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Printed for everyone who runs `make demo`: a demo-only password, never for a real installation.
DEMO_PASSWORD = "rencai-demo-2026"  # noqa: S105
DEFAULT_SEED = 2026
# The register as the demo shows it: ages, terms and years are counted from this day, so that a seed gives the
# same people (and the same ID numbers) whatever the day it is loaded.
AS_OF = date(2026, 6, 30)
INDICATOR_YEARS = (2023, 2024, 2025)

CITY_NAME = "包头市"
CITY_CODE = "150200"


@dataclass(frozen=True)
class ZoneInfo:
    code: str
    name: str
    region: str  # the 6-digit administrative code used in 统一社会信用代码 of enterprises registered there
    areas: tuple[str, ...]  # parks and streets for addresses


ZONES = (
    ZoneInfo("xitu", "稀土高新区", "150291", (
        "稀土应用产业园区科技路", "稀土大街", "黄河大街", "希望工业园区阳光路", "滨河新区创业路", "曙光路",
        "稀土应用产业园区新材料路")),
    ZoneInfo("kundulun", "昆都仑区", "150203", (
        "钢铁大街", "阿尔丁大街", "友谊大街", "昆区金属深加工园区兴业路", "昆区金属深加工园区冶金路", "团结大街")),
    ZoneInfo("jiuyuan", "九原区", "150207", (
        "九原工业园区纬三路", "九原工业园区经五路", "建华南路", "哈林格尔镇兴农路", "麻池镇现代农牧业园区",
        "沙河街道青年路")),
)


@dataclass(frozen=True)
class InstitutionInfo:
    name: str
    kind: str  # an Institution.Kind value
    province: str
    city: str
    fields: tuple[str, ...]  # keys of rencai.demo.fields.FIELDS it works in
    local: bool = False  # in Inner Mongolia: sends doctors to serve the city's enterprises
    zone: str = ""  # demo zone where its own staff are registered, for units inside the city


INSTITUTIONS = (
    InstitutionInfo("内蒙古科技大学", "university", "内蒙古自治区", "包头市",
                    ("rare_earth", "mining", "auto", "new_energy", "hydrogen", "coal_chem"), True, "kundulun"),
    InstitutionInfo("内蒙古大学", "university", "内蒙古自治区", "呼和浩特市",
                    ("rare_earth", "dairy", "grass", "vaccine", "coal_chem"), True),
    InstitutionInfo("内蒙古农业大学", "university", "内蒙古自治区", "呼和浩特市",
                    ("dairy", "grass", "vaccine", "agri"), True),
    InstitutionInfo("内蒙古工业大学", "university", "内蒙古自治区", "呼和浩特市",
                    ("hydrogen", "new_energy", "coal_chem", "auto", "rare_earth"), True),
    InstitutionInfo("包头师范学院", "university", "内蒙古自治区", "包头市", ("rare_earth", "agri", "grass"), True),
    InstitutionInfo("北京科技大学", "university", "北京市", "北京市", ("rare_earth", "mining", "auto")),
    InstitutionInfo("东北大学", "university", "辽宁省", "沈阳市", ("mining", "rare_earth", "auto")),
    InstitutionInfo("中南大学", "university", "湖南省", "长沙市", ("mining", "rare_earth")),
    InstitutionInfo("华北电力大学", "university", "北京市", "北京市", ("new_energy", "hydrogen")),
    InstitutionInfo("中国农业大学", "university", "北京市", "北京市", ("dairy", "agri", "vaccine", "grass")),
    InstitutionInfo("西北农林科技大学", "university", "陕西省", "咸阳市", ("agri", "grass", "dairy")),
    InstitutionInfo("天津大学", "university", "天津市", "天津市", ("hydrogen", "coal_chem", "auto")),
    InstitutionInfo("大连理工大学", "university", "辽宁省", "大连市", ("coal_chem", "hydrogen", "new_energy")),
    InstitutionInfo("中国矿业大学", "university", "江苏省", "徐州市", ("mining", "coal_chem")),
    InstitutionInfo("吉林大学", "university", "吉林省", "长春市", ("auto", "vaccine")),
    InstitutionInfo("中国科学院包头稀土研发中心", "institute", "内蒙古自治区", "包头市", ("rare_earth",), True,
                    "xitu"),
    InstitutionInfo("包头稀土研究院", "institute", "内蒙古自治区", "包头市", ("rare_earth",), True, "xitu"),
    InstitutionInfo("中国科学院过程工程研究所", "institute", "北京市", "北京市",
                    ("coal_chem", "hydrogen", "rare_earth")),
    InstitutionInfo("中国科学院大连化学物理研究所", "institute", "辽宁省", "大连市",
                    ("hydrogen", "coal_chem", "new_energy")),
    InstitutionInfo("中国农业科学院草原研究所", "institute", "内蒙古自治区", "呼和浩特市", ("grass", "agri"), True),
    InstitutionInfo("中国农业科学院哈尔滨兽医研究所", "institute", "黑龙江省", "哈尔滨市", ("vaccine",)),
    InstitutionInfo("内蒙古自治区农牧业科学院", "institute", "内蒙古自治区", "呼和浩特市",
                    ("agri", "grass", "dairy", "vaccine"), True),
)

# The liaison persona works for this unit; its doctor serves the enterprise persona.
PERSONA_INSTITUTION = "内蒙古科技大学"

# Administrative codes (first six digits of an ID number) by province: where people were registered at birth.
REGIONS: dict[str, tuple[str, ...]] = {
    "内蒙古自治区": (
        "150102", "150103", "150104", "150105", "150121", "150202", "150203", "150204", "150205", "150206",
        "150207", "150221", "150222", "150223", "150302", "150402", "150404", "150502", "150602", "150702",
        "150802", "150902", "152502", "152201"),
    "北京市": ("110101", "110102", "110105", "110108"),
    "天津市": ("120101", "120103", "120104"),
    "河北省": ("130102", "130104", "130402", "130602", "130702"),
    "山西省": ("140105", "140106", "140202", "140402"),
    "辽宁省": ("210102", "210103", "210202", "210302"),
    "吉林省": ("220102", "220104", "220202"),
    "黑龙江省": ("230102", "230103", "230602"),
    "江苏省": ("320106", "320302", "320583"),
    "山东省": ("370102", "370103", "370202", "370302"),
    "河南省": ("410102", "410105", "410302"),
    "湖南省": ("430102", "430104", "430202"),
    "陕西省": ("610103", "610113", "610402", "610502"),
    "甘肃省": ("620102", "620103", "620402"),
    "宁夏回族自治区": ("640104", "640106", "640202"),
}
# Where the city's own people come from: mostly the region itself, then its neighbours.
HOME_PROVINCES = (
    ("内蒙古自治区", 62), ("河北省", 7), ("山西省", 7), ("陕西省", 4), ("辽宁省", 3), ("黑龙江省", 3),
    ("山东省", 4), ("河南省", 4), ("甘肃省", 3), ("宁夏回族自治区", 2), ("吉林省", 1),
)

# Common surnames, the most frequent first (weights roughly follow their frequency in northern China).
SURNAMES = (
    ("王", 30), ("李", 28), ("张", 27), ("刘", 24), ("赵", 14), ("杨", 13), ("高", 10), ("郭", 9), ("陈", 9),
    ("马", 8), ("孙", 8), ("徐", 6), ("周", 6), ("吴", 6), ("胡", 5), ("朱", 5), ("贾", 5), ("武", 5),
    ("韩", 5), ("郝", 5), ("白", 5), ("乔", 4), ("闫", 4), ("田", 4), ("梁", 4), ("宋", 4), ("任", 4),
    ("何", 3), ("郑", 3), ("谢", 3), ("冯", 3), ("于", 3), ("董", 3), ("曹", 3), ("袁", 3), ("许", 3),
    ("邓", 2), ("程", 2), ("魏", 2), ("薛", 2), ("苏", 2), ("吕", 2), ("姚", 2), ("杜", 2), ("范", 2),
    ("石", 2), ("崔", 2), ("康", 2), ("秦", 2), ("史", 2), ("侯", 2), ("孟", 2), ("贺", 2), ("常", 2),
    ("包", 2), ("云", 2), ("温", 2), ("尹", 1), ("段", 1), ("雷", 1), ("牛", 1), ("申", 1), ("樊", 1),
    ("靳", 1), ("卢", 1), ("邢", 1), ("聂", 1), ("焦", 1), ("陶", 1), ("岳", 1), ("霍", 1), ("蔺", 1),
)

# Given names as people of each generation were named; keyed by the earliest birth year of the generation.
GIVEN_NAMES: dict[str, dict[int, tuple[str, ...]]] = {
    "男": {
        1940: ("建国", "国庆", "志强", "建华", "振华", "卫东", "德明", "永生", "文斌", "国栋", "树林", "玉山",
               "秉义", "宝山", "占军", "春生", "继红", "福林", "庆祥", "维民"),
        1966: ("伟", "强", "军", "勇", "磊", "涛", "斌", "海涛", "建军", "晓东", "志刚", "立新", "永刚", "海峰",
               "志勇", "卫国", "晓峰", "宏伟", "国华", "文杰", "春雷", "鹏飞", "剑", "峰", "亮", "俊峰", "振宇",
               "利军", "海军", "建平", "东升", "长青", "学军", "红旗"),
        1986: ("浩", "宇", "鑫", "超", "帅", "博", "昊", "晨", "旭东", "浩然", "子豪", "宇航", "佳乐", "泽宇",
               "思远", "天宇", "鹏程", "一鸣", "文博", "俊杰", "嘉豪", "浩宇", "明轩", "瑞", "凯", "子健",
               "晓龙", "泽林", "志远", "家豪"),
    },
    "女": {
        1940: ("秀英", "桂兰", "玉兰", "淑珍", "秀兰", "丽华", "凤英", "淑芬", "素珍", "桂芳", "玉珍", "翠英"),
        1966: ("丽", "静", "敏", "艳", "燕", "娟", "芳", "丽娟", "晓燕", "红梅", "海燕", "秀梅", "春艳",
               "丽萍", "慧", "颖", "雪梅", "晓红", "玉梅", "凤霞", "文娟", "丽君", "志红", "小芳", "美玲"),
        1986: ("婷", "雪", "倩", "璐", "悦", "佳慧", "思雨", "雨婷", "欣怡", "晓雪", "梦瑶", "雅琪", "婉婷",
               "佳琪", "诗雨", "欣然", "萌", "冉", "玥", "晶晶", "若曦", "雨桐", "紫涵", "一诺"),
    },
}
# Mongolian given names, written in Chinese characters and used without a surname.
MONGOLIAN_NAMES: dict[str, tuple[str, ...]] = {
    "男": ("巴特尔", "额尔敦", "朝鲁", "孟和", "巴雅尔", "宝音", "那顺", "阿拉坦仓", "额尔德木图", "苏和",
           "毕力格", "吉日嘎拉", "特木尔", "哈斯", "布和", "乌力吉", "达来", "巴图", "阿木古楞", "图门"),
    "女": ("乌云其木格", "萨仁高娃", "其其格", "斯琴", "娜仁", "苏日娜", "乌兰", "托娅", "高娃", "塔娜", "敖登",
           "格日乐", "萨仁", "琪琪格", "乌日娜", "阿茹娜", "诺敏", "斯日古楞"),
}

# 11-digit mainland mobiles begin with one of these network prefixes.
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "147", "150", "151", "152", "153", "155",
    "156", "157", "158", "159", "166", "173", "175", "176", "177", "180", "181", "182", "183", "185", "186",
    "187", "188", "189", "198", "199",
)

# Invented, neutral trade names (字号) for enterprises of any field; none is knowingly a real company's.
TRADE_NAMES = (
    "瀚德", "鼎信", "晟源", "泓川", "睿驰", "拓峰", "朔方", "青川", "赛蒙", "锦程", "润泽", "昊天", "曜石",
    "骏和", "北辰", "恒源", "华盛", "金朔", "蒙晟", "利德", "永盛", "嘉瑞", "德润", "欣达", "科诺", "中晟",
    "博远", "达信", "同创", "宏图", "瑞泽", "盛达", "天瑞", "汇晟", "融晟", "兴蒙", "阴山", "敕勒", "鹿城",
    "九峰", "乌拉", "巴彦", "塞北", "正和", "广源", "三合", "大成", "恒信", "协力", "众达", "远航", "星火",
    "启明", "京蒙", "津蒙", "沪蒙", "宏达", "明德", "云岭", "昆晟", "驰原", "德源", "鑫泽", "博瑞", "华蒙",
)
# Cities of former employers of talents introduced from outside.
OUTSIDE_CITIES = ("天津", "宁波", "苏州", "西安", "沈阳", "石家庄", "太原", "郑州", "赣州", "合肥", "无锡", "济南")

# Colleges where skilled workers trained (大学专科).
VOCATIONAL_SCHOOLS = ("包头钢铁职业技术学院", "包头职业技术学院", "包头轻工职业技术学院", "内蒙古机电职业技术学院")
# Universities of the region and its neighbours where many engineers and agronomists took their first degree.
REGIONAL_SCHOOLS = {
    "engineering": ("内蒙古科技大学", "内蒙古工业大学", "太原理工大学", "河北工业大学", "辽宁科技大学",
                    "兰州理工大学", "西安建筑科技大学", "山东科技大学"),
    "farming": ("内蒙古农业大学", "内蒙古民族大学", "河北农业大学", "山西农业大学", "甘肃农业大学", "沈阳农业大学"),
}

# Provincial honours that the default tier rules read as 省级人才计划 (C).
PROVINCIAL_HONOURS = (
    "入选内蒙古自治区“草原英才”工程", "内蒙古自治区杰出青年科学基金获得者", "包头市科技领军人才",
    "内蒙古自治区青年拔尖人才",
)
NATIONAL_HONOURS = (
    "国家杰出青年科学基金获得者", "教育部“长江学者奖励计划”特聘教授", "国家“万人计划”科技创新领军人才",
    "国家优秀青年科学基金获得者",
)
ACADEMY_HONOURS = ("中国工程院院士", "中国科学院院士")
SKILL_HONOURS = ("内蒙古自治区技术能手", "包头市首席技师", "“北疆工匠”", "包头市五一劳动奖章获得者")
