"""Core kinds of notice (found by rencai.core.inbox at start-up, like every app's notices.py)."""

from django.utils.translation import gettext_lazy as _

from rencai.core.inbox import register_kind

STATE_CHANGE = "state_change"

# rencai.core.lifecycle notifies with this kind unless a lifecycle names its own.
register_kind(STATE_CHANGE, _("办理进度"))

# rencai.core.export_jobs: a large export the worker has written is ready to download.
EXPORT_READY = "export_ready"
register_kind(EXPORT_READY, _("导出文件已生成"))
