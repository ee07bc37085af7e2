"""Seed a scratch database for the schemathesis run and print one API token per role, as ROLE=KEY lines.

Run by tests/security/run_schemathesis.sh after `rencai migrate`, with the same settings and database.
"""

from __future__ import annotations

import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rencai.config.settings.dev")
    django.setup()
    from rencai.core.roles import Role
    from rencai.core.tokens import api_token_create
    from rencai.needs.models import Need
    from tests.factories import (
        CityFactory,
        EnterpriseFactory,
        InstitutionFactory,
        TalentFactory,
        UserFactory,
        ZoneFactory,
        make_id_number,
    )

    city = CityFactory()
    zone = ZoneFactory(city=city, name="稀土高新区", code="xitu")
    admin = UserFactory(username="st_admin", role=Role.OFFICE_ADMIN, zone=zone, city=city)
    reviewer = UserFactory(username="st_reviewer", role=Role.REVIEWER, zone=zone, city=city)
    member = UserFactory(username="st_ent", role=Role.ENTERPRISE)
    enterprise = EnterpriseFactory(zone=zone, name="包头稀土永磁材料有限公司")
    enterprise.members.add(member)
    institution = InstitutionFactory(name="内蒙古科技大学")
    for seq in range(5):
        TalentFactory(zone=zone, institution=institution, id_number=make_id_number(seq=seq), phone=f"1381234567{seq}")
    Need.objects.create(enterprise=enterprise, title="钕铁硼磁体研发博士", description="晶界扩散",
                        contact_phone="13994229735")
    for role, user in (("office_admin", admin), ("reviewer", reviewer), ("enterprise", member)):
        token = api_token_create(user=user, days=1, read_only=False)
        sys.stdout.write(f"{role}={token.key}\n")


if __name__ == "__main__":
    main()
