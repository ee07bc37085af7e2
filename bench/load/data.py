"""Data for the load benchmark: 100,000 talents in one zone and the office users who log in to read them.

    .venv/bin/python bench/load/data.py [--database-url postgres://postgres@127.0.0.1:5432/rencai_load]
                                        [--talents 100000] [--reset]

Runs rencai's migrations on the benchmark's own PostgreSQL database (created when missing) under the prod
settings, then fills the zone 负载基准园区 with generated talents written the way a city's register looks: names,
valid ID numbers and mobiles (encrypted through the model's field, with their lookup hashes), the demo's
vocabulary of fields, research directions, titles, employers and achievements, spread over three years of
updates. Idempotent: when the zone already holds that many talents that decrypt with the benchmark's key, only
the 50 users (load_office_01..50, office admins of the zone, each with a TOTP authenticator whose key the
runner knows) are refreshed. Ends with ANALYZE and writes var/bench-load/manifest.json for the runner.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

sys.path[:0] = [str(Path(__file__).resolve().parent)]
import loadenv  # noqa: E402

if TYPE_CHECKING:
    from rencai.core.models import Zone

SEED = 20261207
AS_OF = date(2026, 6, 30)
BATCH = 5000
TIERS = (("A", 1), ("B", 8), ("C", 40), ("D", 250), ("E", 500), ("", 201))
TYPES = (("全职引进", 30), ("柔性引进", 20), ("本土培养", 35), ("博士服务", 10), ("博士后", 5))
MODES = ("候鸟式", "周末式", "兼职", "顾问", "项目合作", "驻企服务")
DEGREES = (("博士", 35), ("硕士", 45), ("学士", 20))
EDUCATION_OF = {"博士": "博士研究生", "硕士": "硕士研究生", "学士": "大学本科"}
TITLES = ("教授", "副教授", "讲师", "研究员", "副研究员", "正高级工程师", "高级工程师", "工程师", "高级技师", "")
SUFFIXES = ("有限公司", "股份有限公司", "科技有限公司", "集团有限公司")


def _setup(database_url: str) -> None:
    os.environ.update(loadenv.django_env(database_url))
    sys.path[:0] = [str(loadenv.ROOT / "src")]
    import django

    django.setup()


class Maker:
    """Talent rows from one seeded random, in the demo's vocabulary (rencai.demo.fields / rencai.demo.data)."""

    def __init__(self) -> None:
        from rencai.core.catalogs import discipline_by_code
        from rencai.demo import data
        from rencai.demo.fields import FIELDS

        self.rng = random.Random(SEED)
        self.fields = FIELDS
        self.field_weights = [f.talents for f in FIELDS]
        self.surnames = [s for s, _ in data.SURNAMES]
        self.surname_weights = [w for _, w in data.SURNAMES]
        self.given = data.GIVEN_NAMES
        self.provinces = [p for p, _ in data.HOME_PROVINCES]
        self.province_weights = [w for _, w in data.HOME_PROVINCES]
        self.regions = data.REGIONS
        self.mobiles = data.MOBILE_PREFIXES
        self.trades = data.TRADE_NAMES
        self.institutions = [i.name for i in data.INSTITUTIONS]
        self.discipline_names = {
            code: (d.name if (d := discipline_by_code(code)) else "")
            for f in FIELDS for code, _ in f.disciplines
        }

    def _pick(self, pairs: tuple[tuple[str, int], ...]) -> str:
        return self.rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]

    def row(self, n: int) -> dict[str, object]:
        from rencai.core.validators import id_number_check_char

        rng = self.rng
        field = rng.choices(self.fields, weights=self.field_weights)[0]
        gender = "女" if rng.random() < 0.3 else "男"
        birth = date(AS_OF.year - rng.randint(24, 68), rng.randint(1, 12), rng.randint(1, 28))
        generations = [y for y in self.given[gender] if y <= max(birth.year, 1940)]
        name = rng.choices(self.surnames, weights=self.surname_weights)[0] + rng.choice(
            self.given[gender][max(generations)])
        province = rng.choices(self.provinces, weights=self.province_weights)[0]
        sequence = rng.randrange(0, 500) * 2 + (1 if gender == "男" else 0)
        first17 = f"{rng.choice(self.regions[province])}{birth:%Y%m%d}{sequence:03d}"
        degree = self._pick(DEGREES)
        code, majors = rng.choice(field.disciplines)
        talent_type = self._pick(TYPES)
        directions = rng.sample(field.directions, min(len(field.directions), rng.choice((2, 2, 3))))
        items = [rng.choice(field.papers), rng.choice(field.patents)]
        if rng.random() < 0.4:
            items.append(rng.choice(field.projects))
        business = rng.choice(field.businesses)
        return {
            "name": name, "gender": gender, "birth_date": birth, "id_number": first17 + id_number_check_char(first17),
            "phone": rng.choice(self.mobiles) + f"{n:08d}",
            "education": EDUCATION_OF[degree], "degree": degree, "graduated_from": rng.choice(field.schools),
            "major": rng.choice(majors), "discipline_code": code, "discipline": self.discipline_names[code],
            "research_directions": "；".join(directions), "title": rng.choice(TITLES),
            "employer": f"包头{rng.choice(self.trades)}{business.word}{rng.choice(SUFFIXES)}",
            "talent_type": talent_type,
            "flexible_mode": rng.choice(MODES) if talent_type == "柔性引进" else "",
            "tier": self._pick(TIERS), "achievements": "；".join(items), "region": province,
            "remarks": f"{field.tag}产业链" if rng.random() < 0.3 else "",
        }


def _filled(zone: Zone, talents: int) -> bool:
    """The zone holds exactly `talents` talents and their personal numbers decrypt with this key."""
    from django.core.exceptions import ImproperlyConfigured

    from rencai.talents.models import Talent

    if Talent.objects.filter(zone=zone).count() != talents:
        return False
    try:
        sample = Talent.objects.filter(zone=zone).exclude(phone="").first()
    except ImproperlyConfigured:
        print("the zone's talents do not decrypt with var/bench-load/field.key: filling again", flush=True)
        return False
    return sample is not None


def fill(zone: Zone, talents: int) -> None:
    from django.db import connection, transaction

    from rencai.talents.models import Talent

    maker = Maker()
    started = time.perf_counter()
    with transaction.atomic():
        Talent.objects.filter(zone=zone).delete()
        for start in range(0, talents, BATCH):
            batch = []
            for n in range(start, min(start + BATCH, talents)):
                talent = Talent(zone=zone, **maker.row(n))
                talent.refresh_keys()  # what save() does: name key and the keyed hashes of ID number and phone
                batch.append(talent)
            Talent.objects.bulk_create(batch)
            print(f"  {start + len(batch):,} talents", flush=True)
        # A register updated over three years, not all in the same second (bulk_create stamps "now").
        with connection.cursor() as cursor:
            age = "((id %% 1096) * interval '1 day' + (id %% 86400) * interval '1 second')"
            cursor.execute(
                f"UPDATE {Talent._meta.db_table} SET created_at = created_at - {age}, "  # noqa: S608
                f"updated_at = created_at - {age} + ((id * 7) %% 100) / 100.0 * {age} WHERE zone_id = %s",
                [zone.pk])
    print(f"filled {talents:,} talents in {time.perf_counter() - started:.1f} s", flush=True)


def search_index() -> None:
    """The list search's documents (rencai.core.search), as a deployment has them after its import or the nightly
    reindex job: `bulk_create` bypasses the signals that write them, and without them the search falls back to
    icontains over every row. A second run finds every document up to date and writes none."""
    from django.db import connection

    from rencai.core import search
    from rencai.talents.models import Talent

    started = time.perf_counter()
    seen, written, _removed = search.reindex(Talent)
    if written:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_searchdocument")
    print(f"search index: {written:,} of {seen:,} documents written in {time.perf_counter() - started:.1f} s",
          flush=True)


def users(zone: Zone) -> None:
    """The zone's office admins, one per client, each with a confirmed TOTP device of a known key."""
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from rencai.core.models import User
    from rencai.core.roles import Role

    password = make_password(loadenv.PASSWORD)  # hashed once: 50 hashes at the prod cost would take a while
    for username in loadenv.usernames():
        user, _ = User.objects.update_or_create(username=username, defaults={
            "role": Role.OFFICE_ADMIN, "zone": zone, "city": zone.city,
            "display_name": f"负载测试{username[-2:]}", "is_active": True, "password": password,
        })
        TOTPDevice.objects.update_or_create(user=user, name="load-bench", defaults={
            "key": loadenv.totp_key(username), "confirmed": True, "throttling_failure_count": 0,
            "throttling_failure_timestamp": None,
        })


def manifest(zone: Zone, talents: int) -> dict[str, object]:
    from rencai.talents.models import Talent

    pks = list(Talent.objects.filter(zone=zone).order_by("pk").values_list("pk", flat=True)[::max(1, talents // 200)])
    hits = Talent.objects.filter(zone=zone, research_directions__contains="钕铁硼").count()
    typed = Talent.objects.filter(zone=zone, research_directions__contains="钕铁硼", talent_type="全职引进").count()
    return {"zone_id": zone.pk, "talents": talents, "detail_pks": pks, "search": {"q": "钕铁硼", "type": "全职引进"},
            "search_hits_q": hits, "search_hits_q_type": typed, "users": loadenv.usernames()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL", loadenv.DEFAULT_DATABASE_URL))
    parser.add_argument("--talents", type=int, default=100_000)
    parser.add_argument("--reset", action="store_true", help="fill again even when the zone is already filled")
    args = parser.parse_args()
    problem = loadenv.postgres_problem(args.database_url)
    if problem:
        sys.exit(f"load benchmark data: {problem}")
    _setup(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    from rencai.core.models import City, Zone
    from rencai.talents.models import Talent

    call_command("migrate", "--no-input", verbosity=0)
    city, _ = City.objects.get_or_create(name=loadenv.CITY_NAME, defaults={"code": "load"})
    zone, _ = Zone.objects.get_or_create(code=loadenv.ZONE_CODE, defaults={"city": city, "name": loadenv.ZONE_NAME})
    if not args.reset and _filled(zone, args.talents):
        print(f"{loadenv.database_name(args.database_url)}: {args.talents:,} talents already there", flush=True)
    else:
        fill(zone, args.talents)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Talent._meta.db_table}")
    search_index()
    users(zone)
    data = manifest(zone, args.talents)
    (loadenv.var_dir() / "manifest.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    print(f"manifest: {data['search_hits_q']:,} talents match 钕铁硼, {data['search_hits_q_type']:,} of them 全职引进",
          flush=True)


if __name__ == "__main__":
    main()
