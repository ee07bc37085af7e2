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


STAFF = frozenset({Role.OFFICE_ADMIN, Role.REVIEWER, Role.FINANCE})
EXTERNAL = frozenset({Role.ENTERPRISE, Role.TALENT, Role.LIAISON})
EVERYONE = STAFF | EXTERNAL
# Roles that read the registers of their zone (finance reads them to check beneficiaries).
REGISTER_READERS = STAFF
REGISTER_WRITERS = frozenset({Role.OFFICE_ADMIN, Role.REVIEWER})
