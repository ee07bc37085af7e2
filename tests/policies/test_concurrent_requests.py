"""Fifty real HTTP requests at once to the finance page that pays instalments, against PostgreSQL.

The live server answers each request on its own thread and database connection, as production does,
so this checks the whole path (view, form key, services, row locks), not only the services.
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
from django.test import Client

from rencai.funds.models import AccountKind, Fund, Payment, PaymentBatch
from rencai.policies.examples import load_examples
from rencai.policies.models import Instalment, Policy, PolicyVersion
from rencai.policies.services import entitlement_approve, entitlement_grant
from tests.conftest import verified_client
from tests.policies.conftest import confirm_bank, open_funds

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises all writes, so there is no race to test"),
    pytest.mark.django_db(transaction=True),
]
PARALLEL = 50


def _opener_for(client: Client, base_url: str) -> tuple[urllib.request.OpenerDirector, str]:
    """A plain HTTP client carrying the logged-in (and TOTP-verified) session of a test client,
    and the CSRF token of the payment page it opened, as a finance officer's browser would hold."""
    session = f"sessionid={client.cookies['sessionid'].value}"
    opener = urllib.request.build_opener()
    opener.addheaders = [("Cookie", session)]
    response = opener.open(f"{base_url}/policies/payments/")
    jar = http.cookies.SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    opener.addheaders = [("Cookie", f"{session}; csrftoken={jar['csrftoken'].value}")]
    page = response.read().decode()
    return opener, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _send_with_retries(opener: urllib.request.OpenerDirector, request: urllib.request.Request) -> int:
    """The test server's small listen queue resets some of fifty simultaneous connections; a browser
    would resend the same form, which is exactly the retry the idempotency key must absorb."""
    for _ in range(10):
        try:
            return opener.open(request, timeout=60).status
        except urllib.error.HTTPError as exc:
            return exc.code
        except (ConnectionError, urllib.error.URLError):
            continue
    return 0


def test_fifty_simultaneous_pay_requests_pay_every_instalment_exactly_once(world, live_server):
    load_examples(Policy, PolicyVersion)  # an earlier flush may have emptied the shipped policies
    open_funds(world, year=2026)
    entitlement = entitlement_grant(policy_code="postdoc_living_subsidy", beneficiary=world.talent,
                                    source="http-race", by=world.reviewer)
    entitlement = entitlement_approve(entitlement=entitlement, by=world.admin)
    confirm_bank(entitlement, world)
    Instalment.objects.filter(entitlement=entitlement).update(due_on=entitlement.created_at.date())
    ids = [str(pk) for pk in entitlement.instalments.values_list("pk", flat=True)]
    opener, csrf = _opener_for(verified_client(world.finance), live_server.url)
    barrier, outcomes, lock = threading.Barrier(PARALLEL), Counter(), threading.Lock()

    def pay(n: int) -> None:
        key = "same-form-resubmitted" if n % 2 else f"another-tab-{n}"  # retries and rival requests
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "request_key": key, "ids": ids}, doseq=True)
        request = urllib.request.Request(f"{live_server.url}/policies/payments/batch/", data=body.encode(),
                                         headers={"Referer": live_server.url, "X-CSRFToken": csrf})
        barrier.wait()
        status = _send_with_retries(opener, request)
        with lock:
            outcomes[status] += 1

    threads = [threading.Thread(target=pay, args=(n,)) for n in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert outcomes == Counter({200: PARALLEL}), outcomes  # every request answered, none crashed
    assert Payment.objects.count() == 4 * 3  # 4 instalments x 3 government levels, each paid once
    assert set(entitlement.instalments.values_list("status", flat=True)) == {Instalment.Status.PAID}
    paid = sum((Fund.objects.get(pk=f.pk).balance(AccountKind.PAID) for f in Fund.objects.all()), Decimal(0))
    assert paid == Decimal("300000.00")
    # issue 12 item 11: the 24 rival keys that found everything paid left no empty batch behind
    assert not PaymentBatch.objects.filter(payments__isnull=True).exists()
