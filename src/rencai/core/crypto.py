"""Personal data at rest: Fernet encryption with a key from the environment, and a keyed hash for lookups.

RENCAI_FIELD_KEY may hold several comma-separated keys: the first encrypts, all decrypt (key rotation).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


def _configured_keys() -> list[str]:
    raw = settings.RENCAI_FIELD_KEY
    if not raw and settings.RENCAI_FIELD_KEY_FILE:
        raw = Path(settings.RENCAI_FIELD_KEY_FILE).read_text().strip()
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if not keys:
        raise ImproperlyConfigured("没有配置个人信息加密密钥：请设置 RENCAI_FIELD_KEY 或 RENCAI_FIELD_KEY_FILE")
    return keys


@cache
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def _current_cipher() -> MultiFernet:
    return _cipher(tuple(_configured_keys()))


def encrypt(text: str) -> str:
    return _current_cipher().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _current_cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured("个人信息无法解密：加密密钥与数据不匹配") from exc


@cache
def _lookup_secret(key: str) -> bytes:
    return hashlib.sha256(b"rencai-lookup:" + key.encode()).digest()


def lookup_hash(value: str) -> str:
    """Keyed hash so an exact value can be found without storing it in clear; '' for no value."""
    if not value:
        return ""
    return hmac.new(_lookup_secret(_configured_keys()[0]), value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Stores ciphertext, gives back clear text; empty stays empty so 'not given' is visible in queries."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        return decrypt(value) if value else ""

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        return encrypt(value) if value else ""
