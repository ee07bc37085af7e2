"""Issue 12 items 9 and 11 on PostgreSQL: fifty "open fund" requests at once, fifty pay submissions at once.

Each call runs on its own thread and database connection, as the server's workers do; SQLite serialises every
write with one lock, so there is no race to test there.
"""

from __future__ import annotations

import http.cookies
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count

from rencai.funds.models import Fund, Payment, PaymentBatch
from rencai.funds.services import fund_open
from rencai.policies.examples import load_examples
from rencai.policies.models import Instalment, Policy, PolicyVersion
from rencai.policies.services import entitlement_approve, entitlement_grant, instalments_pay_in_batch
from tests.conftest import verified_client
from tests.policies.conftest import TODAY, confirm_bank, open_funds
from tests.policies.test_concurrency import PARALLEL, run_in_parallel

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises all writes, so there is no race to test"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def example_policies(transactional_db: None) -> None:
    load_examples(Policy, PolicyVersion)


def test_fifty_parallel_fund_openings_make_one_fund_and_refuse_the_rest_in_chinese(world):
    outcomes = run_in_parallel(lambda n: fund_open(year=2027, level="district", zone=world.zone_a,
                                                   budget=Decimal("1000"), by=world.admin))
    assert outcomes == Counter({"ok": 1, "refused": PARALLEL - 1}), outcomes
    assert Fund.objects.filter(year=2027).count() == 1


def _session_opener(client, base_url: str, page: str) -> tuple[urllib.request.OpenerDirector, str]:
    session = f"sessionid={client.cookies['sessionid'].value}"
    opener = urllib.request.build_opener()
    opener.addheaders = [("Cookie", session)]
    response = opener.open(f"{base_url}{page}")
    jar = http.cookies.SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    opener.addheaders = [("Cookie", f"{session}; csrftoken={jar['csrftoken'].value}")]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()).group(1)
    return opener, token


def _send(opener: urllib.request.OpenerDirector, request: urllib.request.Request) -> int:
    for _ in range(10):  # the test server's small listen queue resets some connections: a browser resends
        try:
            return opener.open(request, timeout=60).status
        except urllib.error.HTTPError as exc:
            return exc.code
        except (ConnectionError, urllib.error.URLError):
            continue
    return 0


def test_fifty_simultaneous_open_fund_requests_get_no_server_error(world, live_server):
    opener, csrf = _session_opener(verified_client(world.admin), live_server.url, "/funds/new/")
    barrier, outcomes, lock = threading.Barrier(PARALLEL), Counter(), threading.Lock()
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "year": 2027, "level": "city",
                                   "zone": world.zone_a.pk, "budget": "5000"}).encode()

    def one(n: int) -> None:
        request = urllib.request.Request(f"{live_server.url}/funds/new/", data=body,
                                         headers={"Referer": live_server.url, "X-CSRFToken": csrf})
        barrier.wait()
        status = _send(opener, request)
        with lock:
            outcomes[status] += 1

    threads = [threading.Thread(target=one, args=(n,)) for n in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # the winner is redirected to the reconciliation page (200 after the redirect), the others see the form
    # again with "已设立，不能重复设立" (200): nobody gets a 500
    assert outcomes == Counter({200: PARALLEL}), outcomes
    assert Fund.objects.filter(year=2027, level="city").count() == 1


def test_fifty_concurrent_pay_submissions_leave_no_empty_batch(world):
    open_funds(world)
    ent = entitlement_grant(policy_code="postdoc_living_subsidy", beneficiary=world.talent, source="batch-race",
                            by=world.reviewer, today=TODAY)
    ent = entitlement_approve(entitlement=ent, by=world.admin, today=TODAY)
    confirm_bank(ent, world)
    instalments = list(ent.instalments.order_by("seq"))

    def submit(n: int) -> None:  # fifty tabs, each with its own form key, all choosing the same instalments
        instalments_pay_in_batch(request_key=f"tab-{n}", instalments=instalments, by=world.finance)

    outcomes = run_in_parallel(submit)
    assert not [k for k in outcomes if k.startswith("error")], outcomes
    assert set(Instalment.objects.values_list("status", flat=True)) == {Instalment.Status.PAID}
    assert Payment.objects.count() == 4 * 3
    counts = list(PaymentBatch.objects.annotate(n=Count("payments")).values_list("n", flat=True))
    assert counts and 0 not in counts, counts  # a batch exists only when something was paid into it
    assert sum(counts) == 12
