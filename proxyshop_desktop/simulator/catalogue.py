"""Deterministic, realistic proxy catalogue for the simulated provider.

Why this shape: the shop must cope with the provider's loose data (Unicode cities, zip as str or
int, speed as number or numeric string, the odd missing field), so the simulator produces exactly
that, reproducibly from a seed. Benchmarks need 200,000 items quickly, so every per-country table
is built once and each item costs one ``random()`` (country) and two ``getrandbits(64)`` calls
whose bits are sliced for every other choice.
"""

from __future__ import annotations

import bisect
import functools
import gc
import itertools
import random
from typing import Any, NamedTuple

from .geodata import CONTINENTS, COUNTRIES, HOSTING_ISPS, Country, Isp

FIRST_PROXY_ID = 100_000
_ZIPS_PER_CITY = 16
_RESIDENTIAL_PCT = 60
_MOBILE_PCT = 25  # the remaining 15 % are hosting
_JITTERS = 64
_SPEED_STEPS = 4096


class _CityRow(NamedTuple):
    base: dict[str, Any]  # country/city/region fields shared by every proxy of this city
    lat: float
    lon: float
    lats: tuple[float, ...]  # _JITTERS jittered positions, picked by random bits
    lons: tuple[float, ...]
    zips: tuple[str | None, ...]
    zips_int: tuple[str | int | None, ...]  # same zips, numeric ones as int


class _IspRow(NamedTuple):
    isp: str
    orgs: tuple[str, str, str, str]
    as_name: str


class _CountryRow(NamedTuple):
    code: str
    octets: tuple[int, ...]
    cities: tuple[_CityRow, ...]
    fixed_isps: tuple[_IspRow, ...]
    mobile_isps: tuple[_IspRow, ...]


def _fill_zip(template: str, rng: random.Random) -> str | None:
    if not template:
        return None
    out = []
    for ch in template:
        if ch == "#":
            out.append(str(rng.randrange(10)))
        elif ch == "@":
            out.append(chr(65 + rng.randrange(26)))
        else:
            out.append(ch)
    return "".join(out)


def _isp_row(isp: Isp, region_hint: str) -> _IspRow:
    orgs = (isp.name, isp.as_label, f"{isp.name} ({region_hint})", isp.name)
    return _IspRow(isp.name, orgs, f"AS{isp.asn} {isp.as_label}")


def _country_row(country: Country) -> _CountryRow:
    cities = []
    for city in country.cities:
        rng = random.Random(f"{country.code}:{city.name}")  # str seeds hash deterministically
        zips = tuple(_fill_zip(city.zip_template, rng) for _ in range(_ZIPS_PER_CITY))
        zips_int = tuple(
            int(z) if z and z.isdigit() and not z.startswith("0") else z for z in zips
        )
        base = {  # the full key order of an item; generation copies it and fills the blanks
            "proxy_id": 0,
            "proxy_ip": "",
            "country": country.name,
            "country_code": country.code,
            "city": city.name,
            "region": city.region,
            "region_name": city.region_name,
            "continent": CONTINENTS[country.continent_code],
            "continent_code": country.continent_code,
            "zip": None, "isp": "", "org": "", "as_name": "", "lat": 0.0, "lon": 0.0,
            "speed": 0, "mobile": False, "hosting": False, "status": 1,
        }
        lats = tuple(round(city.lat + rng.uniform(-0.15, 0.15), 4) for _ in range(_JITTERS))
        lons = tuple(round(city.lon + rng.uniform(-0.15, 0.15), 4) for _ in range(_JITTERS))
        cities.append(_CityRow(base, city.lat, city.lon, lats, lons, zips, zips_int))
    fixed = tuple(_isp_row(i, country.name) for i in country.isps)
    mobile = tuple(_isp_row(i, country.name) for i in country.isps if i.mobile) or fixed
    return _CountryRow(country.code, country.first_octets, tuple(cities), fixed, mobile)


@functools.cache
def _speed_forms() -> tuple[tuple[int | float | str, ...], ...]:
    """Speeds indexed by [form][step]: int, float and numeric-string spellings of one value."""
    steps = range(_SPEED_STEPS)
    raw = [40.0 + (i / (_SPEED_STEPS - 1)) ** 2 * 1460.0 + (i % 7) / 10 for i in steps]
    as_int = tuple(int(v) for v in raw)
    as_float = tuple(round(v, 1) for v in raw)
    as_str = tuple(f"{v:.1f}" for v in raw)
    as_int_str = tuple(str(int(v)) for v in raw)
    return (as_int,) * 8 + (as_float,) * 5 + (as_str,) * 2 + (as_int_str,)


@functools.cache
def _tables() -> tuple[tuple[_CountryRow, ...], list[float], tuple[_IspRow, ...]]:
    rows = tuple(_country_row(c) for c in COUNTRIES)
    cum_weights = list(itertools.accumulate(c.weight for c in COUNTRIES))
    hosting = tuple(_isp_row(i, "data centre") for i in HOSTING_ISPS)
    return rows, cum_weights, hosting


def country_codes() -> list[str]:
    """ISO codes the catalogue draws from (handy for filters in tests and the demo)."""
    return [c.code for c in COUNTRIES]


def generate_catalogue(
    count: int, seed: int = 7, start_id: int = FIRST_PROXY_ID
) -> list[dict[str, Any]]:
    """Return ``count`` proxy dicts shaped like the provider's listing items, ids ascending.

    The same ``(count, seed, start_id)`` always yields the same list.
    """
    rows, cum_weights, hosting = _tables()
    rng = random.Random(seed)
    speeds = _speed_forms()
    seen_ips: set[int] = set()
    items: list[dict[str, Any]] = []
    pid = start_id
    gc_was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of new dicts would trigger pointless collections
    try:
        _fill(items, count, pid, rows, cum_weights, hosting, speeds, rng, seen_ips)
    finally:
        if gc_was_enabled:
            gc.enable()
    return items


def _fill(items: list[dict[str, Any]], count: int, pid: int, rows: tuple[_CountryRow, ...],
          cum_weights: list[float], hosting: tuple[_IspRow, ...],
          speeds: tuple[tuple[int | float | str, ...], ...], rng: random.Random,
          seen_ips: set[int]) -> None:
    bits, uniform, pick = rng.getrandbits, rng.random, bisect.bisect
    top = cum_weights[-1]
    for _ in range(count):  # one item at a time, so a longer catalogue extends a shorter one
        row = rows[pick(cum_weights, uniform() * top)]
        b1 = bits(64)
        b2 = bits(64)
        city = row.cities[((b1 >> 28) & 0xFF) % len(row.cities)]
        klass = ((b1 >> 40) & 0xFFFF) % 100
        if klass < _RESIDENTIAL_PCT:
            mobile, hosting_flag, isps = False, False, row.fixed_isps
        elif klass < _RESIDENTIAL_PCT + _MOBILE_PCT:
            mobile, hosting_flag, isps = True, False, row.mobile_isps
        else:
            mobile, hosting_flag, isps = False, True, hosting
        isp = isps[(b1 >> 60) % len(isps)]

        ip = (row.octets[((b1 >> 24) & 0xF) % len(row.octets)] << 24) | (b1 & 0xFFFFFF)
        while ip in seen_ips or (ip & 0xFF) in (0, 255):
            ip += 1
        seen_ips.add(ip)

        zip_idx = (b2 >> 40) & 0xF
        zip_code = city.zips_int[zip_idx] if (b2 >> 44) & 3 == 0 else city.zips[zip_idx]
        item = city.base.copy()  # much cheaper than a 19-key dict literal
        item["proxy_id"] = pid
        item["proxy_ip"] = f"{ip >> 24}.{(ip >> 16) & 255}.{(ip >> 8) & 255}.{ip & 255}"
        item["zip"] = zip_code
        item["isp"] = isp.isp
        item["org"] = isp.orgs[(b2 >> 60) & 3]
        item["as_name"] = isp.as_name
        item["lat"] = city.lats[(b2 >> 16) & 0x3F]
        item["lon"] = city.lons[(b2 >> 28) & 0x3F]
        item["speed"] = speeds[(b1 >> 56) & 0xF][b2 & 0xFFF]
        item["mobile"] = mobile
        item["hosting"] = hosting_flag
        quirk = (b2 >> 52) & 0xFF  # rare looseness the contract allows
        if quirk == 0:
            item["zip"] = None
        elif quirk == 1:
            del item["org"]
        elif quirk == 2:
            item["region_name"] = None
        elif quirk in (3, 4):
            item["anonymity"] = "elite"  # an extra field the client must ignore
        items.append(item)
        pid += 2 if (b2 >> 46) & 0xF == 0 else 1  # occasional gaps, like a real id space


def mutate_item(item: dict[str, Any], rng: random.Random) -> str:
    """Change one field of ``item`` in place (speed, isp or city); return the field's name."""
    rows, _, hosting = _tables()
    row = next((r for r in rows if r.code == item.get("country_code")), rows[0])
    choice = rng.randrange(3)
    if choice == 0 or (choice == 2 and len(row.cities) < 2):
        old = item.get("speed")
        while item.get("speed") == old:
            item["speed"] = rng.randint(40, 1500)
        return "speed"
    if choice == 1:
        pool = hosting if item.get("hosting") else row.fixed_isps
        isp = rng.choice([p for p in pool if p.isp != item.get("isp")] or list(pool))
        item.update(isp=isp.isp, org=isp.orgs[0], as_name=isp.as_name)
        return "isp"
    city = rng.choice([c for c in row.cities if c.base["city"] != item.get("city")])
    item.update({k: city.base[k] for k in ("city", "region", "region_name")})
    item.update(zip=city.zips[0], lat=city.lats[0], lon=city.lons[0])
    return "city"
