from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest

from proxyshop_desktop.simulator import SimulatedProvider, SimulatorServer, faults


def test_delay_then_normal(server: SimulatorServer, client: httpx.Client, ids: list[int]) -> None:
    server.faults.add("lookup", faults.delay(0.5))
    with pytest.raises(httpx.ReadTimeout):
        client.get("/proxy/lookup", params={"proxy_id": ids[0]}, timeout=0.1)
    assert client.get("/proxy/lookup", params={"proxy_id": ids[0]}).status_code == 200
    assert server.requests.count("lookup") == 2


def test_status_429_with_retry_after_for_n_times(server: SimulatorServer,
                                                 client: httpx.Client) -> None:
    server.faults.add("list", faults.status(429, headers={"Retry-After": "3"}), times=2)
    codes = [client.get("/proxy").status_code for _ in range(3)]
    assert codes == [429, 429, 200]
    server.faults.add("list", faults.status(429))
    r = client.get("/proxy")
    assert r.headers["retry-after"] == "1" and r.json() == {"error": "injected 429"}


def test_status_5xx_on_buy_does_not_charge(server: SimulatorServer, client: httpx.Client,
                                           provider: SimulatedProvider, ids: list[int]) -> None:
    server.faults.add("buy", faults.status(503, body={"detail": "remote failed"}))
    r = client.get("/proxy/buy", params={"proxy_id": ids[0]})
    assert r.status_code == 503 and r.json() == {"detail": "remote failed"}
    assert provider.bought() == [] and provider.balance == Decimal(1000)


def test_html_error_pages(server: SimulatorServer, client: httpx.Client) -> None:
    server.faults.add("bought", faults.html_error())
    server.faults.add("bought", faults.html_error(200))
    for expected in (502, 200):
        r = client.get("/proxy/bought")
        assert r.status_code == expected and r.headers["content-type"] == "text/html"
        assert r.text.startswith("<html>")
        with pytest.raises(json.JSONDecodeError):
            r.json()
    assert client.get("/proxy/bought").json() == []


def test_truncated_listing(server: SimulatorServer, client: httpx.Client) -> None:
    server.faults.add("list", faults.truncated())
    r = client.get("/proxy", params={"page_size": 20})
    assert r.status_code == 200 and r.text.startswith('{"proxies":[{"proxy_id":')
    with pytest.raises(json.JSONDecodeError):
        r.json()


def test_truncated_buy_still_charges(server: SimulatorServer, client: httpx.Client,
                                     provider: SimulatedProvider, ids: list[int]) -> None:
    server.faults.add("buy", faults.truncated())
    r = client.get("/proxy/buy", params={"proxy_id": ids[0]})
    with pytest.raises(json.JSONDecodeError):
        r.json()
    assert [p["proxy_id"] for p in provider.bought()] == [ids[0]]


def test_non_utf8(server: SimulatorServer, client: httpx.Client) -> None:
    server.faults.add("credentials", faults.non_utf8())
    r = client.get("/proxy/credentials", params={"credentials_id": 1})
    assert r.status_code == 200
    with pytest.raises(UnicodeDecodeError):
        r.content.decode("utf-8")


def test_drop_does_nothing(server: SimulatorServer, client: httpx.Client,
                           provider: SimulatedProvider, ids: list[int]) -> None:
    server.faults.add("buy", faults.drop())
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/proxy/buy", params={"proxy_id": ids[0]})
    assert provider.bought() == [] and provider.balance == Decimal(1000)
    assert [r.status for r in server.requests.records("buy")] == [None]


def test_drop_after_commit_charges_exactly_once(server: SimulatorServer, client: httpx.Client,
                                                provider: SimulatedProvider,
                                                ids: list[int]) -> None:
    server.faults.add("buy", faults.drop_after_commit())
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/proxy/buy", params={"proxy_id": ids[0]})
    assert server.requests.count("buy") == 1
    assert provider.balance == Decimal("998.80")
    bought = client.get("/proxy/bought").json()  # the contract's way to learn the outcome
    assert [p["proxy_id"] for p in bought] == [ids[0]]


def test_drop_after_commit_on_refund(server: SimulatorServer, client: httpx.Client,
                                     provider: SimulatedProvider, ids: list[int]) -> None:
    cid = provider.buy(ids[0])["credentials_id"]
    provider.set_purchased_proxy_offline(cid)
    server.faults.add("refund", faults.drop_after_commit())
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/proxy/refund", json={"credentials_id": cid})
    assert provider.is_refunded(cid) and provider.balance == Decimal(1000)


@pytest.mark.parametrize(("insert", "remove", "duplicates", "missed"),
                         [(7, 3, 4, 0), (0, 5, 0, 5)])
def test_listing_mutates_while_paging(server: SimulatorServer, client: httpx.Client,
                                      provider: SimulatedProvider, insert: int, remove: int,
                                      duplicates: int, missed: int) -> None:
    before = set(provider.online_ids())
    server.faults.add("list", faults.mutate_listing_after_page(1, insert=insert, remove=remove))
    seen: list[int] = []
    page = 0
    while True:
        items = client.get("/proxy", params={"page": page, "page_size": 100}).json()["proxies"]
        seen += [i["proxy_id"] for i in items]
        page += 1
        if len(items) < 100:
            break
    assert len(seen) - len(set(seen)) == duplicates  # ids shifted forward across pages
    assert len(before - set(seen)) == missed  # ids shifted backward past the pager
    assert len(provider.online_ids()) == 1000 + insert - remove
    assert server.faults.pending() == []


def test_always_and_wildcard_faults_and_reset(server: SimulatorServer,
                                              client: httpx.Client) -> None:
    server.faults.add("*", faults.status(500), times="always")
    assert {client.get("/proxy").status_code, httpx.get(server.health_url).status_code} == {500}
    assert server.faults.pending()[0]["left"] is None
    server.faults.clear()
    assert client.get("/proxy").status_code == 200


def test_admin_endpoints(server: SimulatorServer, client: httpx.Client, admin: httpx.Client,
                         provider: SimulatedProvider, ids: list[int]) -> None:
    spec = {"faults": [{"kind": "status", "endpoint": "buy", "code": 502, "times": 2}]}
    assert admin.post("/faults", json=spec).json()["added"] == 1
    assert [client.get("/proxy/buy", params={"proxy_id": ids[0]}).status_code
            for _ in range(3)] == [502, 502, 200]
    stats = admin.get("/stats").json()
    assert stats["requests"]["buy"] == 3 and stats["purchases"] == 1
    assert stats["balance"] == "998.80"
    records = admin.get("/requests", params={"endpoint": "buy"}).json()
    assert [r["status"] for r in records] == [502, 502, 200]
    assert records[0]["params"] == {"proxy_id": str(ids[0])}

    bad = admin.post("/faults", json={"kind": "explode", "endpoint": "buy"})
    assert bad.status_code == 400
    assert admin.post("/faults", json={"kind": "drop", "endpoint": "nope"}).status_code == 400
    admin.post("/faults", json=[{"kind": "drop", "endpoint": "lookup", "times": "always"}])
    assert admin.post("/reset-faults").status_code == 200 and server.faults.pending() == []

    cid = provider.bought()[0]["credentials_id"]
    assert admin.post("/offline", json={"credentials_id": cid}).json()["proxy_id"] == ids[0]
    assert provider.check_refundable(cid)[0] is True
    admin.post("/offline", json={"proxy_id": ids[1]})
    assert provider.lookup(ids[1])["status"] == 0
    counts = admin.post("/churn", json={"fraction": 0.04, "seed": 1}).json()
    assert sum(counts.values()) == round(998 * 0.04)
    assert admin.post("/balance", json={"balance": "0.50"}).json() == {"balance": "0.50"}
    assert client.get("/proxy/buy", params={"proxy_id": ids[5]}).status_code == 403
    assert admin.post("/reset-stats").status_code == 200 and server.requests.count() == 0


def test_churn_counts_and_determinism() -> None:
    a, b = SimulatedProvider(proxies=1000), SimulatedProvider(proxies=1000)
    before = {i: a.lookup(i) for i in a.online_ids()}
    counts = a.churn(0.1, seed=3)
    assert counts == {"offline": 25, "changed": 25, "added": 25, "removed": 25}
    assert b.churn(0.1, seed=3) == counts and a.online_ids() == b.online_ids()
    after = set(a.online_ids())
    assert len(after) == 1000 - 25 - 25 + 25
    assert len(a.list_proxies(page_size=1000, status=0)[0]) == 25
    assert len(after - set(before)) == 25  # new ones
    survivors = after & set(before)
    changed = [i for i in survivors if a.lookup(i) != before[i]]
    assert len(changed) == 25
    assert a.stats()["catalogue"] == 1000 - 25 + 25
