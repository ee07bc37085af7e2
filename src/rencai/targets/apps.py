from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "rencai.targets"
    label = "targets"
    verbose_name = "目标考核与驾驶舱"

    def ready(self) -> None:
        from rencai.core import inbox
        from rencai.core.context_processors import nav_register
        from rencai.core.roles import STAFF, Role
        from rencai.targets import services  # noqa: F401  (declares the lifecycles)
        from rencai.targets.areas import register_area_sources
        from rencai.targets.offers import register_offers
        from rencai.targets.registry import register_core_sources

        register_core_sources()  # other areas register their own sources from their AppConfig.ready
        register_area_sources()
        register_offers()
        inbox.register_kind("targets", "目标考核")
        nav_register("驾驶舱", "targets:dashboard", frozenset(STAFF))
        nav_register("政策效果评估", "targets:evaluations", frozenset(STAFF | {Role.EVALUATOR}))
