"""Patrol scan endpoint under concurrent guards, against Odoo's generic JSON-RPC create.

Starts a served Odoo (2 workers) on the bench database, creates N guards with one
round of M checkpoints each, and in the same run sends every scan through
/safety_inspection/patrol/scan (as the guard: all checks) and, as the baseline, Odoo's
generic JSON-RPC create of a plain record of the same school, one per scan, through
/web/dataset/call_kw/res.partner/create (as an administrator: ACL, record rules and one
insert). A scan itself can no longer be created through call_kw by anybody (issue 9: patrol
records are written by the scan route only), so the generic create of an unprotected model is
the floor the endpoint is measured against. Every request is retried once with the same
client id; the rows are counted at the end to prove zero lost and zero duplicated scans (the
generic path has no idempotency: its retries store a second row, which the script counts).

    bin/bench tests/benchmarks/bench_patrol_scan.py [--guards 20] [--scans 25]
"""
import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import requests

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

PASSWORD = "bench-Patrol-2026"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup(guards, scans, run_tag, repeats=2):
    """Create the school, guards, admins, checkpoints and rounds; return what the threads need."""
    from odoo import Command, fields

    with harness.environment(commit=True) as env:
        env = env(context={"tracking_disable": True, "mail_create_nolog": True, "no_reset_password": True})
        bureau = env["res.company"].search([("safety_is_bureau", "=", True)], limit=1) or env.ref(
            "base.main_company")
        school = env["res.company"].create({
            "name": f"Bench School {run_tag}", "parent_id": bureau.id, "safety_school_type": "primary",
        })
        guard_group = env.ref("school_safety.group_security_guard")
        admin_group = env.ref("base.group_system")
        users = env["res.users"].create([
            {"name": f"Bench {kind} {i}", "login": f"bench_{kind}_{run_tag}_{i}", "password": PASSWORD,
             "company_id": school.id, "company_ids": [Command.set([school.id])],
             "groups_id": [Command.set([(guard_group if kind == "guard" else admin_group).id])]}
            for kind in ("guard", "admin") for i in range(guards)
        ])
        guard_users, admin_users = users[:guards], users[guards:]
        checkpoints = env["safety.patrol.checkpoint"].create([
            {"name": f"CP {g}-{c}", "company_id": school.id} for g in range(guards) for c in range(scans)
        ])
        routes = env["safety.patrol.route"].create([
            {"name": f"Bench route {g}", "company_id": school.id, "line_ids": [
                Command.create({"sequence": c, "checkpoint_id": checkpoints[g * scans + c].id})
                for c in range(scans)]}
            for g in range(guards)
        ])
        now = fields.Datetime.now()
        start, end = now - timedelta(minutes=5), now + timedelta(minutes=scans + 60)
        plans = []
        for _repeat in range(repeats):
            rounds = env["safety.patrol.round"].create([
                {"company_id": school.id, "route_id": routes[g].id, "planned_start": start,
                 "planned_end": end, "guard_ids": [Command.set(guard_users[g].ids)] if kind == "ep" else []}
                for kind in ("ep", "kw") for g in range(guards)
            ])
            plan = []
            for g in range(guards):
                cps = checkpoints[g * scans:(g + 1) * scans]
                plan.append({
                    "guard_login": guard_users[g].login, "admin_login": admin_users[g].login,
                    "guard_id": guard_users[g].id, "company_id": school.id,
                    "ep_round": rounds[g].id, "kw_round": rounds[guards + g].id,
                    "checkpoints": [(cp.id, cp.sudo()._patrol_token()) for cp in cps],
                    "start": start,
                })
            plans.append(plan)
        return plans, school.id


def login(base, db, user):
    session = requests.Session()
    response = session.post(f"{base}/web/session/authenticate", json={
        "jsonrpc": "2.0", "method": "call", "params": {"db": db, "login": user, "password": PASSWORD}})
    response.raise_for_status()
    assert response.json().get("result", {}).get("uid"), response.text
    return session


RESETS = []  # connections the server closed under a request, resent like a phone does


def send(session, url, body):
    """POST and return the JSON answer; when the connection drops before an answer (a
    worker closing a kept-alive connection), send the same request again, as the phone
    does: the client id makes the resend safe."""
    for attempt in range(3):
        try:
            return session.post(url, json=body, timeout=60).json()
        except requests.ConnectionError:
            RESETS.append(url)
            if attempt == 2:
                raise
    return None


def run_guard(base, db, item, mode, results, barrier, pause=0.0, race=False):
    user = item["guard_login"] if mode == "ep" else item["admin_login"]
    session, twin = login(base, db, user), login(base, db, user)
    latencies, retries_ok, errors = [], 0, []
    barrier.wait()
    for index, (checkpoint_id, token) in enumerate(item["checkpoints"]):
        if pause:
            time.sleep(pause)  # the guard walks to the next checkpoint
        device_time = item["start"] + timedelta(minutes=1 + index)
        client_id = f"bench-{mode}-{item['ep_round']}-{index:04d}"  # unique per round
        if mode == "ep":
            url = f"{base}/safety_inspection/patrol/scan"
            params = {"scan": {
                "round_id": item["ep_round"], "token": token, "client_id": client_id,
                "device_time": device_time.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "sent_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "device": "bench",
            }}
        else:
            url = f"{base}/web/dataset/call_kw/res.partner/create"
            params = {"model": "res.partner", "method": "create", "args": [{
                "name": f"scan {client_id}", "ref": client_id, "company_id": item["company_id"],
                "comment": f"checkpoint {checkpoint_id} at {device_time:%Y-%m-%d %H:%M:%S}, "
                           f"sent {datetime.now(UTC):%Y-%m-%d %H:%M:%S}, device bench",
            }], "kwargs": {}}
        # the endpoint takes a plain JSON body {"scan": {...}}; call_kw is a JSON-RPC call
        body = params if mode == "ep" else {"jsonrpc": "2.0", "method": "call", "id": index,
                                            "params": params}
        began = time.perf_counter()
        if race:
            # the phone resends before the first answer came back: both race on the server
            racer = threading.Thread(target=send, args=(twin, url, body))
            racer.start()
        response = send(session, url, body)
        latencies.append(time.perf_counter() - began)
        if race:
            racer.join()
        if mode == "ep" and not response.get("ok"):
            errors.append(response)
        if mode == "kw" and "result" not in response:
            errors.append(response)
        # the retry: same request, same client id (a phone that never saw the answer)
        retry = send(session, url, body)
        if mode == "ep":
            retries_ok += bool(retry.get("duplicate"))
        else:
            retries_ok += "result" in retry  # stored again: the generic create is not idempotent
    results.append((latencies, retries_ok, errors))


def phase(base, db, plan, mode, pause=0.0, race=False):
    results, barrier = [], threading.Barrier(len(plan) + 1)
    threads = [threading.Thread(target=run_guard,
                                args=(base, db, item, mode, results, barrier, pause, race))
               for item in plan]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    latencies = sorted(lat for result in results for lat in result[0])
    retries_ok = sum(result[1] for result in results)
    errors = [error for result in results for error in result[2]]
    return {"latencies": latencies, "wall": wall, "retries_ok": retries_ok, "errors": errors}


def merge(results):
    latencies = sorted(lat for result in results for lat in result["latencies"])
    wall = sum(result["wall"] for result in results)
    return {
        "requests": len(latencies), "wall": wall, "throughput": len(latencies) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "retries_ok": sum(result["retries_ok"] for result in results),
        "errors": [error for result in results for error in result["errors"]],
    }


def serve():
    """Run odoo-bin's server without the websocket (gevent) process: the scans do not use
    it, and where gevent cannot start it would be respawned every second, eating CPU."""
    import odoo  # noqa: PLC0415
    from odoo.service import server as odoo_server  # noqa: PLC0415

    def long_polling_spawn(self):
        self.long_polling_pid = subprocess.Popen(["sleep", "86400"]).pid  # placeholder child

    odoo_server.PreforkServer.long_polling_spawn = long_polling_spawn
    sys.argv = [sys.argv[0], *sys.argv[2:]]
    odoo.cli.main()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--guards", type=int, default=20)
    parser.add_argument("--scans", type=int, default=25)
    parser.add_argument("--pause-ms", type=int, default=0,
                        help="pause of each guard before each scan (0: back-to-back, saturating)")
    args = parser.parse_args()
    guards, scans = max(1, min(args.guards, 100)), max(1, min(args.scans, 200))
    run_tag = str(int(time.time()))
    plans, school_id = setup(guards, scans, run_tag, repeats=3)
    plan, race_plan, plans = plans[0], plans[2], plans[:2]
    db = os.environ["SAFETY_BENCH_DB"]
    port = free_port()
    command = [os.environ["SAFETY_VENV_PYTHON"], os.path.abspath(__file__), "--serve",
               *harness.odoo_args(),
               "--workers=2", "--max-cron-threads=0", "--http-interface=127.0.0.1",
               f"--http-port={port}", "--log-level=warn",
               "--limit-time-real=300", "--db_maxconn=64",
               # the baseline's retries hit the unique constraint: keep its tracebacks out
               "--log-handler=odoo.sql_db:CRITICAL", "--log-handler=odoo.http:ERROR"]
    server = subprocess.Popen(command, env=dict(os.environ, TZ="UTC"), start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(120):
            try:
                if requests.get(f"{base}/web/login", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        else:
            raise SystemExit("the server did not start")
        # warm both workers (registry loaded) with requests that write nothing
        for item in plan[:4]:
            session = login(base, db, item["guard_login"])
            session.post(f"{base}/safety_inspection/patrol/scan", json={"scan": {}}, timeout=60)
            session.post(f"{base}/web/dataset/call_kw/safety.patrol.round/search_count", json={
                "jsonrpc": "2.0", "method": "call", "params": {
                    "model": "safety.patrol.round", "method": "search_count", "args": [[]],
                    "kwargs": {}}}, timeout=60)
        runs = {"ep": [], "kw": []}
        for repeat_plan in plans:  # alternate ep, kw, ep, kw: both see the same machine
            for mode in ("ep", "kw"):
                runs[mode].append(phase(base, db, repeat_plan, mode, args.pause_ms / 1000))
        figures = {mode: merge(results) for mode, results in runs.items()}
        # untimed: every request sent twice at once (a resend racing the original)
        races = {mode: phase(base, db, race_plan, mode, race=True) for mode in ("ep", "kw")}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    import odoo  # noqa: PLC0415  (configured by harness.environment() in setup)

    counts = {}
    with odoo.modules.registry.Registry(db).cursor() as cr:
        cr.execute(
            "SELECT count(*), count(DISTINCT client_id) FROM safety_patrol_scan "
            "WHERE company_id = %s AND client_id LIKE %s", [school_id, "bench-ep-%"])
        counts["ep"] = tuple(cr.fetchone())
        cr.execute("SELECT count(*), count(DISTINCT ref) FROM res_partner WHERE ref LIKE %s", ["bench-kw-%"])
        counts["kw"] = tuple(cr.fetchone())
    expected = guards * scans * (len(plans) + 1)
    ep, kw = figures["ep"], figures["kw"]
    print(f"== patrol scan: {guards} concurrent guards x {scans} scans x {len(plans)} alternating "
          f"runs per path, pause {args.pause_ms} ms, each request retried once, "
          "Odoo --workers=2, loopback")
    for label, data in (("scan endpoint", ep), ("call_kw create", kw)):
        print(f"{label}: {data['requests']} requests in {data['wall']:.2f} s, "
              f"{data['throughput']:.1f} req/s, p50 {data['p50']:.1f} ms, p95 {data['p95']:.1f} ms, "
              f"errors {len(data['errors'])}")
    print(f"throughput ratio (endpoint / call_kw): {ep['throughput'] / kw['throughput']:.2f}x")
    print(f"p95 ratio (endpoint / call_kw): {ep['p95'] / kw['p95']:.2f}x")
    timed = guards * scans * len(plans)
    print(f"retries: endpoint {ep['retries_ok']}/{timed} answered duplicate, "
          f"call_kw {kw['retries_ok']}/{timed} stored a second row (no idempotency)")
    print(f"racing resends ({guards * scans} pairs per path, untimed): endpoint "
          f"{len(races['ep']['errors'])} errors, call_kw {len(races['kw']['errors'])} errors "
          "(the generic create stores both)")
    for mode, label in (("ep", "endpoint scans"), ("kw", "call_kw partners")):
        rows, distinct = counts[mode]
        print(f"rows {label} (timed and racing runs): {rows} stored, {distinct} distinct, expected {expected}: "
              f"lost {expected - distinct}, duplicated {rows - distinct}")
    if ep["errors"]:
        print("first endpoint error:", ep["errors"][0])
    if kw["errors"]:
        print("first call_kw error:", kw["errors"][0])
    ok = (counts["ep"] == (expected, expected) and ep["retries_ok"] == timed and not ep["errors"]
          and not races["ep"]["errors"])
    print(f"connections dropped by the server and resent: {len(RESETS)}")
    print("zero lost, zero duplicated:", "yes" if ok else "NO")
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve()
    else:
        sys.exit(main())
