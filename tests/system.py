"""Programs from the operating system that some tests read their output with (poppler's PDF tools).

`make test` installs them where it can (scripts/test-deps.sh); where it cannot, the tests that need one
skip with a line naming the package, rather than failing on a machine that simply lacks it.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

PACKAGES = {"pdftotext": "poppler-utils", "pdffonts": "poppler-utils", "pdftoppm": "poppler-utils"}


def run_tool(tool: str, *args: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed: apt-get install {PACKAGES.get(tool, tool)}")
    return subprocess.run([path, *args], capture_output=True, text=True, check=True).stdout  # noqa: S603
