"""One history for every lifecycle: a row per move a record made (or an event it had), kept for ever.

Imported by ``rencai.core.models`` so the model belongs to the core app; the logic lives in
``rencai.core.lifecycle``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class StateChange(models.Model):
    """One step in a record's life: who moved it from which state to which, when, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name="记录类型")
    object_id = models.PositiveBigIntegerField("记录编号")
    field = models.CharField("状态字段", max_length=40, blank=True)
    move = models.CharField("操作", max_length=40)
    from_state = models.CharField("原状态", max_length=30, blank=True)
    to_state = models.CharField("新状态", max_length=30, blank=True)
    label = models.CharField("操作名称", max_length=100)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                           related_name="+", verbose_name="操作人")
    at = models.DateTimeField("时间", default=timezone.now)
    on = models.DateField("生效日期", null=True, blank=True)
    reason = models.TextField("原因/说明", blank=True)
    data = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "状态变更"
        verbose_name_plural = "状态变更"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="state_change_record")]

    def __str__(self) -> str:
        return f"{self.label}（{self.from_state or '—'} → {self.to_state or '—'}）"

    def _state_label(self, value: str) -> str:
        model = self.content_type.model_class()
        if not value or model is None or not self.field:
            return value
        try:
            choices = dict(getattr(model._meta.get_field(self.field), "flatchoices", ()))
        except Exception:  # noqa: BLE001 - a field renamed since: show the stored value
            return value
        return str(choices.get(value, value))

    @property
    def from_label(self) -> str:
        return self._state_label(self.from_state)

    @property
    def to_label(self) -> str:
        return self._state_label(self.to_state)

    @property
    def is_event(self) -> bool:
        return self.from_state == self.to_state
