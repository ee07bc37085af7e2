"""factory_boy factories for the registers; valid check digits are computed, never hard-coded."""

from __future__ import annotations

import random
from datetime import date

import factory
from factory.django import DjangoModelFactory

from rencai.core.models import City, User, Zone
from rencai.core.roles import Role
from rencai.core.validators import credit_code_check_char, id_number_check_char
from rencai.orgs.models import Enterprise, Institution
from rencai.talents.models import Talent

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_id_number(birth: date | None = None, region: str = "150203", seq: int | None = None) -> str:
    birth = birth or date(1988, 5, 12)
    seq = random.randint(0, 999) if seq is None else seq
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_number_check_char(first17)


def make_credit_code(n: int | None = None) -> str:
    rng = random.Random(n)
    first17 = "91150200" + "".join(rng.choice(CREDIT_CHARS) for _ in range(9))
    return first17 + credit_code_check_char(first17)


class CityFactory(DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ["name"]

    name = "包头市"


class ZoneFactory(DjangoModelFactory):
    class Meta:
        model = Zone
        django_get_or_create = ["code"]

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"测试园区{n}")
    code = factory.Sequence(lambda n: f"zone{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.OFFICE_ADMIN
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"测试大学{n}")


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"包头测试稀土材料有限公司{n}")
    credit_code = factory.Sequence(make_credit_code)
    zone = factory.SubFactory(ZoneFactory)


class TalentFactory(DjangoModelFactory):
    class Meta:
        model = Talent

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"测试人才{n}")
    degree = "博士"
    title = "副教授"
    discipline_code = "0805"
    discipline = "材料科学与工程"
    research_directions = "稀土永磁材料；晶界扩散"
