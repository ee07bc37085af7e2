"""Builds needs.csv, talents.csv, truth.csv, hard_negatives.csv from cases*.txt.
Hand-written cases; this script only assigns names, IDs, rows and shuffles."""
import csv, glob, random, re, os, datetime
random.seed(20261207)
HERE = os.path.dirname(os.path.abspath(__file__)); OUT = os.path.dirname(HERE)

# ---- check characters ----
def id_check(s17):
    w = [7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
    return "10X98765432"[sum(int(c)*x for c, x in zip(s17, w)) % 11]
USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"
def org_check(s8):
    w = [3,7,9,10,5,8,4,2]
    v = 11 - sum(int(c)*x for c, x in zip(s8, w)) % 11
    return {10: "X", 11: "0"}.get(v, str(v))
def uscc(region):
    s8 = "".join(random.choice("0123456789") for _ in range(8))
    s17 = "91" + region + s8 + org_check(s8)
    w = [1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28]
    c = 31 - sum(USCC.index(ch)*x for ch, x in zip(s17, w)) % 31
    return s17 + USCC[0 if c == 31 else c]

# ---- parse cases ----
cases = []
for fn in sorted(glob.glob(os.path.join(HERE, "cases*.txt"))):
    cur = None
    for line in open(fn, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("## "):
            f = line[3:].split("|")
            cur = dict(field=f[0], ent=f[1], kind=f[2], title=f[3], urg=f[4], fund=f[5], n=f[6], D="", Q="", experts=[])
            cases.append(cur)
        elif line.startswith("D: "): cur["D"] = line[3:].strip()
        elif line.startswith("Q:"): cur["Q"] = line[2:].strip()
        elif line[:1] in "+-" and line.strip():
            rel = int(line[1]); f = line[3:].split("|")
            assert len(f) == 7, line
            cur["experts"].append(dict(rel=rel, dir=f[0], major=f[1], disc=f[2], title=f[3], deg=f[4], unit=f[5], ach=f[6]))

# extra cross-case judgements: (need title, research-direction prefix, relevance)
EXTRA = [
 ("烧结钕铁硼磁体高温退磁", "烧结钕铁硼微观组织与取向度控制", 1),
 ("报废电机磁钢回收再利用", "烧结钕铁硼微观组织与取向度控制", 1),
 ("伺服电机低速抖动", "永磁同步电机矢量控制", 1),
 ("伺服电机低速抖动", "永磁电机系统设计", 1),
 ("萃取车间镨钕分离纯度上不去", "稀土萃取分离流程模拟", 2),
 ("萃取车间镨钕分离纯度上不去", "稀土冶炼分离", 1),
 ("LED灯珠用一阵就发黄光衰", "稀土发光材料；荧光粉合成", 1),
 ("污水站冬天出水氨氮超标", "城镇污水生物脱氮除磷", 1),
 ("用煤矸石做建材", "固废建材化利用", 1),
 ("综采工作面瓦斯超限", "煤矿瓦斯抽采与防治", 2),
 ("综采工作面瓦斯超限", "矿井通风网络解算", 1),
 ("煤化工安全生产管理", "过程安全与重大危险源辨识", 2),
 ("减振橡胶件开裂", "有机硅橡胶补强与硫化", 1),
 ("片剂压片裂片粘冲", "药物制剂缓控释", 1),
 ("面包两天就发硬", "淀粉回生与面制品品质", 2),
 ("变速箱高速时啸叫", "齿轮啮合动力学与NVH；传动系统振动", 2),
 ("生鲜乳体细胞数高", "奶牛乳房炎诊治", 1),
 ("生鲜乳体细胞数高", "奶牛乳房炎病原耐药", 1),
 ("奶牛产后瘫和酮病多", "奶牛营养与乳成分调控", 1),
 ("冷链车温度失控货损", "酸奶冷链物流温度监控", 1),
 ("火锅底料放久了哈喇味", "食用油煎炸劣变与极性组分", 1),
 ("羊绒越来越粗", "绒山羊毛囊发育与羊绒品质", 1),
 ("羊肉串冻了再烤发柴", "育肥牛牛肉嫩度与分级", 1),
 ("冬天叶片结冰停机", "超疏水表面制备", 1),
 ("燃料电池堆低温启动失败", "燃料电池汽车动力系统集成", 1),
 ("整车热管理系统工程师", "动力电池低温加热", 1),
 ("新能源多了电网调峰困难", "热电联产机组灵活性改造", 1),
 ("液压泵噪音大还漏油", "工程机械液压节能", 1),
 ("风机齿轮箱轴承老坏", "轴承动力学与润滑", 1),
 ("原料药杂质超标", "化学药仿制药一致性评价", 1),
 ("结晶产品结块流动性差", "工业结晶放大", 1),
 ("脱硝氨逃逸高空预器堵", "脱硝催化剂配方", 1),
 ("沥青路面一冬就开裂", "公路路面结构设计", 1),
 ("矿区复绿草种活不了", "矿区植被恢复", 1),
]

# ---- people ----
SUR = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
GM = list("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林欢阳建国峰海东志新振永")
GF = list("芳娜敏静丽艳娟霞燕玲桂丹萍红琳云莲洁梅琴雪慧颖婷倩晶月玉兰青薇璐瑶")
MONG = ["巴特尔", "乌力吉", "斯琴", "其木格", "额尔敦", "苏日娜", "那仁", "阿拉坦", "图雅", "朝鲁", "萨仁", "宝音", "娜仁花", "格日勒", "包哈斯"]
used = set()
def name(sex):
    while True:
        if random.random() < 0.06:
            n = random.choice(MONG) + random.choice(["", "图", "其其格", "巴雅尔"]) if random.random() < .3 else random.choice(MONG)
            if random.random() < .5: n = random.choice(["包", "白", "敖", "韩", "乌"]) + n[:2]
        else:
            g = GM if sex == "男" else GF
            n = random.choice(SUR) + "".join(random.choice(g) for _ in range(random.choice([1, 2, 2])))
        if n not in used: used.add(n); return n

UNIS = ["塞北理工大学", "北疆工业大学", "燕然大学", "河套大学", "华川科技大学", "滨江大学", "东陵工业大学", "西岭大学", "中原理工大学", "南湖大学"]
AGRI = ["塞北农业大学", "北疆农牧大学", "中原农业大学"]
MED = ["北疆医科大学", "草原蒙医药大学"]
AGRI_D = {"畜牧学", "兽医学", "作物学", "草学", "植物保护", "园艺学", "农业资源与环境", "农业工程", "林学", "林业工程"}
MED_D = {"中药学", "中医学", "临床医学", "药学", "护理学", "公共卫生与预防医学", "基础医学"}
COLL = {"化学工程与技术": "化工学院", "畜牧学": "动物科学学院", "兽医学": "兽医学院", "作物学": "农学院", "草学": "草原与资源环境学院",
        "农业资源与环境": "资源与环境学院", "农业工程": "机电工程学院", "动力工程及工程热物理": "能源与动力工程学院",
        "中学": "", "中药学": "药学院", "中医学": "蒙医学院", "临床医学": "临床医学院", "药学": "药学院", "控制科学与工程": "自动化学院",
        "计算机科学与技术": "计算机学院", "信息与通信工程": "信息工程学院", "应用经济学": "经济管理学院", "管理科学与工程": "管理学院",
        "交通运输工程": "交通运输学院", "地质资源与地质工程": "地球科学学院", "大气科学": "大气科学学院"}
def uni_for(disc):
    if disc in AGRI_D: return random.choice(AGRI)
    if disc in MED_D: return random.choice(MED)
    return random.choice(UNIS)
BRAND = ["宏达", "金鼎", "瑞丰", "恒泰", "鑫源", "博远", "天晟", "华拓", "远洋", "北辰", "正和", "嘉禾", "安信", "德润", "富川", "益民"]
def unfake(s):
    while "某" in s: s = s.replace("某", random.choice(BRAND), 1)
    return s
REGIONS = ["150203", "150204", "150105", "150102", "150602", "150402", "150502", "150802", "110108", "320102", "410305", "610113", "130104", "370102", "420111", "230103", "220104", "440106"]
AREAS = ["内蒙古自治区包头市", "内蒙古自治区呼和浩特市", "内蒙古自治区鄂尔多斯市", "内蒙古自治区赤峰市", "内蒙古自治区通辽市", "北京市", "天津市", "陕西省西安市", "江苏省南京市", "辽宁省沈阳市", "吉林省长春市", "河南省郑州市", "湖北省武汉市", "上海市"]
SENIOR = ("教授", "研究员", "正高", "副教授", "副研究员", "高级", "主任", "副主任")
phones = iter(random.sample(range(10000), 2000))
def phone(): return "1380000%04d" % next(phones)

talents = []
for c in cases:
    c["ent"] = unfake(c["ent"])
    for e in c["experts"]:
        e["unit"] = unfake(e["unit"])
        sex = "女" if random.random() < 0.32 else "男"
        t = e["title"]
        if t.startswith(("教授", "研究员", "正高", "主任医师")): y = random.randint(1964, 1981)
        elif t.startswith(("副", "高级")): y = random.randint(1975, 1989)
        else: y = random.randint(1984, 1998)
        bd = datetime.date(y, 1, 1) + datetime.timedelta(days=random.randint(0, 364))
        grad = uni_for(e["disc"])
        unit = e["unit"] or (uni_for(e["disc"]) + COLL.get(e["disc"], e["disc"] + "学院"))
        deg = e["deg"]
        edu, dg = {"D": ("博士研究生", "博士"), "M": ("硕士研究生", "硕士"), "B": ("大学本科", "学士")}[deg]
        if deg == "D":
            typ = random.choice(["柔性引进"] * 5 + ["博士服务"] * 3 + ["全职引进"] + (["博士后"] if y > 1988 else []))
        else:
            typ = random.choice(["本土培养", "本土培养", "柔性引进", "全职引进"])
        flex = random.choice(["候鸟式", "周末式", "兼职", "顾问", "项目合作"]) if typ == "柔性引进" else ("驻企服务" if typ == "博士服务" else "")
        idno = ""
        if random.random() < 0.8:
            s17 = random.choice(REGIONS) + bd.strftime("%Y%m%d") + "%02d" % random.randint(0, 99) + str(random.choice([1, 3, 5, 7, 9] if sex == "男" else [0, 2, 4, 6, 8]))
            idno = s17 + id_check(s17)
        area = random.choice(AREAS)
        t_rec = {"姓名": name(sex), "性别": sex, "出生日期": bd.isoformat() if random.random() < .7 else f"{bd.year}.{bd.month}",
                 "身份证号": idno, "手机号": phone(), "最高学历": edu, "最高学位": dg, "毕业院校": grad, "所学专业": e["major"],
                 "一级学科": e["disc"], "研究方向": e["dir"], "职称": t, "工作单位": unit, "人才类型": typ, "柔性方式": flex,
                 "人才层次": "", "代表性成果": e["ach"], "所在地区": area, "备注": ""}
        e["rec"] = t_rec
        talents.append(t_rec)

random.shuffle(talents)
TCOLS = ["姓名", "性别", "出生日期", "身份证号", "手机号", "最高学历", "最高学位", "毕业院校", "所学专业", "一级学科", "研究方向", "职称", "工作单位", "人才类型", "柔性方式", "人才层次", "代表性成果", "所在地区", "备注"]
for i, t in enumerate(talents): t["_row"] = i + 2
with open(os.path.join(OUT, "talents.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f); w.writerow(TCOLS)
    for t in talents: w.writerow([t[k] for k in TCOLS])

codes = {}
NCOLS = ["企业名称", "统一社会信用代码", "需求类型", "需求名称", "需求描述", "所属领域", "期望人才", "需求人数", "紧急程度", "拟投入经费(万元)", "联系人", "联系电话", "截止日期"]
with open(os.path.join(OUT, "needs.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f); w.writerow(NCOLS)
    for i, c in enumerate(cases):
        c["_row"] = i + 2
        if c["ent"] not in codes: codes[c["ent"]] = uscc(random.choice(REGIONS[:8]))
        dl = datetime.date(2027, random.randint(1, 12), random.randint(1, 28)).isoformat()
        w.writerow([c["ent"], codes[c["ent"]], c["kind"], c["title"], c["D"], c["field"], c["Q"], c["n"], c["urg"], c["fund"],
                    name(random.choice("男女")), phone(), dl])

by_title = {c["title"]: c for c in cases}
truth = {}
for c in cases:
    for e in c["experts"]:
        if e["rel"]: truth[(c["_row"], e["rec"]["_row"])] = (e["rel"], c, e["rec"])
for title, pref, rel in EXTRA:
    c = by_title[title]
    hits = [t for t in talents if t["研究方向"].startswith(pref)]
    assert len(hits) == 1, (title, pref, len(hits))
    truth[(c["_row"], hits[0]["_row"])] = (rel, c, hits[0])
with open(os.path.join(OUT, "truth.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f); w.writerow(["need_id", "talent_id", "relevance", "need_title", "talent_name"])
    for (nr, tr), (rel, c, t) in sorted(truth.items()):
        w.writerow([nr, tr, rel, c["title"], t["姓名"]])

def kind(c, e):
    q, t = c["Q"], e["title"]
    pos = [x for x in c["experts"] if x["rel"]]
    same = any(p["disc"] == e["disc"] and p["major"] == e["major"] for p in pos)
    if same and "博士" in q and e["deg"] != "D": return "学历不符"
    if same and ("高级" in q or "正高" in q or "主任医师" in q) and not t.startswith(SENIOR): return "职称不符"
    if same and "正高" in q and not t.startswith(("教授", "研究员", "正高")): return "职称不符"
    return "相邻领域"
with open(os.path.join(OUT, "hard_negatives.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f); w.writerow(["need_id", "talent_id", "kind", "need_title", "talent_name"])
    for c in cases:
        for e in c["experts"]:
            if e["rel"] == 0 and (c["_row"], e["rec"]["_row"]) not in truth:
                w.writerow([c["_row"], e["rec"]["_row"], kind(c, e), c["title"], e["rec"]["姓名"]])
print("needs", len(cases), "talents", len(talents), "truth", len(truth),
      "rel2", sum(1 for v in truth.values() if v[0] == 2), "rel1", sum(1 for v in truth.values() if v[0] == 1),
      "no-truth needs", [c["title"] for c in cases if not any(k[0] == c["_row"] for k in truth)])
