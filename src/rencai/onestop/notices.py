"""The inbox kinds of 一站式服务 (found by core.inbox's autodiscovery)."""

from rencai.core.inbox import register_kind

PROGRESS = "onestop.progress"
TASK = "onestop.task"
ESCALATION = "onestop.escalation"
RECTIFY = "onestop.rectify"
CARD = "onestop.card"
VISIT_DUE = "onestop.visit_due"

register_kind(PROGRESS, "服务办理进度")
register_kind(TASK, "局办服务任务")
register_kind(ESCALATION, "服务超期上报")
register_kind(RECTIFY, "差评整改")
register_kind(CARD, "人才码")
register_kind(VISIT_DUE, "专家走访到期")
