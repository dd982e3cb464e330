from __future__ import annotations

from collections import Counter

from proxyshop_desktop.simulator import generate_catalogue


def test_same_seed_same_catalogue_and_longer_extends_shorter() -> None:
    assert generate_catalogue(500, seed=3) == generate_catalogue(500, seed=3)
    assert generate_catalogue(1000, seed=3)[:500] == generate_catalogue(500, seed=3)
    assert generate_catalogue(500, seed=3) != generate_catalogue(500, seed=4)


def test_items_look_like_the_contract() -> None:
    items = generate_catalogue(5000)
    ids = [i["proxy_id"] for i in items]
    assert ids == sorted(ids) and len(set(ids)) == len(ids) and ids[0] == 100_000
    assert len({i["proxy_ip"] for i in items}) == len(items)
    assert all(i["status"] == 1 for i in items)
    countries = Counter(i["country_code"] for i in items)
    assert len(countries) >= 35 and countries.most_common(1)[0][0] == "US"
    cities = {i["city"] for i in items}
    assert {"São Paulo", "Москва", "Zürich", "東京"} <= cities
    assert {type(i["speed"]) for i in items} == {int, float, str}
    assert all(40 <= float(i["speed"]) <= 1501 for i in items)
    assert {type(i["zip"]) for i in items} >= {int, str}
    classes = Counter((i["mobile"], i["hosting"]) for i in items)
    assert 0.55 < classes[(False, False)] / len(items) < 0.65
    assert 0.20 < classes[(True, False)] / len(items) < 0.30
    assert 0.10 < classes[(False, True)] / len(items) < 0.20
    assert all(isinstance(i["lat"], float) and isinstance(i["lon"], float) for i in items)
    assert any("org" not in i for i in items)  # the contract allows missing fields


def test_200k_catalogue_generates() -> None:
    items = generate_catalogue(200_000)
    assert len(items) == 200_000
