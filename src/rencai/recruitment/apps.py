from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "rencai.recruitment"
    label = "recruitment"
    verbose_name = "招才引智活动"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from rencai.core import inbox
        from rencai.core.context_processors import nav_register
        from rencai.core.imports import register_importer
        from rencai.core.roles import Role
        from rencai.core.schedule import register_job
        from rencai.recruitment import services
        from rencai.recruitment.importers import InsuranceImporter

        register_importer(InsuranceImporter())
        inbox.register_kind("recruitment", _("招才引智"))
        nav_register(_("招才引智"), "recruitment:campaigns",
                     frozenset({Role.OFFICE_ADMIN, Role.REVIEWER, Role.ENTERPRISE}))
        register_job("recruitment_retention", "引进人才6/12个月留任核查", run=services.retention_check,
                     daily_at="03:10", describe=services.describe_retention)
        register_job("recruitment_landing", "大赛获奖项目落地核查", run=services.landing_check,
                     daily_at="03:20", describe=services.describe_landing)
