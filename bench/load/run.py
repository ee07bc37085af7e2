"""Load benchmark of the talent register's pages under gunicorn, each beside /login/ measured in the same run.

    .venv/bin/python bench/load/run.py [--seconds 5] [--clients 1,10,50] [--talents 100000]
                                       [--database-url postgres://postgres@127.0.0.1:5432/rencai_load]

1. bench/load/data.py fills the benchmark's own PostgreSQL database (or finds it filled);
   when PostgreSQL does not answer, the benchmark says so and exits 0 (skipped), so `make bench` goes on.
2. collectstatic into var/bench-load, then gunicorn with deploy/gunicorn.conf.py, 4 sync workers and the prod
   settings (DEBUG off), bound to 127.0.0.1 on a free port; every request carries X-Forwarded-Proto: https,
   as the TLS proxy of docs/deployment.md sends it, so the prod HTTPS settings stay on.
3. Each client logs in once as its own office admin of the zone through the real forms: the login form (CSRF
   token from the page, Origin header), then the TOTP form (the code computed from the device's key).
4. For each number of clients (1, 10, 50), each page is loaded by that many threads for --seconds: every
   client sends one request after another on a fresh connection (gunicorn's sync workers close each one);
   a request started before the end is waited for and counted. Pages: /login/ without a session (the
   baseline), the talent list, a search (q=钕铁硼 with the type filter 全职引进), page 500 of the list, and the
   detail page of talents spread over the zone.
5. Writes bench/results/load.md and load.json (load-N.* for other sizes): p50, p95, req/s per page and number
   of clients, beside /login/'s figures at the same number of clients.

Loopback only; the clients run on the same 2 cores as gunicorn and PostgreSQL, as the issue's figures did.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import os
import platform
import re
import signal
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlencode

sys.path[:0] = [str(Path(__file__).resolve().parent)]
import loadenv  # noqa: E402

BIN = Path(sys.executable).parent
WORKERS = 4
REQUEST_TIMEOUT = 180.0
CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
GOAL_P95_MS = 100.0  # issue 18: p95 <= 100 ms at 50 concurrent users


# --- one browser: cookies, the proxy's headers, a fresh connection per request --------------------------------

@dataclass
class Response:
    status: int
    location: str
    body: bytes


class Browser:
    def __init__(self, port: int) -> None:
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https", "User-Agent": "rencai-load-bench",
                   "Accept": "text/html", "Accept-Language": "zh-CN,zh;q=0.9"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin,
                        "Referer": self.origin + path}
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                value = rest.split(";", 1)[0]
                if value in ("", '""') or "max-age=0" in cookie.lower():
                    self.cookies.pop(name.strip(), None)
                else:
                    self.cookies[name.strip()] = value
            return Response(response.status, response.headers.get("Location", ""), data)
        finally:
            conn.close()

    def csrf_of(self, path: str) -> str:
        page = self.request("GET", path)
        match = CSRF_RE.search(page.body)
        if page.status != 200 or not match:
            raise RuntimeError(f"GET {path}: {page.status}, no CSRF token")
        return match.group(1).decode()


def totp(hex_key: str, at: float | None = None) -> str:
    """RFC 6238 (what django-otp's TOTPDevice checks): HMAC-SHA1, 30 s steps, 6 digits."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def log_in(port: int, username: str) -> Browser:
    browser = Browser(port)
    token = browser.csrf_of("/login/")
    done = browser.request("POST", "/login/", {"csrfmiddlewaretoken": token, "username": username,
                                               "password": loadenv.PASSWORD})
    if done.status != 302:
        raise RuntimeError(f"log-in of {username} answered {done.status}")
    for _attempt in range(3):
        token = browser.csrf_of("/otp/verify/")
        verified = browser.request("POST", "/otp/verify/", {"csrfmiddlewaretoken": token,
                                                            "token": totp(loadenv.totp_key(username))})
        if verified.status == 302:
            break
        print(f"{username}: TOTP code refused, waiting for the next one", flush=True)
        time.sleep(31 - time.time() % 30)  # a code is good once: wait for the next one
    else:
        raise RuntimeError(f"the TOTP step of {username} failed")
    check = browser.request("GET", "/talents/")
    if check.status != 200:
        raise RuntimeError(f"{username} is logged in but /talents/ answered {check.status}")
    return browser


# --- one cell: a page at a number of clients ---------------------------------------------------------------

@dataclass
class Target:
    key: str
    label: str
    paths: list[str]
    anonymous: bool = False


@dataclass
class Cell:
    target: str
    clients: int
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    elapsed_s: float = 0.0

    def summary(self) -> dict[str, object]:
        lat = sorted(self.latencies_ms)
        return {
            "target": self.target, "clients": self.clients, "requests": len(lat),
            "errors": sum(self.errors.values()), "error_kinds": self.errors,
            "p50_ms": round(_percentile(lat, 50), 1) if lat else None,
            "p95_ms": round(_percentile(lat, 95), 1) if lat else None,
            "mean_ms": round(statistics.fmean(lat), 1) if lat else None,
            "max_ms": round(lat[-1], 1) if lat else None,
            "req_per_s": round(len(lat) / self.elapsed_s, 2) if self.elapsed_s else None,
            "elapsed_s": round(self.elapsed_s, 2),
        }


def _percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def run_cell(target: Target, browsers: list[Browser], port: int, seconds: float) -> Cell:
    cell = Cell(target.key, len(browsers))
    lock = threading.Lock()
    counter = iter(range(10**9))
    start_gate = threading.Barrier(len(browsers) + 1)
    deadline = [0.0]

    def client(browser: Browser) -> None:
        start_gate.wait()
        while time.perf_counter() < deadline[0]:
            with lock:
                path = target.paths[next(counter) % len(target.paths)]
            who = Browser(port) if target.anonymous else browser
            began = time.perf_counter()
            try:
                response = who.request("GET", path)
                problem = "" if response.status == 200 else f"HTTP {response.status}"
            except (OSError, http.client.HTTPException) as exc:
                problem = type(exc).__name__
            took = (time.perf_counter() - began) * 1000
            with lock:
                if problem:
                    cell.errors[problem] = cell.errors.get(problem, 0) + 1
                else:
                    cell.latencies_ms.append(took)

    threads = [threading.Thread(target=client, args=(b,), daemon=True) for b in browsers]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start_gate.wait()
    for thread in threads:
        thread.join()
    cell.elapsed_s = time.perf_counter() - began
    return cell


# --- gunicorn ----------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    env = env | {"RENCAI_BIND": f"127.0.0.1:{port}", "RENCAI_WEB_WORKERS": str(WORKERS),
                 "RENCAI_WEB_TIMEOUT": "60"}
    with log.open("wb") as out:  # this run's log only
        process = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "-c", str(loadenv.ROOT / "deploy" / "gunicorn.conf.py"), "--worker-class", "sync",
             "rencai.config.wsgi"], cwd=loadenv.ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.time() + 90
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}")
        try:
            if Browser(port).request("GET", "/healthz/").status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.5)
    stop_gunicorn(process)
    raise RuntimeError(f"gunicorn did not answer /healthz/ in 90 s; see {log}")


def stop_gunicorn(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the run -----------------------------------------------------------------------------------------------

def _git() -> dict[str, object]:
    def out(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=loadenv.ROOT, capture_output=True, text=True, check=False)  # noqa: S603, S607
        return done.stdout.strip()

    return {"commit": out("rev-parse", "--short", "HEAD"), "uncommitted_changes": bool(out("status", "--porcelain"))}


def _in_parallel(fn: Callable[[str], Browser], names: list[str], threads: int) -> list[Browser]:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(fn, names))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL", loadenv.DEFAULT_DATABASE_URL))
    parser.add_argument("--talents", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each cell (default 5)")
    parser.add_argument("--clients", default="1,10,50")
    args = parser.parse_args()
    levels = [int(n) for n in args.clients.split(",")]
    if max(levels) > loadenv.USERS:
        sys.exit(f"at most {loadenv.USERS} clients (one office user each)")

    problem = loadenv.postgres_problem(args.database_url)
    if problem:
        print(f"load benchmark skipped: {problem}")
        return
    if not (BIN / "gunicorn").exists():
        print(f"load benchmark skipped: gunicorn is not installed in {BIN} (pip install -e . installs it)")
        return
    step = time.perf_counter()
    subprocess.run([sys.executable, str(loadenv.HERE / "data.py"), "--database-url", args.database_url,  # noqa: S603
                    "--talents", str(args.talents)], check=True)
    manifest = json.loads((loadenv.var_dir() / "manifest.json").read_text())
    env = os.environ | loadenv.django_env(args.database_url)
    subprocess.run([str(BIN / "rencai"), "collectstatic", "--no-input", "-v", "0"], cwd=loadenv.ROOT, env=env,  # noqa: S603
                   check=True)
    print(f"data and static files ready in {time.perf_counter() - step:.0f} s", flush=True)

    search = urlencode(manifest["search"])
    targets = [
        Target("login", "/login/（基准，未登录）", ["/login/"], anonymous=True),
        Target("list", "人才列表 /talents/", ["/talents/"]),
        Target("search", f"搜索 /talents/?{unquote(search)}", [f"/talents/?{search}"]),
        Target("deep", "第 500 页 /talents/?page=500", ["/talents/?page=500"]),
        Target("detail", "人才详情 /talents/<pk>/", [f"/talents/{pk}/" for pk in manifest["detail_pks"]]),
    ]
    port = free_port()
    log = loadenv.var_dir() / "gunicorn.log"
    started_at = datetime.now(UTC)
    load_before = os.getloadavg()
    process = start_gunicorn(env, port, log)
    cells: list[dict[str, object]] = []
    try:
        began = time.perf_counter()
        browsers = _in_parallel(lambda name: log_in(port, name), manifest["users"][:max(levels)], WORKERS)
        login_s = time.perf_counter() - began
        print(f"{len(browsers)} clients logged in (password + TOTP) in {login_s:.1f} s", flush=True)
        for target in targets:  # warm every worker up on every page; not counted
            run_cell(target, browsers[:WORKERS], port, 0.5)
        for clients in levels:
            for target in targets:
                cell = run_cell(target, browsers[:clients], port, args.seconds).summary()
                cells.append(cell)
                print(f"{target.key:7} {clients:3} clients: {cell['requests']:5} req, p50 {cell['p50_ms']} ms, "
                      f"p95 {cell['p95_ms']} ms, {cell['req_per_s']} req/s, {cell['errors']} errors", flush=True)
    finally:
        stop_gunicorn(process)

    baseline = {c["clients"]: c for c in cells if c["target"] == "login"}
    for cell in cells:
        base = baseline[cell["clients"]]
        cell["baseline_login"] = {k: base[k] for k in ("p50_ms", "p95_ms", "req_per_s")}
        if cell["p50_ms"] and base["p50_ms"]:
            cell["p50_x_login"] = round(float(cell["p50_ms"]) / float(base["p50_ms"]), 1)  # type: ignore[arg-type]
    result = {
        "what": "talent register pages under gunicorn (4 sync workers, prod settings) on PostgreSQL, loopback",
        "started_at": started_at.isoformat(timespec="seconds"), "talents": manifest["talents"],
        "search": manifest["search"], "search_hits": {"q": manifest["search_hits_q"],
                                                      "q_and_type": manifest["search_hits_q_type"]},
        "detail_pages": len(manifest["detail_pks"]), "seconds_per_cell": args.seconds, "clients": levels,
        "gunicorn": {"workers": WORKERS, "worker_class": "sync", "config": "deploy/gunicorn.conf.py",
                     "settings": "rencai.config.settings.prod"},
        "login_seconds": round(login_s, 1), "machine": platform.platform(), "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "git": _git(), "command": " ".join(["bench/load/run.py", *sys.argv[1:]]), "cells": cells,
    }
    loadenv.RESULTS.mkdir(exist_ok=True)
    stem = "load" if args.talents == 100_000 else f"load-{args.talents}"
    (loadenv.RESULTS / f"{stem}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    (loadenv.RESULTS / f"{stem}.md").write_text(markdown(result, {t.key: t.label for t in targets}))
    print(f"wrote bench/results/{stem}.md and {stem}.json")


def markdown(result: dict[str, object], labels: dict[str, str]) -> str:
    def ms(value: object) -> str:
        return "–" if value is None else f"{float(value):,.0f}" if float(value) >= 100 else f"{float(value):.1f}"  # type: ignore[arg-type]

    cells: list[dict[str, object]] = result["cells"]  # type: ignore[assignment]
    hits: dict[str, int] = result["search_hits"]  # type: ignore[assignment]
    lines = [
        "# Load: the talent register under gunicorn, beside /login/ in the same run",
        "",
        f"`{result['command']}` — {result['started_at']}, commit {result['git']['commit']}"  # type: ignore[index]
        f"{' (with uncommitted changes)' if result['git']['uncommitted_changes'] else ''}.",  # type: ignore[index]
        f"{result['talents']:,} talents in one zone on PostgreSQL; gunicorn `deploy/gunicorn.conf.py`, "
        f"{WORKERS} sync workers, `rencai.config.settings.prod` (DEBUG off, HTTPS as behind the proxy), "
        f"127.0.0.1 only; each client logged in once as its own office admin (login form with CSRF, then TOTP). "
        f"{result['seconds_per_cell']:g} s per cell; a request started before the end is waited for and counted. "
        f"Search `{unquote(urlencode(result['search']))}` matches {hits['q_and_type']:,} talents "  # type: ignore[arg-type]
        f"({hits['q']:,} without the type filter); detail rotates over {result['detail_pages']} talents.",
        f"Machine: {result['cpus']} cores, shared with other work (load average {result['load_average_before']} "
        f"before, {result['load_average_after']} after); the clients run on the same cores.",
        "",
        "| page | clients | requests | errors | p50 ms | p95 ms | req/s | /login/ p50 ms | /login/ p95 ms "
        "| /login/ req/s | p50 ÷ /login/ p50 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for cell in sorted(cells, key=lambda c: (list(labels).index(str(c["target"])), c["clients"])):
        base: dict[str, object] = cell["baseline_login"]  # type: ignore[assignment]
        lines.append(
            f"| {labels[str(cell['target'])]} | {cell['clients']} | {cell['requests']} | {cell['errors']} "
            f"| {ms(cell['p50_ms'])} | {ms(cell['p95_ms'])} | {cell['req_per_s']} | {ms(base['p50_ms'])} "
            f"| {ms(base['p95_ms'])} | {base['req_per_s']} | {cell.get('p50_x_login', '–')} |")
    top = max(int(c["clients"]) for c in cells)  # type: ignore[call-overload]
    lines += ["", f"Goal (issue 18): p95 ≤ {GOAL_P95_MS:.0f} ms at 50 concurrent users.", ""]
    for cell in cells:
        if cell["clients"] == top and cell["target"] != "login" and cell["p95_ms"] is not None:
            p95 = float(cell["p95_ms"])  # type: ignore[arg-type]
            verdict = "met" if p95 <= GOAL_P95_MS else f"{p95 / GOAL_P95_MS:.1f}× over"
            lines.append(f"- {labels[str(cell['target'])]} at {top} clients: p95 {ms(p95)} ms — {verdict}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
