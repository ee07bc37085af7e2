from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "rencai.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        # importing listing connects its write signals: facet caches hear the task worker's and the
        # scheduler's writes too, not only those of processes that loaded a list view
        from rencai.core import listing, schedule  # noqa: F401

        schedule.connect_signals()
        schedule.register_core_jobs()

        from rencai.core.tasks import import_stale_check  # an import job left "running" by a killed worker

        schedule.register_stale_check(import_stale_check)

        from rencai.core.export_jobs import expire_exports, export_stale_check  # large exports run as tasks

        schedule.register_stale_check(export_stale_check)
        schedule.register_job("export_cleanup", _("删除过期的导出文件"), run=expire_exports, daily_at="03:30")

        from rencai.core import search  # catches writes that bypassed the signals (QuerySet.update)

        schedule.register_job("search_reindex", _("列表搜索索引"), run=search.reindex_job, daily_at="03:00")
