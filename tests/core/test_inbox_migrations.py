"""The three old notice models' rows move into the one inbox, read state included.

Each test takes the schema back to just before the app's old model is deleted, writes rows into the old table,
runs the data migration's function on them and checks the notices; then migrates forward again.
"""

from __future__ import annotations

import importlib
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from rencai.core.inbox import unread_count
from rencai.core.models import Notice
from rencai.matching.models import MatchRound, Pairing
from tests.engagements.conftest import make_agreement
from tests.factories import NeedFactory
from tests.postdoc.conftest import make_postdoc, make_station

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def schema_at(app: str, migration: str):
    """The historical models with `app` migrated to `migration`; the schema goes back to the latest afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate([(app, migration)])
    try:
        yield executor.loader.project_state([(app, migration)]).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def forward_of(app: str, migration: str):
    return importlib.import_module(f"rencai.{app}.migrations.{migration}").forward


def test_postdoc_reminders_become_notices_with_their_read_state(world):
    postdoc = make_postdoc(world, make_station(world))
    sent = timezone.now() - timedelta(days=3)
    with schema_at("postdoc", "0004_reminders_to_inbox") as old:
        Reminder = old.get_model("postdoc", "Reminder")
        Reminder.objects.create(postdoc_id=postdoc.pk, milestone="开题", due=date(2025, 6, 1), days_before=30,
                                recipient_id=world.talent_user.pk, text="开题截止日期为2025-06-01，还有30天",
                                sent_at=sent)
        Reminder.objects.create(postdoc_id=postdoc.pk, milestone="开题", due=date(2025, 6, 1), days_before=30,
                                recipient_id=world.admin.pk, text="开题截止日期为2025-06-01，还有30天",
                                sent_at=sent, read_at=sent)
        forward_of("postdoc", "0004_reminders_to_inbox")(old, None)
        forward_of("postdoc", "0004_reminders_to_inbox")(old, None)  # run twice: still one notice each
    notices = Notice.objects.filter(kind="postdoc.deadline")
    assert notices.count() == 2
    mine = notices.get(recipient=world.talent_user)
    assert mine.subject == postdoc and mine.created_at == sent and mine.read_at is None
    assert mine.dedupe_key == f"{postdoc.pk}:开题:2025-06-01:30"
    assert notices.get(recipient=world.admin).read_at == sent
    assert unread_count(world.talent_user, kinds=["postdoc.deadline"]) == 1
    assert unread_count(world.admin, kinds=["postdoc.deadline"]) == 0


def test_rerunning_the_postdoc_job_after_the_move_adds_no_duplicate(world):
    from rencai.postdoc.reminders import remind_postdoc, reminder_key

    postdoc = make_postdoc(world, make_station(world), entered_on=date(2025, 3, 1))
    with schema_at("postdoc", "0004_reminders_to_inbox") as old:
        old.get_model("postdoc", "Reminder").objects.create(
            postdoc_id=postdoc.pk, milestone="开题", due=date(2025, 6, 1), days_before=30,
            recipient_id=world.talent_user.pk, text="旧提醒")
        forward_of("postdoc", "0004_reminders_to_inbox")(old, None)
    deadline = Notice.objects.filter(kind="postdoc.deadline")
    assert deadline.get().dedupe_key == reminder_key(postdoc, "开题", date(2025, 6, 1), 30)
    remind_postdoc(postdoc, date(2025, 5, 2), [30, 7])
    assert deadline.filter(recipient=world.talent_user).count() == 1
    assert deadline.count() > 1  # the others were reminded for the first time


def test_engagement_reminders_become_notices_read_flag_becomes_read_at(world):
    agreement = make_agreement(world)
    with schema_at("engagements", "0005_reminders_to_inbox") as old:
        Reminder = old.get_model("engagements", "Reminder")
        Reminder.objects.create(recipient_id=world.talent_user.pk, agreement_id=agreement.pk, kind="month_short",
                                period="2026-11", text="本月服务不足", read=True)
        Reminder.objects.create(recipient_id=world.admin.pk, agreement_id=None, kind="office_digest",
                                period="2026-11-30", text="履约落后 1 人")
        forward_of("engagements", "0005_reminders_to_inbox")(old, None)
    short = Notice.objects.get(recipient=world.talent_user, kind__startswith="engagements.")
    assert (short.kind, short.subject, short.dedupe_key) == ("engagements.month_short", agreement,
                                                            f"{agreement.pk}:2026-11")
    assert short.read_at is not None and short.url == f"/engagements/{agreement.pk}/"
    digest = Notice.objects.get(recipient=world.admin, kind__startswith="engagements.")
    assert (digest.kind, digest.subject, digest.read_at) == ("engagements.office_digest", None, None)
    assert digest.dedupe_key == "-:2026-11-30"


def test_match_notices_become_notices(world):
    need = NeedFactory(enterprise=world.enterprise)
    match_round = MatchRound.objects.create(name="第一批", zone=world.zone_a, created_by=world.admin)
    pairing = Pairing.objects.create(round=match_round, need=need, talent=world.talent)
    with schema_at("matching", "0002_match_notices_to_inbox") as old:
        MatchNotice = old.get_model("matching", "MatchNotice")
        MatchNotice.objects.create(recipient_id=world.enterprise_user.pk, pairing_id=pairing.pk, text="推荐了专家")
        MatchNotice.objects.create(recipient_id=world.talent_user.pk, pairing_id=pairing.pk, text="推荐了需求",
                                   read=True)
        forward_of("matching", "0002_match_notices_to_inbox")(old, None)
    theirs = Notice.objects.get(recipient=world.enterprise_user, kind="matching.pairing")
    assert (theirs.kind, theirs.subject, theirs.text, theirs.read_at) == ("matching.pairing", pairing, "推荐了专家",
                                                                          None)
    assert Notice.objects.get(recipient=world.talent_user, kind="matching.pairing").read_at is not None
    # The live helper gives the same key, so the same message sent again after the move is not duplicated.
    from rencai.matching.services import _notify

    _notify(pairing, [world.enterprise_user], "推荐了专家")
    assert Notice.objects.filter(recipient=world.enterprise_user, kind="matching.pairing").count() == 1
