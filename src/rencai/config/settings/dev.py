"""Local development and the demo: the embedded SQLite file, keys kept outside the repository."""

from rencai.config.settings.base import *  # noqa: F403
from rencai.config.settings.base import VAR_DIR
from rencai.config.settings.keys import ensure_local_keys

DEBUG = True
SECRET_KEY, RENCAI_FIELD_KEY = ensure_local_keys()
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)  # WhiteNoise serves from the apps in DEBUG; collectstatic fills it
