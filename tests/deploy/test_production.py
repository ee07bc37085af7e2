"""The production stack as docs/deployment.md runs it: prod settings, gunicorn, WhiteNoise, the health endpoint,
`check --deploy`, and the PostgreSQL backup and restore drill.

Everything runs as separate processes against its own database, exactly as on a server, not inside the test
database: the site is started with gunicorn and fetched over loopback.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_SERVER = os.environ.get("RENCAI_TEST_PG_SERVER", "postgres://postgres@127.0.0.1:5432")

pytestmark = pytest.mark.slow


def _prod_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RENCAI_", "DATABASE_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "rencai.config.settings.prod",
        "DATABASE_URL": database_url,
        "RENCAI_SECRET_KEY": "prod-test-" + "x9Q#" * 16,
        "RENCAI_FIELD_KEY": Fernet.generate_key().decode(),
        "RENCAI_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "RENCAI_VAR_DIR": str(tmp_path / "var"),
        "RENCAI": str(BIN / "rencai"),
        "PATH": f"{BIN}:{env.get('PATH', '')}",
    })
    return env


def _rencai(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "rencai"), *args], env=env, capture_output=True, text=True,  # noqa: S603
                          check=check, cwd=env["RENCAI_VAR_DIR"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a redirect is an answer to look at, not to follow


_OPENER = urllib.request.build_opener(_NoRedirect)


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
    try:
        with _OPENER.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def sqlite_site(tmp_path: Path) -> dict[str, str]:
    """A migrated prod-settings site on an SQLite file (the serving test needs no PostgreSQL)."""
    (tmp_path / "var").mkdir()
    env = _prod_env(tmp_path, f"sqlite:///{tmp_path / 'var' / 'prod.sqlite3'}")
    _rencai(env, "migrate", "--no-input")
    _rencai(env, "collectstatic", "--no-input")
    return env


def test_check_deploy_with_prod_settings_has_no_warnings(sqlite_site):
    result = _rencai(sqlite_site, "check", "--deploy", "--fail-level", "WARNING", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.fixture
def gunicorn(sqlite_site: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = _free_port()
    env = {**sqlite_site, "RENCAI_BIND": f"127.0.0.1:{port}", "RENCAI_WEB_WORKERS": "2"}
    process = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "rencai.config.wsgi"],
        env=env, cwd=env["RENCAI_VAR_DIR"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _get(base + "/healthz/")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        output = process.stdout.read() if process.stdout else ""
        pytest.fail(f"gunicorn did not answer /healthz/ within 60 s:\n{output}")
    yield base, process
    process.terminate()
    process.wait(timeout=30)


def test_gunicorn_serves_pages_static_files_and_health_with_prod_settings(gunicorn):
    base, process = gunicorn
    status, _, body = _get(base + "/healthz/")
    assert status == 200 and json.loads(body) == {"status": "ok", "database": "ok"}

    # Behind the TLS proxy (it sets X-Forwarded-Proto); plain HTTP to the site itself is sent to HTTPS.
    status, headers, _ = _get(base + "/login/")
    assert status == 301 and headers["Location"].startswith("https://")
    status, headers, page = _get(base + "/login/", **{"X-Forwarded-Proto": "https"})
    assert status == 200 and "登录" in page.decode()
    assert "max-age=31536000" in headers.get("Strict-Transport-Security", "")

    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page.decode())
    assert stylesheet, "the page links its stylesheet"
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet[1]), "static names carry their content hash"
    status, headers, css = _get(base + stylesheet[1], **{"X-Forwarded-Proto": "https"})
    assert status == 200 and b"body" in css
    assert "max-age=315360000" in headers.get("Cache-Control", "") or "immutable" in headers.get("Cache-Control", "")

    process.terminate()
    output = process.communicate(timeout=30)[0]
    access = [json.loads(line) for line in output.splitlines() if line.startswith("{") and "/login/" in line]
    assert access, f"gunicorn's access lines are JSON objects:\n{output[:2000]}"


def test_access_log_masks_an_id_number_searched_for(gunicorn):
    base, process = gunicorn
    _get(base + "/talents/?q=150702198811235023", **{"X-Forwarded-Proto": "https"})
    process.terminate()
    output = process.communicate(timeout=30)[0]
    assert "talents" in output
    assert "150702198811235023" not in output


# --- the PostgreSQL backup and restore drill --------------------------------------------------------------


def _pg_available() -> bool:
    if not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("psql")):
        return False
    return subprocess.run(["psql", "-q", f"{PG_SERVER}/postgres", "-c", "SELECT 1"],  # noqa: S603, S607
                          capture_output=True).returncode == 0


# A year's fund with its budget, two reservations, one paid and one released: every kind of ledger line.
LEDGER_SCRIPT = """
from decimal import Decimal
from rencai.core.models import User, Zone
from rencai.funds import services as funds
zone = Zone.objects.order_by("pk").first()
by = User.objects.filter(role="finance").first()
fund = funds.fund_open(year=2031, level="district", zone=zone, budget=Decimal("10000000.00"), by=by)
paid = funds.budget_reserve(fund=fund, amount=Decimal("300000.00"), category="drill", reference="drill-1", by=by)
funds.commitment_pay(commitment=paid, idempotency_key="drill-1", by=by, payee_name="演练收款人",
                     payee_bank="演练银行", payee_account="6222020200001234567")
freed = funds.budget_reserve(fund=fund, amount=Decimal("12345.67"), category="drill", reference="drill-2", by=by)
funds.commitment_release(commitment=freed, memo="演练释放", by=by)
"""


@pytest.mark.skipif(not _pg_available(), reason="no PostgreSQL with pg_dump/pg_restore/psql on 127.0.0.1:5432")
def test_backup_and_restore_drill_keeps_ledger_totals_and_audit_log_exact(tmp_path):
    name = f"rencai_drill_{os.getpid()}"
    subprocess.run(["psql", "-q", f"{PG_SERVER}/postgres", "-c", f"DROP DATABASE IF EXISTS {name}"], check=True)  # noqa: S603, S607
    subprocess.run(["psql", "-q", f"{PG_SERVER}/postgres", "-c", f"CREATE DATABASE {name}"], check=True)  # noqa: S603, S607
    try:
        (tmp_path / "var").mkdir()
        env = _prod_env(tmp_path, f"{PG_SERVER}/{name}")
        _rencai(env, "migrate", "--no-input")
        # the registers and their audit entries (the demo refuses prod settings by design), then money
        _rencai({**env, "DJANGO_SETTINGS_MODULE": "rencai.config.settings.dev"}, "load_demo")
        _rencai(env, "shell", "-c", LEDGER_SCRIPT)
        before = json.loads(_rencai(env, "data_fingerprint").stdout)
        assert before["funds.Entry"]["rows"] > 0 and before["funds.Payment"]["rows"] > 0
        assert before["core.AuditEvent"]["rows"] > 0

        backup = subprocess.run(["bash", str(ROOT / "deploy" / "backup.sh"), str(tmp_path / "backups")],  # noqa: S603, S607
                                env=env, capture_output=True, text=True, check=True)
        dump = backup.stdout.strip().splitlines()[-1]
        drill = subprocess.run(["bash", str(ROOT / "deploy" / "restore-drill.sh"), dump],  # noqa: S603, S607
                               env=env, capture_output=True, text=True)
        assert drill.returncode == 0, drill.stdout + drill.stderr
        assert "restore drill passed" in drill.stdout
        restored = json.loads(Path(dump.removesuffix(".dump") + ".restored.json").read_text())
        assert restored == before
        for table in ("funds.Account", "funds.Entry", "funds.Payment"):
            assert restored[table] == before[table]
        assert restored["core.AuditEvent"]["rows"] == before["core.AuditEvent"]["rows"]
    finally:
        subprocess.run(["psql", "-q", f"{PG_SERVER}/postgres", "-c", f"DROP DATABASE IF EXISTS {name}"])  # noqa: S603, S607
