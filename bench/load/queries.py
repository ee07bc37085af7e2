"""Where the load benchmark's pages spend their time: each page once, in-process, with its SQL statements.

    .venv/bin/python bench/load/queries.py [--database-url postgres://postgres@127.0.0.1:5432/rencai_load]

Run after bench/load/data.py (or run.py) has filled the database. Signs in as load_office_01 (the session is
made directly, with its TOTP device marked as verified), loads each page of the benchmark twice under the prod
settings and prints, for the second load, the wall time, the number of statements, their summed time and the
slowest ones. Reads only, apart from what a page writes itself (the session, the detail page's audit row).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]
import loadenv  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL", loadenv.DEFAULT_DATABASE_URL))
    parser.add_argument("--slowest", type=int, default=3)
    args = parser.parse_args()
    problem = loadenv.postgres_problem(args.database_url)
    if problem:
        print(f"skipped: {problem}")
        return
    manifest = json.loads((loadenv.var_dir() / "manifest.json").read_text())
    os.environ.update(loadenv.django_env(args.database_url))
    sys.path[:0] = [str(loadenv.ROOT / "src")]
    import django

    django.setup()
    from urllib.parse import unquote, urlencode

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from rencai.core.models import User

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    user = User.objects.get(username=manifest["users"][0])
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    pages = ["/talents/", f"/talents/?{urlencode(manifest['search'])}", "/talents/?page=500",
             f"/talents/{manifest['detail_pks'][len(manifest['detail_pks']) // 2]}/"]
    for path in pages:
        client.get(path, secure=True)
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(path, secure=True)
            wall = time.perf_counter() - began
        sql = sum(float(q["time"]) for q in queries.captured_queries)
        print(f"{unquote(path)}  HTTP {response.status_code}: {wall * 1000:.0f} ms, {len(queries)} statements, "
              f"SQL {sql * 1000:.0f} ms ({sql / wall:.0%})")
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:args.slowest]:
            print(f"  {float(query['time']) * 1000:6.0f} ms  {query['sql'][:200]}")


if __name__ == "__main__":
    main()
