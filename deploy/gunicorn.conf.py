"""gunicorn for rencai: `gunicorn -c deploy/gunicorn.conf.py rencai.config.wsgi` (see docs/deployment.md)."""

import os

bind = os.environ.get("RENCAI_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("RENCAI_WEB_WORKERS", "4"))  # about 2 x cores; pages are short, SQL-bound requests
timeout = int(os.environ.get("RENCAI_WEB_TIMEOUT", "60"))  # long work (imports, exports, matching) is a task
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then so a leak can never grow without end
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("RENCAI_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# The access line carries the query string, which may hold a searched ID number: the same filter that
# masks personal numbers in rencai's own logs runs over gunicorn's lines too.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "rencai.core.redact.RedactFilter"}},
    "formatters": {"json": {"()": "rencai.core.logjson.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["redact"],
                    "stream": "ext://sys.stdout"},
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}
