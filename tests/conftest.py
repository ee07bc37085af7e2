"""Personas built once per test: the people DOMAIN.md names, in two zones of one city."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from rencai.core.models import User, Zone
from rencai.core.roles import Role
from tests.factories import (
    BureauFactory,
    CityFactory,
    EnterpriseFactory,
    InstitutionFactory,
    TalentFactory,
    UserFactory,
    ZoneFactory,
    make_id_number,
)


@dataclass
class World:
    zone_a: Zone
    zone_b: Zone
    admin: User
    city_admin: User
    reviewer: User
    finance: User
    enterprise_user: User
    enterprise_b_user: User
    talent_user: User
    liaison: User
    enterprise: object
    enterprise_b: object
    institution: object
    talent: object
    talent_b: object
    colleague: object
    # the roles of the areas to come: they own nothing in the first areas yet, and must see nothing there
    bureau: object = None
    bureau_user: User | None = None
    expert: User | None = None
    partner_user: User | None = None
    evaluator: User | None = None

    def personas(self) -> dict[str, User]:
        return {
            "office_admin": self.admin, "reviewer": self.reviewer, "finance": self.finance,
            "enterprise": self.enterprise_user, "talent": self.talent_user, "liaison": self.liaison,
            "bureau": self.bureau_user, "expert": self.expert, "partner": self.partner_user,
            "evaluator": self.evaluator,
        }


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language. A request switched to English leaves that language active in the
    thread (as a real request does until the next one activates its own), and choice labels are lazy."""
    translation.activate("zh-hans")
    yield
    translation.deactivate()


def verified_client(user: User) -> Client:
    """A logged-in client; staff also pass the TOTP second factor, as in real use."""
    client = Client()
    client.force_login(user)
    if user.role in (Role.OFFICE_ADMIN, Role.REVIEWER, Role.FINANCE):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def world(db) -> World:
    city = CityFactory()
    zone_a = ZoneFactory(city=city, name="稀土高新区", code="xitu")
    zone_b = ZoneFactory(city=city, name="昆都仑区", code="kundulun")
    institution = InstitutionFactory(name="内蒙古科技大学")
    other_institution = InstitutionFactory(name="内蒙古农业大学")
    users = {
        "admin": UserFactory(username="admin_a", role=Role.OFFICE_ADMIN, zone=zone_a, city=city),
        "city_admin": UserFactory(username="admin_city", role=Role.OFFICE_ADMIN, zone=None, city=city),
        "reviewer": UserFactory(username="reviewer_a", role=Role.REVIEWER, zone=zone_a, city=city),
        "finance": UserFactory(username="finance_a", role=Role.FINANCE, zone=zone_a, city=city),
        "enterprise_user": UserFactory(username="ent_a", role=Role.ENTERPRISE),
        "enterprise_b_user": UserFactory(username="ent_b", role=Role.ENTERPRISE),
        "talent_user": UserFactory(username="talent_a", role=Role.TALENT),
        "liaison": UserFactory(username="liaison_a", role=Role.LIAISON),
    }
    enterprise = EnterpriseFactory(zone=zone_a, name="包头稀土永磁材料有限公司")
    enterprise_b = EnterpriseFactory(zone=zone_b, name="昆区乳业有限公司")
    enterprise.members.add(users["enterprise_user"])
    enterprise_b.members.add(users["enterprise_b_user"])
    institution.liaisons.add(users["liaison"])
    talent = TalentFactory(zone=zone_a, name="王建国", user=users["talent_user"], institution=institution,
                           id_number=make_id_number(seq=123), phone="13812345678")
    talent_b = TalentFactory(zone=zone_b, name="李晓梅", institution=other_institution,
                             id_number=make_id_number(seq=456))
    colleague = TalentFactory(zone=zone_a, name="赵志强", institution=other_institution)
    bureau = BureauFactory(city=city, name="包头市教育局", code="edu")
    newcomers = {
        "bureau_user": UserFactory(username="bureau_edu", role=Role.BUREAU, city=city, bureau=bureau),
        "expert": UserFactory(username="expert_a", role=Role.EXPERT),
        "partner_user": UserFactory(username="partner_a", role=Role.PARTNER),
        "evaluator": UserFactory(username="evaluator_a", role=Role.EVALUATOR),
    }
    return World(zone_a=zone_a, zone_b=zone_b, enterprise=enterprise, enterprise_b=enterprise_b,
                 institution=institution, talent=talent, talent_b=talent_b, colleague=colleague, bureau=bureau,
                 **users, **newcomers)
