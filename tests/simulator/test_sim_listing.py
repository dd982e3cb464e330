from __future__ import annotations

from typing import Any

import httpx

from proxyshop_desktop.simulator import DEMO_TOKEN, SimulatedProvider, SimulatorServer


def _page_all(client: httpx.Client, page_size: int, **params: str) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    page = 0
    while True:
        body = client.get("/proxy", params={"page": page, "page_size": page_size, **params}).json()
        seen.extend(body["proxies"])
        page += 1
        if len(body["proxies"]) < page_size:
            return seen


def test_paging_stops_on_short_last_page_and_total_is_page_count(
    client: httpx.Client, provider: SimulatedProvider
) -> None:
    first = client.get("/proxy", params={"page": 0, "page_size": 300})
    assert first.status_code == 200
    assert first.headers["content-length"] == str(len(first.content))
    assert first.json()["total"] == 4  # 1000 proxies / 300 per page -> 4 pages, not 1000
    last = client.get("/proxy", params={"page": 3, "page_size": 300}).json()
    assert len(last["proxies"]) == 100
    assert client.get("/proxy", params={"page": 4, "page_size": 300}).json()["proxies"] == []
    items = _page_all(client, 300)
    ids = [i["proxy_id"] for i in items]
    assert ids == sorted(ids) == provider.online_ids() and len(ids) == 1000


def test_default_page_size_and_omit_total(client: httpx.Client,
                                          provider: SimulatedProvider) -> None:
    body = client.get("/proxy").json()
    assert len(body["proxies"]) == 50 and body["total"] == 20
    provider.omit_total = True
    assert "total" not in client.get("/proxy").json()


def test_filters(client: httpx.Client, provider: SimulatedProvider, ids: list[int]) -> None:
    us = _page_all(client, 100, country_code="us")
    assert us and all(i["country_code"] == "US" for i in us)
    mobile_only = _page_all(client, 100, residential="false", hosting="false")
    assert mobile_only and all(i["mobile"] for i in mobile_only)
    city = client.get("/proxy", params={"city": "Москва", "page_size": 500}).json()["proxies"]
    assert city and {i["city"] for i in city} == {"Москва"}
    provider.set_offline(ids[0])
    offline = client.get("/proxy", params={"status": 0}).json()["proxies"]
    assert [i["proxy_id"] for i in offline] == [ids[0]]
    assert ids[0] not in [i["proxy_id"] for i in _page_all(client, 200)]


def test_auth_and_bad_params(server: SimulatorServer, client: httpx.Client) -> None:
    for headers in ({}, {"Authorization": "wrong"}, {"Authorization": f"Bearer {DEMO_TOKEN}"}):
        r = httpx.get(server.base_url + "/proxy", headers=headers)
        assert r.status_code == 401 and r.json()["error"] == "unauthorized"
    assert httpx.get(server.health_url).json() == {"status": "ok"}  # health needs no key
    r = client.get("/proxy", params={"page": "abc"})
    assert r.status_code == 400 and "page" in r.json()["error"]
    assert client.get("/proxy", params={"mobile": "maybe"}).status_code == 400
    assert client.get("/proxy/lookup").status_code == 400
    assert client.get("/nope").status_code == 404
    assert client.get("/proxy/").status_code == 200  # trailing slash tolerated


def test_bearer_prefix_is_configurable(provider: SimulatedProvider) -> None:
    with SimulatorServer(provider, auth_prefix="Bearer ") as srv:
        ok = httpx.get(srv.base_url + "/proxy", headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
        bad = httpx.get(srv.base_url + "/proxy", headers={"Authorization": DEMO_TOKEN})
    assert (ok.status_code, bad.status_code) == (200, 401)


def test_lookup(client: httpx.Client, provider: SimulatedProvider, ids: list[int]) -> None:
    item = client.get("/proxy/lookup", params={"proxy_id": ids[1]}).json()
    assert item == provider.lookup(ids[1]) and item["status"] == 1
    assert client.get("/proxy/lookup", params={"proxy_id": 1}).status_code == 404


def test_only_loopback_binding_and_urls(provider: SimulatedProvider) -> None:
    try:
        SimulatorServer(provider, host="0.0.0.0")
    except ValueError:
        pass
    else:
        raise AssertionError("binding a public interface must be refused")
    with SimulatorServer(provider, base_path="/api/v1/authorized/") as srv:
        assert srv.root_url == f"http://127.0.0.1:{srv.port}"
        assert srv.base_url == srv.root_url + "/api/v1/authorized"
        assert srv.health_url == srv.root_url + "/health"


def test_keep_alive_reuses_one_connection(server: SimulatorServer) -> None:
    with httpx.Client(base_url=server.base_url, headers={"Authorization": DEMO_TOKEN}) as c:
        peers = set()
        for page in range(5):
            with c.stream("GET", "/proxy", params={"page": page}) as r:
                r.read()
                peers.add(r.extensions["network_stream"].get_extra_info("client_addr"))
    assert len(peers) == 1
