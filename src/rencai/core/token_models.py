"""What an API token may do and how long: expiry, read-only scope and its last use, beside DRF's Token."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenUse(models.Model):
    """One row per token (DRF's Token keeps the key); revoking a token deletes both."""

    token = models.OneToOneField("authtoken.Token", on_delete=models.CASCADE, primary_key=True,
                                 related_name="use", verbose_name=_("令牌"))
    expires_at = models.DateTimeField(_("有效期至"))
    read_only = models.BooleanField(_("只读"), default=False, help_text=_("只读令牌只能查询，不能新建或修改"))
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("最近使用地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌使用情况")
        verbose_name_plural = _("接口令牌使用情况")

    def __str__(self) -> str:
        return f"{self.token.user} · {self.expires_at:%Y-%m-%d}"


def token_expiry(token: models.Model) -> datetime:
    """When a token stops working: its own expiry, or (a token made elsewhere) its creation plus the default."""
    try:
        use = token.use  # type: ignore[attr-defined]
    except TokenUse.DoesNotExist:
        use = None
    if use is not None:
        return use.expires_at
    return token.created + timedelta(days=settings.RENCAI_API_TOKEN_DAYS)  # type: ignore[attr-defined]
