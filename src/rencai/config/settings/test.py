"""Fast settings for the test suite; DATABASE_URL chooses SQLite (default, in memory) or PostgreSQL."""

import os

from cryptography.fernet import Fernet

from rencai.config.settings.base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
RENCAI_FIELD_KEY = Fernet.generate_key().decode()
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Embedding every talent a test creates would cost the suite minutes; semantic tests turn it on themselves.
RENCAI_SEMANTIC = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
AXES_ENABLED = True
# No collected static files in the suite: WhiteNoise finds them in the apps, as runserver does.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # type: ignore[assignment]  # Django takes None (nothing collected); base.py sets a Path
