"""One inbox: a notice to one person about one record, and each person's choice of channels per kind.

Imported by ``rencai.core.models`` so the models belong to the core app; the logic lives in ``rencai.core.inbox``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from rencai.core.scoping import Scope, ScopedQuerySet


class NoticeQuerySet(ScopedQuerySet):
    def unread(self) -> NoticeQuerySet:
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """A message in one person's inbox; with a dedupe key, never two alike for the same person and kind."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices",
                                  verbose_name="接收人")
    kind = models.CharField("类型", max_length=40)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+", verbose_name="关联记录类型")
    subject_id = models.PositiveBigIntegerField("关联记录", null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    dedupe_key = models.CharField("去重键", max_length=200, blank=True)
    text = models.TextField("内容")
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    texted_at = models.DateTimeField("短信发送时间", null=True, blank=True)

    scope = Scope(person="recipient")  # a notice is its recipient's alone, whatever the role (office admins too)
    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "dedupe_key"], condition=~Q(dedupe_key=""),
                                    name="core_notice_once"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="core_notice_unread"),
            models.Index(fields=["subject_type", "subject_id"], name="core_notice_subject"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NoticePreference(models.Model):
    """Which channels (inbox, e-mail, SMS) one person wants for one kind; without a row the kind's default holds."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences",
                             verbose_name="用户")
    kind = models.CharField("类型", max_length=40)
    channels = models.JSONField("接收方式", default=list)

    class Meta:
        verbose_name = "消息接收方式"
        verbose_name_plural = "消息接收方式"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="core_notice_preference_once")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}: {','.join(self.channels)}"
