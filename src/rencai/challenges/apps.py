from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "rencai.challenges"
    label = "challenges"
    verbose_name = "揭榜挂帅"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from rencai.challenges.views import READERS
        from rencai.core import inbox
        from rencai.core.context_processors import nav_register
        from rencai.core.roles import Role
        from rencai.core.schedule import register_job
        from rencai.funds.selectors import register_category_labeller

        nav_register(_("揭榜挂帅"), "challenges:list", READERS)
        from rencai.challenges.actions import offer_from_need
        from rencai.core.actions import register_record_action

        register_record_action("needs.need", offer_from_need)
        nav_register(_("评审任务"), "challenges:review_list", frozenset({Role.EXPERT}))
        nav_register(_("我的揭榜"), "challenges:mine", frozenset({Role.TALENT, Role.ENTERPRISE}))
        for kind, label in (("challenges.challenge", "揭榜挂帅榜单"), ("challenges.bid", "揭榜方案"),
                            ("challenges.award", "揭榜项目"), ("challenges.milestone", "揭榜里程碑"),
                            ("challenges.review", "揭榜评审任务"), ("challenges.objection", "揭榜公示异议"),
                            ("challenges.reminder", "揭榜里程碑提醒")):
            inbox.register_kind(kind, label)
        register_category_labeller(lambda code: "揭榜挂帅" if code == "challenges" else None)

        from rencai.challenges.services import daily, describe_daily
        from rencai.challenges.widgets import challenges_widget
        from rencai.core.widgets import register_home_widget

        register_home_widget(challenges_widget, order=70)

        register_job("challenges_daily", "揭榜挂帅：截止与里程碑提醒", run=daily, daily_at="06:30",
                     describe=describe_daily)
