"""What the load benchmark's data script and runner share: where its files live, the environment that runs
rencai with the prod settings against the benchmark's own database, and whether PostgreSQL answers.

Nothing here touches a database other than the one named by --database-url (default rencai_load).
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/rencai_load"
ZONE_CODE = "loadbench"
ZONE_NAME = "负载基准园区"
CITY_NAME = "负载基准市"
USER_PREFIX = "load_office_"
USERS = 50  # one office user per client at the largest concurrency
PASSWORD = "load-bench-2026-pw"  # noqa: S105  (a throwaway account in a throwaway database)


def var_dir() -> Path:
    """The benchmark's own var/ (static files, cache, keys, manifest, gunicorn log): beside rencai's, never it."""
    chosen = os.environ.get("RENCAI_LOAD_VAR_DIR")  # set by django_env, so a child process finds the same one
    path = Path(chosen) if chosen else (Path(os.environ.get("RENCAI_VAR_DIR", ROOT / "var")) / "bench-load").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _key_file(name: str, make: str) -> Path:
    path = var_dir() / name
    if not path.exists():
        path.write_text(make + "\n")
        path.chmod(0o600)
    return path


def django_env(database_url: str) -> dict[str, str]:
    """Environment for rencai under the prod settings: its secrets are generated once and kept in var/bench-load,
    so the data written by one run decrypts in the next."""
    field_key = _key_file("field.key", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    secret = _key_file("secret.key", secrets.token_urlsafe(50)).read_text().strip()
    return {
        "DJANGO_SETTINGS_MODULE": "rencai.config.settings.prod",
        "DATABASE_URL": database_url,
        "RENCAI_SECRET_KEY": secret,
        "RENCAI_FIELD_KEY": "",
        "RENCAI_FIELD_KEY_FILE": str(field_key),
        "RENCAI_VAR_DIR": str(var_dir()),
        "RENCAI_LOAD_VAR_DIR": str(var_dir()),
        "RENCAI_ALLOWED_HOSTS": "127.0.0.1",
        "RENCAI_TASK_BROKER": "",
    }


def totp_key(username: str) -> str:
    """The hex key of a benchmark user's authenticator (20 bytes, as django-otp stores it)."""
    return hashlib.sha1(f"rencai-load-bench:{username}".encode(), usedforsecurity=False).hexdigest()


def usernames() -> list[str]:
    return [f"{USER_PREFIX}{n:02d}" for n in range(1, USERS + 1)]


def server_url(database_url: str, dbname: str = "postgres") -> str:
    parts = urlsplit(database_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{dbname}", parts.query, ""))


def database_name(database_url: str) -> str:
    return urlsplit(database_url).path.lstrip("/")


def postgres_problem(database_url: str) -> str | None:
    """Why PostgreSQL cannot be used, or None: the server must answer within 3 s and the database must exist
    (it is created when missing)."""
    try:
        import psycopg
        from psycopg import sql
    except ImportError:
        return "psycopg is not installed"
    if not database_url.startswith(("postgres://", "postgresql://")):
        return f"not a PostgreSQL URL: {database_url}"
    try:
        with psycopg.connect(server_url(database_url), connect_timeout=3, autocommit=True) as conn:
            name = database_name(database_url)
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        return f"PostgreSQL at {urlsplit(database_url).netloc} is not reachable: {' '.join(str(exc).split())}"
    return None
