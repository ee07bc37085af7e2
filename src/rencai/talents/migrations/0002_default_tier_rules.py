"""Example tier rules after commonly published criteria; offices edit them on the 分层规则 page."""

from django.db import migrations

RULES = [
    ("两院院士等顶尖人才", "A", 10, [{"field": "achievements", "op": "contains_any",
                                 "value": ["中国科学院院士", "中国工程院院士", "两院院士", "院士", "诺贝尔奖"]}],
     "示例：A类为两院院士及同等层次"),
    ("国家级人才计划入选者", "B", 20, [{"field": "achievements", "op": "contains_any",
                                  "value": ["国家杰出青年", "杰青", "长江学者", "万人计划", "国家优秀青年", "优青",
                                            "国家级领军人才", "国家重点研发计划首席科学家"]}],
     "示例：B类为国家级领军人才"),
    ("省级人才计划入选者", "C", 30, [{"field": "achievements", "op": "contains_any",
                                 "value": ["草原英才", "自治区领军", "省级领军", "省级人才计划", "青年拔尖",
                                           "自治区杰出青年", "省杰出青年", "新世纪优秀人才", "科技领军人才"]}],
     "示例：C类为自治区（省）级领军人才"),
    ("正高级职称博士", "C", 40, [
        {"field": "title", "op": "in", "value": ["教授", "研究员", "正高级工程师", "主任医师", "正高级实验师"]},
        {"field": "degree", "op": "in", "value": ["博士"]}],
     "示例：具有博士学位的正高级专业技术人才"),
    ("高级职称人才", "D", 50, [{"field": "title", "op": "in",
                               "value": ["教授", "研究员", "正高级工程师", "副教授", "副研究员", "高级工程师",
                                         "主任医师", "副主任医师", "高级实验师", "高级农艺师", "高级畜牧师",
                                         "高级兽医师"]}],
     "示例：D类为地方高级人才"),
    ("博士、硕士", "E", 60, [{"field": "degree", "op": "in", "value": ["博士", "硕士"]}],
     "示例：E类为新引进的博士、硕士等基础人才"),
]


def forwards(apps, schema_editor):
    TierRule = apps.get_model("talents", "TierRule")
    for name, tier, priority, conditions, basis in RULES:
        TierRule.objects.get_or_create(name=name, defaults={"tier": tier, "priority": priority,
                                                            "conditions": conditions, "basis": basis})


def backwards(apps, schema_editor):
    apps.get_model("talents", "TierRule").objects.filter(name__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("talents", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
