from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import httpx

from proxyshop_desktop.simulator import DEMO_TOKEN, SimulatedProvider, SimulatorServer

BUY_FIELDS = {
    "credentials_id", "proxy_id", "proxy_ip", "server_ip", "server_listening_port",
    "username", "password", "price", "expiration_time", "refundable",
}


def _buy(client: httpx.Client, proxy_id: int) -> httpx.Response:
    return client.get("/proxy/buy", params={"proxy_id": proxy_id})


def test_buy_charges_and_removes_from_listing(client: httpx.Client,
                                              provider: SimulatedProvider, ids: list[int]) -> None:
    r = _buy(client, ids[2])
    assert r.status_code == 200
    sale = r.json()
    assert set(sale) == BUY_FIELDS
    assert sale["proxy_id"] == ids[2] and sale["price"] == 1.2 and sale["refundable"] is True
    assert sale["server_listening_port"].isdigit() and sale["server_ip"].startswith("185.199.")
    assert sale["proxy_ip"] == provider.lookup(ids[2])["proxy_ip"] != sale["server_ip"]
    assert provider.balance == Decimal("998.80")
    listed = client.get("/proxy", params={"page_size": 10}).json()["proxies"]
    assert ids[2] not in [i["proxy_id"] for i in listed]
    assert _buy(client, ids[2]).status_code == 404  # sold: gone for us
    second = _buy(client, ids[3]).json()
    assert second["credentials_id"] == sale["credentials_id"] + 1
    assert second["server_listening_port"] != sale["server_listening_port"]


def test_buy_errors(client: httpx.Client, provider: SimulatedProvider, ids: list[int]) -> None:
    assert _buy(client, 42).status_code == 404
    provider.set_offline(ids[4])
    assert _buy(client, ids[4]).status_code == 404
    provider.set_remote_failure(ids[5])
    assert _buy(client, ids[5]).status_code == 503
    provider.balance = Decimal("1.19")
    r = _buy(client, ids[6])
    assert r.status_code == 403
    assert provider.balance == Decimal("1.19") and provider.bought() == []


def test_bought_is_an_array_newest_first_with_paging(client: httpx.Client, ids: list[int]) -> None:
    cids = [_buy(client, pid).json()["credentials_id"] for pid in ids[10:15]]
    everything = client.get("/proxy/bought")
    assert everything.status_code == 200 and isinstance(everything.json(), list)
    assert [p["credentials_id"] for p in everything.json()] == cids[::-1]
    first = everything.json()[0]
    geography = {"country", "country_code", "city", "region", "isp", "bought_at"}
    assert BUY_FIELDS | geography <= set(first)
    page0 = client.get("/proxy/bought", params={"page": 0, "page_size": 2}).json()
    page2 = client.get("/proxy/bought", params={"page": 2, "page_size": 2}).json()
    page3 = client.get("/proxy/bought", params={"page": 3, "page_size": 2}).json()
    assert [p["credentials_id"] for p in page0] == [cids[4], cids[3]]
    assert [p["credentials_id"] for p in page2] == [cids[0]] and page3 == []


def test_credentials(client: httpx.Client, ids: list[int]) -> None:
    sale = _buy(client, ids[20]).json()
    r = client.get("/proxy/credentials", params={"credentials_id": sale["credentials_id"]})
    assert r.json() == sale
    assert client.get("/proxy/credentials", params={"credentials_id": 1}).status_code == 404


def test_refund_rules(client: httpx.Client, provider: SimulatedProvider, ids: list[int]) -> None:
    cid = _buy(client, ids[30]).json()["credentials_id"]
    check = client.post("/proxy/check-refundable", json={"credentials_id": cid}).json()
    assert check == {"refundable": False, "message": "proxy is still online"}
    assert client.post("/proxy/refund", json={"credentials_id": cid}).status_code == 400
    assert provider.balance == Decimal("998.80")

    assert provider.set_purchased_proxy_offline(cid) == ids[30]
    check = client.post("/proxy/check-refundable", json={"credentials_id": cid}).json()
    assert check["refundable"] is True and "offline" in check["message"]
    assert 200 <= client.post("/proxy/refund", json={"credentials_id": cid}).status_code < 300
    assert provider.balance == Decimal("1000.00") and provider.is_refunded(cid)

    again = client.post("/proxy/refund", json={"credentials_id": cid})
    assert again.status_code == 400 and again.json()["error"] == "already refunded"
    check = client.post("/proxy/check-refundable", json={"credentials_id": cid}).json()
    assert check == {"refundable": False, "message": "already refunded"}
    assert client.post("/proxy/refund", json={"credentials_id": 5}).status_code == 404
    assert client.post("/proxy/refund", json={"credentials_id": "x"}).status_code == 400
    assert client.post("/proxy/refund", content=b"not json").status_code == 400


def test_refund_of_vanished_proxy_and_body_variants(
    client: httpx.Client, provider: SimulatedProvider, ids: list[int]
) -> None:
    bodies = set()
    for pid in ids[40:43]:
        cid = _buy(client, pid).json()["credentials_id"]
        provider.remove(pid)  # gone entirely counts as offline
        r = client.post("/proxy/refund", json={"credentials_id": cid})
        assert r.is_success
        bodies.add((r.status_code, r.content))
    assert bodies == {(204, b""), (200, b""), (200, b'{"status":"ok"}')}


def test_passwords_exercise_csv_injection_defences(provider: SimulatedProvider,
                                                   ids: list[int]) -> None:
    passwords = [provider.buy(pid)["password"] for pid in ids[100:124]]
    joined = "".join(passwords)
    for ch in ':,"=\'':
        assert ch in joined
    assert {p[0] for p in passwords} >= {"=", "+", "-", "@"}
    assert all(p.isprintable() for p in passwords)
    again = SimulatedProvider(proxies=1000, seed=7)
    assert [again.buy(pid)["password"] for pid in ids[100:124]] == passwords


def test_concurrent_buys_are_exact(server: SimulatorServer, provider: SimulatedProvider,
                                   ids: list[int]) -> None:
    def buy_slice(chunk: list[int]) -> list[dict[str, object]]:
        with httpx.Client(base_url=server.base_url, headers={"Authorization": DEMO_TOKEN}) as c:
            return [_buy(c, pid).json() for pid in chunk]

    chunks = [ids[i:i + 20] for i in range(0, 160, 20)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        sales = [s for batch in pool.map(buy_slice, chunks) for s in batch]
    assert len({s["credentials_id"] for s in sales}) == 160
    assert len({(s["server_ip"], s["server_listening_port"]) for s in sales}) == 160
    assert provider.balance == Decimal(1000) - 160 * Decimal("1.20")
    assert server.requests.count("buy") == 160
