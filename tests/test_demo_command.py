"""README command 1 (bin/demo) serves the demo and every documented login works.

Runs the real bin/demo on a throwaway database and a free port, waits until Odoo
answers, then logs in over HTTP with each login of docs/demo-logins.txt and its
documented password, and checks each user lands in the right school.
"""
import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from http.cookiejar import CookieJar

from conftest import psql

ROOT = pathlib.Path(__file__).resolve().parent.parent


def documented_logins():
    text = (ROOT / "docs" / "demo-logins.txt").read_text(encoding="utf-8")
    password = re.search(r"password for every login: (\S+)\)", text).group(1)
    logins = {}
    for line in text.splitlines():
        m = re.match(r"^  (\w+)\s{2,}", line)
        if m and m.group(1) != "login":
            logins[m.group(1)] = "admin" if m.group(1) == "admin" else password
    return logins


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def authenticate(port, db, login, password):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    body = json.dumps({
        "jsonrpc": "2.0", "method": "call",
        "params": {"db": db, "login": login, "password": password},
    }).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/web/session/authenticate", data=body,
        headers={"Content-Type": "application/json"},
    )
    with opener.open(req, timeout=60) as resp:
        return json.loads(resp.read())


def test_demo_serves_and_every_documented_login_works(odoo_env):
    db = f"safety_demo_{uuid.uuid4().hex[:8]}"
    port = free_port()
    env = dict(os.environ, SAFETY_DEMO_DB=db, SAFETY_HTTP_PORT=str(port))
    log_path = ROOT / ".data" / "logs" / f"test-demo-{db}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [str(ROOT / "bin" / "demo")], env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.time() + 900
        while True:
            assert proc.poll() is None, log_path.read_text()[-4000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/web/login", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert time.time() < deadline, "bin/demo did not serve in time"
            time.sleep(2)
        output = log_path.read_text()
        assert f"http://localhost:{port}" in output
        # its logins are published: it listens on this machine only, its database manager closed
        assert re.search(rf"running on (localhost|127\.0\.0\.1):{port}\b", output), output[-3000:]
        listing = json.loads(urllib.request.urlopen(urllib.request.Request(
            f"http://127.0.0.1:{port}/web/database/list", data=b'{"params": {}}',
            headers={"Content-Type": "application/json"}), timeout=30).read())
        assert "error" in listing and "result" not in listing, listing
        logins = documented_logins()
        assert {"manager", "inspector", "finance", "principal", "officer", "staff",
                "guard", "principal2"} <= set(logins)
        for login, password in logins.items():
            assert login in output, f"bin/demo does not print the login {login}"
            result = authenticate(port, db, login, password)
            assert "error" not in result, (login, result.get("error"))
            assert result["result"]["uid"], login
            assert authenticate(port, db, login, "wrong-password").get("error"), login
        # each school login lands in its own school, bureau logins see all four schools
        principal_company = psql(
            db, "SELECT c.name FROM res_users u JOIN res_company c ON c.id = u.company_id "
                "WHERE u.login = 'principal'")
        assert principal_company == "临江区第一小学"
        assert psql(
            db, "SELECT count(*) FROM res_company_users_rel r JOIN res_users u ON u.id = r.user_id "
                "WHERE u.login = 'inspector'") == "5"
        # the demo speaks Chinese
        assert psql(
            db, "SELECT p.lang FROM res_users u JOIN res_partner p ON p.id = u.partner_id "
                "WHERE u.login = 'officer'") == "zh_CN"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        subprocess.run(["dropdb", "--if-exists", db], check=False, capture_output=True)
        (ROOT / ".data" / f"demo-{db}.addons").unlink(missing_ok=True)
