"""Keys for a developer machine or the demo: generated once into ~/.config/rencai, never into the repository."""

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet


def _key_dir() -> Path:
    return Path(os.environ.get("RENCAI_KEY_DIR", Path.home() / ".config" / "rencai"))


def _read_or_create(path: Path, make: Callable[[], str]) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def ensure_local_keys() -> tuple[str, str]:
    """Return (SECRET_KEY, field key), preferring the environment, else files outside the repo."""
    secret = os.environ.get("RENCAI_SECRET_KEY") or _read_or_create(
        _key_dir() / "secret_key", lambda: secrets.token_urlsafe(50)
    )
    field = os.environ.get("RENCAI_FIELD_KEY") or _read_or_create(
        _key_dir() / "field.key", lambda: Fernet.generate_key().decode()
    )
    return secret, field
