"""Searches do not put full ID numbers, phones or bank accounts into the logs.

Found by an outside test: `GET /talents/export/?q=150702198811235023` wrote the ID into the access log
and into the audit row (`path`, `detail.filters.q`).
"""

from __future__ import annotations

import io
import logging
import threading
import urllib.request
from contextlib import contextmanager

from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.core.wsgi import get_wsgi_application

from rencai.core.models import AuditEvent
from tests.conftest import verified_client
from tests.factories import make_id_number

SEARCHED_ID = "150702198811235023"
SEARCHED_PHONE = "13994229735"
SEARCHED_BANK = "6222020200112233445"


def test_an_export_searched_by_id_number_keeps_it_out_of_the_audit_row(world):
    client = verified_client(world.admin)
    response = client.get(f"/talents/export/?q={SEARCHED_ID}")
    assert response.status_code == 200
    row = AuditEvent.objects.filter(action="export").latest("pk")
    assert SEARCHED_ID not in row.path and SEARCHED_ID not in str(row.detail)
    assert row.detail["filters"]["q"] == "150702********5023"


def test_a_search_by_phone_or_bank_account_keeps_them_out_of_the_audit_row(world):
    client = verified_client(world.admin)
    client.get(f"/talents/export/?q={SEARCHED_PHONE}")
    client.get(f"/audit/export/?q={SEARCHED_BANK}")
    rows = " ".join(f"{r.path} {r.detail}" for r in AuditEvent.objects.filter(action="export"))
    assert SEARCHED_PHONE not in rows and SEARCHED_BANK not in rows
    assert "139****9735" in rows


def test_a_reveal_reason_that_quotes_an_id_number_is_masked_in_the_audit_row(world):
    number = make_id_number(seq=777)
    verified_client(world.admin).post(f"/reveal/talents.talent/{world.talent.pk}/phone/",
                                      {"reason": f"核对身份证 {number}"})
    row = AuditEvent.objects.get(action="reveal")
    assert number not in str(row.detail)


@contextmanager
def _captured_handlers():
    """The project's own configured log handlers, writing into a buffer for the test's duration."""
    buffer = io.StringIO()
    handlers = {h for name in ("", "django.server", "gunicorn.access", "django.request")
                for h in logging.getLogger(name).handlers if isinstance(h, logging.StreamHandler)}
    assert handlers, "LOGGING configures no stream handler"
    old = {h: h.setStream(buffer) for h in handlers}
    try:
        yield buffer
    finally:
        for handler, stream in old.items():
            handler.setStream(stream)


def test_the_access_log_of_the_development_server_masks_a_searched_id_number():
    """The request line runserver logs (as gunicorn's access log does) goes through the project's LOGGING."""
    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(get_wsgi_application())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    with _captured_handlers() as buffer:
        thread.start()
        try:
            url = f"http://127.0.0.1:{server.server_port}/login/?q={SEARCHED_ID}&p={SEARCHED_PHONE}"
            with urllib.request.urlopen(url) as response:
                assert response.status == 200
        finally:
            server.shutdown()
            server.server_close()
    log = buffer.getvalue()
    assert "/login/?q=" in log, log
    assert SEARCHED_ID not in log and SEARCHED_PHONE not in log
    assert "150702********5023" in log


def test_the_gunicorn_access_log_masks_a_searched_id_number():
    """gunicorn logs `"GET /path?query HTTP/1.1" 200` on the gunicorn.access logger with a dict of atoms."""
    with _captured_handlers() as buffer:
        logging.getLogger("gunicorn.access").info('%(h)s "%(r)s" %(s)s', {
            "h": "10.0.0.7", "r": f"GET /talents/export/?q={SEARCHED_ID} HTTP/1.1", "s": "200"})
    assert SEARCHED_ID not in buffer.getvalue()
    assert "150702********5023" in buffer.getvalue()
