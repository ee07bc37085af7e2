"""Fill the list benchmark's PostgreSQL database: 100,000 talents in one zone (and a smaller second zone).

    createdb -h 127.0.0.1 -U postgres rencai_lists
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rencai_lists .venv/bin/python bench/lists/seed.py [--rows N]

Migrates, then writes the rows with bulk_create and spreads `updated_at` over a year and the tiers over A–E
(as a real register is), so the default order (最近更新) and the tier facet have real work to do. Ends with
VACUUM ANALYZE, as autovacuum would after a bulk load. Idempotent: it refuses to seed twice.
"""

from __future__ import annotations

import argparse
import random

from common import setup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    setup()
    from django.core.management import call_command
    from django.db import connection

    from rencai.core.models import City, User, Zone
    from rencai.core.roles import Role
    from rencai.talents.models import Talent

    call_command("migrate", verbosity=0)
    if Zone.objects.filter(code="benchzone").exists():
        print("already seeded")
        return
    city = City.objects.create(name="基准市", code="bench")
    zone = Zone.objects.create(city=city, name="基准园区", code="benchzone")
    other = Zone.objects.create(city=city, name="邻近园区", code="benchother")
    User.objects.create(username="bench_admin", role=Role.OFFICE_ADMIN, zone=zone, city=city)
    rng = random.Random(18)
    tiers = ["A", "B", "C", "D", "E", "E", "E", "D", ""]
    directions = ["稀土永磁材料；晶界扩散", "氢能储运", "煤化工催化", "乳品工艺", "动物疫苗", "汽车零部件"]
    for start in range(0, rows + rows // 5, 5000):
        batch = []
        for n in range(start, min(start + 5000, rows + rows // 5)):
            talent = Talent(zone=zone if n < rows else other, name=f"基准{n}", education="博士研究生", degree="博士",
                            tier=rng.choice(tiers), research_directions=rng.choice(directions))
            talent.refresh_keys()
            batch.append(talent)
        Talent.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE talents_talent SET updated_at = now() - random() * interval '365 days'")
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE talents_talent")
    print(f"seeded {rows} talents in {zone.name} and {rows // 5} in {other.name}")


if __name__ == "__main__":
    main()
