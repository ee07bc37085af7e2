"""The whole demo from one seed: enterprises, talents, their platforms and the staff who log in."""

from __future__ import annotations

import random

from rencai.core.roles import Role
from rencai.demo.enterprises import build_enterprises
from rencai.demo.people import People
from rencai.demo.platforms import add_platforms
from rencai.demo.specs import DemoData, StaffSpec
from rencai.demo.talents import build_talents

# Office staff of the demo: username, role, zone code ("" = city level).
STAFF = (
    ("admin", Role.OFFICE_ADMIN, "xitu"),
    ("city_admin", Role.OFFICE_ADMIN, ""),
    ("reviewer", Role.REVIEWER, "xitu"),
    ("finance", Role.FINANCE, "xitu"),
)


def build_demo(seed: int) -> DemoData:
    """Pure: the same seed gives the same people, codes and numbers, whatever the database holds."""
    rng = random.Random(seed)  # noqa: S311 - invented demo data, not secrets
    people = People(rng)
    enterprises = build_enterprises(rng, people)
    talents, hosts = build_talents(rng, people, enterprises)
    persona_enterprise = enterprises[0].credit_code
    add_platforms(rng, enterprises, hosts, persona_enterprise)
    staff = [StaffSpec(username, role, zone, people.person(rng.randint(28, 50))[0]) for username, role, zone in STAFF]
    return DemoData(seed=seed, enterprises=enterprises, talents=talents, staff=staff,
                    persona_enterprise=persona_enterprise, persona_talent=talents[0].id_number,
                    liaison_name=people.person(rng.randint(30, 50))[0])
