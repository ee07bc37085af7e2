"""Every page carries a Content-Security-Policy, and production asks browsers for a year of HTTPS.

Found by an outside test: no Content-Security-Policy at all, and HSTS for one hour only.
"""

from __future__ import annotations

import importlib
import re
import sys

import pytest
from django.test import Client

from tests.conftest import verified_client


def _policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_the_login_page_refuses_inline_scripts_and_framing():
    policy = _policy(Client().get("/login/"))
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src"]


def test_a_page_with_a_style_block_carries_its_nonce(world):
    response = verified_client(world.admin).get("/postdoc/")
    nonce = re.search(r'<style nonce="([^"]+)"', response.content.decode())[1]
    assert f"'nonce-{nonce}'" in _policy(response)["style-src"]


def test_no_template_keeps_an_inline_script_or_handler():
    """What the policy would refuse: <script> with a body, on*= attributes, javascript: links."""
    from pathlib import Path

    import rencai

    root = Path(rencai.__file__).parent
    bad = []
    for path in root.rglob("templates/**/*.html"):
        if path.name.endswith("_pdf.html"):
            continue  # rendered to PDF by WeasyPrint, never served to a browser
        text = path.read_text()
        inline_script = re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
        if inline_script or re.search(r"\son[a-z]+=\"", text) or "javascript:" in text:
            bad.append(str(path.relative_to(root)))
        if re.search(r"<style(?![^>]*nonce=)", text):
            bad.append(f"{path.relative_to(root)} (<style> without nonce)")
    assert not bad, bad


@pytest.fixture
def prod_settings(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RENCAI_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DATABASE_URL", "postgres://rencai@127.0.0.1/rencai")
    monkeypatch.setenv("RENCAI_FIELD_KEY", "k")
    sys.modules.pop("rencai.config.settings.prod", None)
    return importlib.import_module("rencai.config.settings.prod")


def test_production_asks_for_a_year_of_https_on_every_subdomain(prod_settings):
    assert prod_settings.SECURE_HSTS_SECONDS >= 365 * 24 * 3600
    assert prod_settings.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert "csp.middleware.CSPMiddleware" in prod_settings.MIDDLEWARE
