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

# Behind a reverse proxy that terminates TLS and says so in X-Forwarded-Proto (see docs/deployment.md).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("RENCAI_SSL_REDIRECT", "1") == "1"
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # the service manager probes it over plain HTTP on loopback
# HSTS preload is a promise about the whole domain that only its owner can make; offices opt in themselves.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Collected static files, compressed and named by content so browsers may cache them for ever.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One JSON object per line on stdout (systemd's journal keeps it); personal numbers masked before writing.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "rencai.core.redact.RedactFilter"}},
    "formatters": {"json": {"()": "rencai.core.logjson.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("RENCAI_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "WARNING"}},
}

# A year of HSTS for the site and its subdomains: browsers never try plain HTTP to it again.
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
