"""Delivery of notices beyond the platform: e-mail through Django's mail settings, SMS through a backend.

SMS backends are plain classes with ``send(number: str, text: str) -> None``, chosen by the dotted path in
``settings.RENCAI_SMS_BACKEND`` (default :class:`ConsoleSMSBackend`, which only logs the masked number). A
provider's backend raises on failure; the task then leaves ``texted_at`` empty, so a retry sends it again.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from rencai.core.masking import mask_phone
from rencai.core.notice_models import Notice

logger = logging.getLogger("rencai.sms")

DEFAULT_SMS_BACKEND = "rencai.core.delivery.ConsoleSMSBackend"


class ConsoleSMSBackend:
    """Writes the masked number and the text to the log instead of sending; for development and demos."""

    def send(self, number: str, text: str) -> None:
        logger.warning("短信（未实际发送）至 %s：%s", mask_phone(number), text)


class LocmemSMSBackend:
    """Keeps messages in ``LocmemSMSBackend.outbox`` (like Django's locmem mail backend), for tests."""

    outbox: list[tuple[str, str]] = []

    def send(self, number: str, text: str) -> None:
        type(self).outbox.append((number, text))


def sms_backend() -> Any:
    return import_string(getattr(settings, "RENCAI_SMS_BACKEND", "") or DEFAULT_SMS_BACKEND)()


def sms_number(user: Any) -> str:
    """The mobile number SMS goes to: the phone on the person's talent profile, if they have one."""
    profile = getattr(user, "talent_profile", None)  # a missing one-to-one row raises an AttributeError subclass
    return (getattr(profile, "phone", "") or "").replace(" ", "") if profile is not None else ""


def reachable(user: Any, channel: str) -> bool:
    """Whether the person has an address for the channel (an e-mail address, a mobile number)."""
    if channel == "email":
        return bool(user.email)
    if channel == "sms":
        return bool(sms_number(user))
    return channel == "inbox"


def _absolute(url: str) -> str:
    base = getattr(settings, "RENCAI_SITE_URL", "").rstrip("/")
    return f"{base}{url}" if url.startswith("/") and base else url


def _claim(notice_id: int, field: str) -> bool:
    """Mark the channel as sent before sending, only if nobody did; a rerun of the task sends nothing twice."""
    return Notice.objects.filter(pk=notice_id, **{f"{field}__isnull": True}).update(**{field: timezone.now()}) == 1


def _unclaim(notice_id: int, field: str) -> None:
    Notice.objects.filter(pk=notice_id).update(**{field: None})


@task()
def deliver_notice(notice_id: int) -> dict[str, str]:
    """Send one notice through the channels its recipient chose for its kind; returns what happened per channel."""
    from rencai.core.inbox import EMAIL, SMS, channels_for, kind_label

    notice = Notice.objects.select_related("recipient").filter(pk=notice_id).first()
    if notice is None:
        return {}
    user = notice.recipient
    channels = channels_for(user, notice.kind)
    outcome: dict[str, str] = {}
    if EMAIL in channels:
        if not user.email:
            outcome[EMAIL] = "无电子邮箱"
        elif _claim(notice.pk, "emailed_at"):
            body = notice.text + (f"\n\n查看：{_absolute(notice.url)}" if notice.url else "")
            try:
                send_mail(f"【人才工作平台】{kind_label(notice.kind)}", body, None, [user.email])
            except Exception:
                _unclaim(notice.pk, "emailed_at")
                raise
            outcome[EMAIL] = "已发送"
        else:
            outcome[EMAIL] = "此前已发送"
    if SMS in channels:
        number = sms_number(user)
        if not number:
            outcome[SMS] = "无手机号"
        elif _claim(notice.pk, "texted_at"):
            try:
                sms_backend().send(number, f"【人才工作平台】{notice.text}"[:300])
            except Exception:
                _unclaim(notice.pk, "texted_at")
                raise
            outcome[SMS] = "已发送"
        else:
            outcome[SMS] = "此前已发送"
    return outcome
