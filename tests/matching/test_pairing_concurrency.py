"""Defect 6: the two sides answering one pairing must never overwrite each other's answer.

The threaded test needs PostgreSQL's row locks: SQLite serialises every write with one database lock, so there
the race cannot happen. The stale-page test runs everywhere: an answer given from a page loaded before the other
side answered must keep the other side's answer too.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from rencai.engagements.models import Agreement
from rencai.matching.models import Answer, Pairing, PairingStatus
from rencai.matching.services import pairing_answer
from tests.matching.test_app_publish import published_pairing


def _assert_both_accepted_once(pairing_pk: int) -> None:
    pairing = Pairing.objects.get(pk=pairing_pk)
    assert (pairing.enterprise_answer, pairing.talent_answer) == (Answer.ACCEPT, Answer.ACCEPT)
    assert pairing.status == PairingStatus.ACCEPTED
    agreements = Agreement.objects.filter(pairing_ref=f"matching.pairing:{pairing.pk}")
    assert agreements.count() == 1 and pairing.agreement_id == agreements.get().pk


def test_an_answer_from_a_page_loaded_before_the_other_side_answered_keeps_both_answers(world):
    pairing = published_pairing(world)
    enterprise_copy, talent_copy = Pairing.objects.get(pk=pairing.pk), Pairing.objects.get(pk=pairing.pk)
    pairing_answer(pairing=enterprise_copy, user=world.enterprise_user, answer="accept")
    pairing_answer(pairing=talent_copy, user=world.talent_user, answer="accept")  # loaded before the first answer
    _assert_both_accepted_once(pairing.pk)


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs PostgreSQL: SQLite serialises all writes, so there is no race to test")
@pytest.mark.django_db(transaction=True)
def test_both_sides_accepting_at_the_same_moment_keep_both_answers_and_make_one_agreement(world):
    pairing = published_pairing(world)
    barrier = threading.Barrier(2)
    errors: list[str] = []

    def answer(user_pk: int) -> None:
        try:
            from rencai.core.models import User

            user = User.objects.get(pk=user_pk)
            mine = Pairing.objects.get(pk=pairing.pk)  # each side's page, loaded before either answered
            barrier.wait()
            pairing_answer(pairing=mine, user=user, answer="accept")
        except Exception as exc:  # noqa: BLE001 - any error fails the test below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(u.pk,)) for u in (world.enterprise_user, world.talent_user)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    _assert_both_accepted_once(pairing.pk)
