"""Two partner desks redeeming a card's last use at the same moment: one succeeds, the other is refused.

Needs PostgreSQL's row locks (SQLite serialises every write, so there is no race to test there).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from rencai.onestop import cardtoken, services
from rencai.onestop.models import Redemption
from tests.onestop.builders import item, venue


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs PostgreSQL: SQLite serialises all writes, so there is no race to test")
@pytest.mark.django_db(transaction=True)
def test_the_last_use_is_redeemed_once_when_two_desks_race(world):  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    city = world.zone_a.city
    health = item(city, "health", "健康体检", bureaus=[world.bureau], without_application=True, card_quota=1)
    second = UserFactory(username="partner_b", role="partner")
    place = venue(city, "包头市中心医院", [health], [world.partner_user, second])
    card = services.card_issue(talent=world.talent, by=world.admin)
    tokens = [services.card_token(card), services.card_token(card)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def desk(user_pk: int, token: str) -> None:
        from rencai.core.models import User

        try:
            user = User.objects.get(pk=user_pk)
            barrier.wait()
            services.redeem(token=token, item=health, venue=place, by=user)
            outcomes.append("ok")
        except cardtoken.CardRefused as exc:
            outcomes.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - any other error fails the test below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=desk, args=(u.pk, t)) for u, t in zip((world.partner_user, second), tokens,
                                                                               strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes)[0] == "ok" and "次数已用完" in sorted(outcomes)[1], outcomes
    assert Redemption.objects.count() == 1
