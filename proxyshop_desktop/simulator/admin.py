"""Admin routes under ``/_sim/`` (no auth, loopback only) to steer a running simulator.

Why over HTTP: end-to-end tests and benchmarks may run the simulator in another process (the demo
provider, a subprocess); they inject faults, take proxies offline, churn the catalogue and read
request counters through these routes instead of Python calls.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from pydantic import ValidationError

from .errors import SimError
from .wire import Query, Reply, body_int, json_reply, one, opt_int

if TYPE_CHECKING:
    from .server import SimulatorServer


def handle_admin(sim: SimulatorServer, method: str, action: str, query: Query,
                 raw_body: bytes) -> Reply:
    """Answer ``{method} /_sim/{action}``; bad input gets a 400 JSON error, never a crash."""
    p = sim.provider
    try:
        body = json.loads(raw_body) if raw_body else {}
        if method == "GET" and action == "stats":
            return json_reply(200, sim.stats())
        if method == "GET" and action == "requests":
            limit = opt_int(query, "limit", 1000) or 1000
            return json_reply(200, sim.requests.as_json(one(query, "endpoint"), limit))
        if method != "POST":
            return json_reply(405, {"error": "method not allowed"})
        if action == "faults":
            added = sim.faults.load(body)
            return json_reply(200, {"added": len(added), "pending": sim.faults.pending()})
        if action == "reset-faults":
            sim.faults.clear()
            return json_reply(200, {"status": "ok"})
        if action == "reset-stats":
            sim.requests.clear()
            return json_reply(200, {"status": "ok"})
        if action == "churn":
            counts = p.churn(float(body.get("fraction", 0.05)), int(body.get("seed", 0)))
            return json_reply(200, counts)
        if action in ("offline", "online", "remove"):
            if action == "offline" and "credentials_id" in body:
                pid = p.set_purchased_proxy_offline(body_int(body, "credentials_id"))
                return json_reply(200, {"proxy_id": pid, "status": 0})
            pid = body_int(body, "proxy_id")
            {"offline": p.set_offline, "online": p.set_online, "remove": p.remove}[action](pid)
            return json_reply(200, {"proxy_id": pid, "action": action})
        if action == "add":
            return json_reply(200, {"added": p.add(int(body.get("count", 1)))})
        if action == "balance":
            p.balance = str(body["balance"])
            return json_reply(200, {"balance": str(p.balance)})
        if action == "socks":  # how sold proxies behave: {"offline_mode", "check_answer"}
            gateway = sim.socks
            if gateway is None:
                return json_reply(409, {"error": "this simulator runs without its SOCKS gateway"})
            if "offline_mode" in body:
                gateway.offline_mode = str(body["offline_mode"])
            if "check_answer" in body:
                gateway.check_answer = str(body["check_answer"])
            return json_reply(200, {"offline_mode": gateway.offline_mode,
                                    "check_answer": gateway.check_answer})
        if action == "remote-failure":
            p.set_remote_failure(body_int(body, "proxy_id"), bool(body.get("failing", True)))
            return json_reply(200, {"status": "ok"})
        return json_reply(404, {"error": f"unknown admin action {action!r}"})
    except SimError as exc:
        return json_reply(exc.status, {"error": exc.message})
    except (ValueError, TypeError, KeyError, AttributeError, ValidationError,
            ArithmeticError) as exc:
        return json_reply(400, {"error": f"bad admin request: {exc}"})
