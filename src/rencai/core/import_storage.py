"""Where uploaded spreadsheets wait between their preview and their write: never readable by anyone but the
server's own user (files 0600, folders 0700), whatever the default storage is configured to be."""

from __future__ import annotations

import os
from typing import Any

from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.deconstruct import deconstructible

FILE_MODE, DIRECTORY_MODE = 0o600, 0o700


@deconstructible
class PrivateImportStorage(Storage):
    """The default storage, looked up on every use (so settings changes are seen); when it keeps files on disk,
    a copy of it that writes them private. Uploads hold ID numbers and phones in plaintext."""

    def _target(self) -> Storage:
        base = storages["default"]
        if isinstance(base, FileSystemStorage):
            return FileSystemStorage(location=base.location, base_url=base.base_url, file_permissions_mode=FILE_MODE,
                                     directory_permissions_mode=DIRECTORY_MODE)
        return base

    def _open(self, name: str, mode: str = "rb") -> Any:
        return self._target().open(name, mode)

    def _save(self, name: str, content: Any) -> str:
        target = self._target()
        if isinstance(target, FileSystemStorage):
            # Made private before the file is written, so it is never readable by others, not even for a moment.
            folder = os.path.dirname(target.path(name))
            os.makedirs(folder, mode=DIRECTORY_MODE, exist_ok=True)
            os.chmod(folder, DIRECTORY_MODE)
        return target.save(name, content)

    def delete(self, name: str) -> None:
        self._target().delete(name)

    def exists(self, name: str) -> bool:
        return self._target().exists(name)

    def size(self, name: str) -> int:
        return self._target().size(name)

    def path(self, name: str) -> str:
        return self._target().path(name)

    def url(self, name: str | None) -> str:
        return self._target().url(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self._target().listdir(path)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self._target().get_available_name(name, max_length=max_length)
