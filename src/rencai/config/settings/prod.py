"""Production: PostgreSQL through DATABASE_URL; every secret must come from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from rencai.config.settings.base import *  # noqa: F403

for _name in ("RENCAI_SECRET_KEY", "DATABASE_URL"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"{_name} must be set in production")
if not (os.environ.get("RENCAI_FIELD_KEY") or os.environ.get("RENCAI_FIELD_KEY_FILE")):
    raise ImproperlyConfigured("RENCAI_FIELD_KEY or RENCAI_FIELD_KEY_FILE must be set in production")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
