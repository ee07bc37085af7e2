"""Time the talent list page against the seeded register (bench/lists/seed.py) and explain its queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rencai_lists .venv/bin/python bench/lists/page_bench.py LABEL

As the zone's office admin, through Django's test client in this process (no server, so the figure is the
view's own time: SQL plus rendering): the first page, a deep page (offset 90,000), a tier filter and the 姓名
sort, each requested `--repeat` times after two warm-up requests. For each it records the median and p95
wall time, the SQL statements with their times, and EXPLAIN (ANALYZE, BUFFERS) of each statement over
the talent table.
With --facets the talent list's tier counts come from `core.listing.facet_counts` (the one-line change to
`talents/views.py` this work asks for: `"tier_counts": facet_counts(queryset, "tier", page)`), so the figure is
the page as it will be once that line is in.
Writes bench/results/list_indexes-LABEL.json; the write-up is bench/results/list_indexes.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from common import RESULTS, setup

PAGES = {
    "first page": "/talents/",
    "deep page (offset 90,000)": "/talents/?page=3001",
    "tier filter (C)": "/talents/?tier=C",
    "sort by name": "/talents/?sort=name",
}


def _use_old_listing() -> None:
    """core.listing before issue 18 (before the URLconf, so the views import these)."""
    from django.core.paginator import Paginator

    from rencai.core import listing

    listing.ordering = lambda sort: [*sort.split(","), "pk"]
    listing.paginate = lambda request, queryset, spec: Paginator(queryset, spec.page_size).get_page(
        request.GET.get("page"))


def _use_facet_counts() -> None:
    """talents.views.talent_list with its tier GROUP BY through facet_counts (before the URLconf is loaded)."""
    from django.shortcuts import render

    from rencai.core.access import allow
    from rencai.core.listing import facet_counts, paginate
    from rencai.core.roles import REGISTER_WRITERS
    from rencai.core.sensitive import may_reveal_any
    from rencai.talents import views
    from rencai.talents.models import Talent

    @allow(*views.READERS)
    def talent_list(request):  # type: ignore[no-untyped-def]
        queryset, state = views._talents(request)
        page = paginate(request, queryset, views.SPEC)
        context = {"page": page, "state": state, "spec": views.SPEC,
                   "can_write": request.user.role in REGISTER_WRITERS,
                   "reveal_possible": may_reveal_any(request.user, Talent),
                   "tier_counts": facet_counts(queryset, "tier", page)}
        return render(request, "talents/list.html#results" if request.htmx else "talents/list.html", context)

    views.talent_list = talent_list


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("label")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--facets", action="store_true", help="the tier counts through core.listing.facet_counts")
    parser.add_argument("--baseline", action="store_true",
                        help="core.listing as it was: Django's paginator (a full COUNT), the pk ascending last")
    args = parser.parse_args()
    setup()
    if args.baseline:
        _use_old_listing()
    if args.facets:
        _use_facet_counts()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from rencai.core.models import User

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    admin = User.objects.get(username="bench_admin")
    client = Client()
    client.force_login(admin)
    device, _ = TOTPDevice.objects.get_or_create(user=admin, name="bench", defaults={"confirmed": True})
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()

    result: dict = {"label": args.label, "pages": {}}
    for name, url in PAGES.items():
        for _ in range(2):
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = [{"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"]} for q in captured.captured_queries]
        plans = []
        with connection.cursor() as cursor:
            for q in queries:  # every statement over the register: the count, the page, the facet
                if q["sql"].lstrip().upper().startswith("SELECT") and 'FROM "talents_talent"' in q["sql"]:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                    plans.append({"sql": q["sql"], "plan": [r[0] for r in cursor.fetchall()]})
        times.sort()
        result["pages"][name] = {
            "url": url, "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
            "queries": len(queries), "sql_ms": round(sum(q["ms"] for q in queries), 1),
            "statements": queries, "plans": plans,
        }
        row = result["pages"][name]
        print(f"{name:28} median {row['median_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  {len(queries)} queries,"
              f" SQL {row['sql_ms']} ms")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"list_indexes-{args.label}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
