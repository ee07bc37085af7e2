"""One inbox: notices land once, the unread count falls when they are read, nobody sees another's notices."""

from __future__ import annotations

import logging
import threading

import pytest
from django.db import connection
from django.urls import reverse

from rencai.core.delivery import LocmemSMSBackend, deliver_notice
from rencai.core.inbox import notify, register_kind, unread_count
from rencai.core.models import AuditEvent, Notice, NoticePreference
from tests.conftest import verified_client

KIND = "tests.inbox"
MAILED = "tests.mailed"

register_kind(KIND, "测试消息")
register_kind(MAILED, "测试邮件消息", default_channels=("inbox", "email"))


def test_rerun_with_the_same_dedupe_key_adds_no_notice(world):
    first = notify(recipients=[world.talent_user, world.admin], kind=KIND, text="开题截止", dedupe_key="p1:开题")
    again = notify(recipients=[world.talent_user, world.admin], kind=KIND, text="开题截止", dedupe_key="p1:开题")
    assert len(first) == 2
    assert again == []
    assert Notice.objects.filter(kind=KIND).count() == 2


def test_a_person_listed_twice_gets_one_notice(world):
    notify(recipients=[world.talent_user, world.talent_user, None], kind=KIND, text="一次")
    assert Notice.objects.filter(recipient=world.talent_user).count() == 1


def test_without_a_dedupe_key_every_call_is_a_new_notice(world):
    notify(recipients=[world.talent_user], kind=KIND, text="第一次")
    notify(recipients=[world.talent_user], kind=KIND, text="第二次")
    assert Notice.objects.filter(recipient=world.talent_user).count() == 2


def test_notice_remembers_the_record_it_is_about(world):
    [notice] = notify(recipients=[world.enterprise_user], kind=KIND, text="需求", subject=world.enterprise)
    notice.refresh_from_db()
    assert notice.subject == world.enterprise


def test_header_count_falls_when_the_notice_is_opened(world):
    [first, _second] = [*notify(recipients=[world.talent_user], kind=KIND, text="甲", url="/inbox/"),
                        *notify(recipients=[world.talent_user], kind=KIND, text="乙")]
    client = verified_client(world.talent_user)
    assert "消息 (2)" in client.get(reverse("core:home")).content.decode()
    response = client.get(reverse("core:notice", args=[first.pk]))
    assert response.status_code == 302
    assert unread_count(world.talent_user) == 1
    assert "消息 (1)" in client.get(reverse("core:home")).content.decode()


def test_mark_all_read_empties_the_count(world):
    notify(recipients=[world.enterprise_user], kind=KIND, text="甲")
    notify(recipients=[world.enterprise_user], kind=KIND, text="乙")
    notify(recipients=[world.enterprise_b_user], kind=KIND, text="别人的")
    client = verified_client(world.enterprise_user)
    response = client.post(reverse("core:inbox_read_all"), follow=True)
    assert "已将 2 条消息标为已读" in response.content.decode()
    assert unread_count(world.enterprise_user) == 0
    assert unread_count(world.enterprise_b_user) == 1


def test_inbox_lists_newest_first_and_marks_unread(world):
    notify(recipients=[world.liaison], kind=KIND, text="较早的消息")
    notify(recipients=[world.liaison], kind=KIND, text="较新的消息")
    page = verified_client(world.liaison).get(reverse("core:inbox")).content.decode()
    assert page.index("较新的消息") < page.index("较早的消息")
    assert "未读 2 条" in page


@pytest.mark.parametrize("persona", ["admin", "reviewer", "finance", "enterprise_user", "talent_user", "liaison"])
def test_every_role_has_an_inbox(world, persona):
    assert verified_client(getattr(world, persona)).get(reverse("core:inbox")).status_code == 200


def test_a_user_never_sees_another_users_notices(world):
    [theirs] = notify(recipients=[world.enterprise_b_user], kind=KIND, text="乙企业的消息")
    notify(recipients=[world.enterprise_user], kind=KIND, text="甲企业的消息")
    client = verified_client(world.enterprise_user)
    page = client.get(reverse("core:inbox")).content.decode()
    assert "甲企业的消息" in page and "乙企业的消息" not in page


def test_opening_another_users_notice_by_its_number_is_404_and_leaves_it_unread(world):
    [theirs] = notify(recipients=[world.enterprise_b_user], kind=KIND, text="乙企业的消息")
    for persona in (world.enterprise_user, world.admin, world.city_admin):
        assert verified_client(persona).get(reverse("core:notice", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_notice_link_to_another_site_is_not_followed(world):
    [notice] = notify(recipients=[world.talent_user], kind=KIND, text="钓鱼", url="https://evil.example/")
    response = verified_client(world.talent_user).get(reverse("core:notice", args=[notice.pk]))
    assert response["Location"] == reverse("core:inbox")


def test_email_goes_to_a_user_who_chose_it(world, mailoutbox):
    world.talent_user.email = "wang@example.cn"
    world.talent_user.save()
    client = verified_client(world.talent_user)
    client.post(reverse("core:inbox_preferences"), {f"channels-{KIND}": ["email"]})
    assert NoticePreference.objects.get(user=world.talent_user, kind=KIND).channels == ["inbox", "email"]
    assert AuditEvent.objects.filter(object_type="core.noticepreference", user=world.talent_user).exists()
    notify(recipients=[world.talent_user, world.enterprise_user], kind=KIND, text="中期考核截止", url="/postdoc/")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["wang@example.cn"]
    assert "中期考核截止" in mailoutbox[0].body
    assert "测试消息" in mailoutbox[0].subject


def test_kind_default_email_can_be_switched_off(world, mailoutbox):
    world.talent_user.email = "wang@example.cn"
    world.talent_user.save()
    notify(recipients=[world.talent_user], kind=MAILED, text="默认发邮件")
    assert len(mailoutbox) == 1
    verified_client(world.talent_user).post(reverse("core:inbox_preferences"), {})
    notify(recipients=[world.talent_user], kind=MAILED, text="不再发邮件")
    assert len(mailoutbox) == 1
    assert Notice.objects.filter(recipient=world.talent_user, kind=MAILED).count() == 2


def test_a_retried_delivery_sends_no_second_email(world, mailoutbox):
    world.talent_user.email = "wang@example.cn"
    world.talent_user.save()
    [notice] = notify(recipients=[world.talent_user], kind=MAILED, text="只发一次")
    deliver_notice.call(notice.pk)
    assert len(mailoutbox) == 1


def test_sms_through_the_console_backend_logs_the_masked_number(world, settings, caplog):
    settings.RENCAI_SMS_BACKEND = "rencai.core.delivery.ConsoleSMSBackend"
    NoticePreference.objects.create(user=world.talent_user, kind=KIND, channels=["inbox", "sms"])
    with caplog.at_level(logging.WARNING, logger="rencai.sms"):
        notify(recipients=[world.talent_user], kind=KIND, text="请提交年度考核材料")
    assert "138****5678" in caplog.text
    assert "13812345678" not in caplog.text
    assert "请提交年度考核材料" in caplog.text
    assert Notice.objects.get(recipient=world.talent_user).texted_at is not None


def test_sms_backend_is_pluggable(world, settings):
    settings.RENCAI_SMS_BACKEND = "rencai.core.delivery.LocmemSMSBackend"
    LocmemSMSBackend.outbox.clear()
    NoticePreference.objects.create(user=world.talent_user, kind=KIND, channels=["sms"])
    notify(recipients=[world.talent_user], kind=KIND, text="短信内容")
    assert LocmemSMSBackend.outbox == [("13812345678", "【人才工作平台】短信内容")]


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_create_one_notice():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite in memory has one connection; the race needs PostgreSQL")
    from tests.factories import UserFactory

    user = UserFactory(username="racer", role="talent")
    barrier = threading.Barrier(2)

    def run() -> None:
        barrier.wait()
        notify(recipients=[user], kind=KIND, text="并发", dedupe_key="race")
        connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Notice.objects.filter(recipient=user, dedupe_key="race").count() == 1


def test_with_the_database_task_backend_delivery_waits_for_the_worker(world, settings, mailoutbox):
    """In production the e-mail is a queued task: the notice is in the inbox at once, the mail goes later."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}  # resets backends
    world.talent_user.email = "wang@example.cn"
    world.talent_user.save()
    [notice] = notify(recipients=[world.talent_user], kind=MAILED, text="排队发送")
    notify(recipients=[world.enterprise_user], kind=MAILED, text="没有邮箱的人不排队")  # no e-mail address
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "rencai.core.delivery.deliver_notice"
    assert queued.args_kwargs["args"] == [notice.pk]
    assert mailoutbox == []
    queued.task.call(*queued.args_kwargs["args"])  # what the worker does
    assert len(mailoutbox) == 1
