"""The roles of DOMAIN.md and the groups of them that views declare."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", _("人才办管理员")
    REVIEWER = "reviewer", _("审核员")
    FINANCE = "finance", _("财务")
    ENTERPRISE = "enterprise", _("企业用户")
    TALENT = "talent", _("人才")
    LIAISON = "liaison", _("派出单位联络人")
    BUREAU = "bureau", _("局办人员")
    EXPERT = "expert", _("评审专家")
    PARTNER = "partner", _("合作服务点")
    EVALUATOR = "evaluator", _("第三方评估机构")


STAFF = frozenset({Role.OFFICE_ADMIN, Role.REVIEWER, Role.FINANCE})
# The parties of the first areas (needs, talents, engagements, postdoc, policies): they own records there.
PARTIES = frozenset({Role.ENTERPRISE, Role.TALENT, Role.LIAISON})
# Roles of the areas to come (services, challenges, cards, evaluation): they see only what is given to them.
NEWCOMERS = frozenset({Role.BUREAU, Role.EXPERT, Role.PARTNER, Role.EVALUATOR})
EXTERNAL = PARTIES | NEWCOMERS
EVERYONE = STAFF | EXTERNAL
# Pages of the first areas that staff and their parties read (lists that are empty for any other role).
STAFF_AND_PARTIES = STAFF | PARTIES
# Roles that read the registers of their zone (finance reads them to check beneficiaries).
REGISTER_READERS = STAFF
REGISTER_WRITERS = frozenset({Role.OFFICE_ADMIN, Role.REVIEWER})
