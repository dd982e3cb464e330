"""Answers for the hostile-input faults (issue 15): a listing that ends early, a compressed
oversized page, JSON that breaks naive parsers. Kept apart from the server's plumbing."""

from __future__ import annotations

import functools
import json
import zlib

from .faults import Fault
from .wire import Reply

_MB = 1 << 20


@functools.lru_cache(maxsize=4)
def _bomb(megabytes: int) -> bytes:
    """gzip of `{"proxies":[` + `megabytes` MB of spaces + `]}`: ~1/1000 of it on the wire.
    Compressed a chunk at a time, so building it never holds the inflated text."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip container
    parts = [packer.compress(b'{"proxies":[')]
    blank = b" " * _MB
    parts.extend(packer.compress(blank) for _ in range(megabytes))
    parts.append(packer.compress(b"]}"))
    parts.append(packer.flush())
    return b"".join(parts)


def _hostile_json(variant: str) -> bytes:
    if variant == "deep":
        return b'{"proxies":' + b"[" * 100_000 + b"]" * 100_000 + b',"total":1}'
    if variant == "bignum":
        return b'{"proxies":[{"proxy_id":1,"speed":' + b"9" * 5000 + b'}],"total":1}'
    # a 30-digit id: a valid JSON integer that no 64-bit database column can hold
    return b'{"proxies":[{"proxy_id":' + b"1" * 30 + b',"status":1}],"total":1}'


def hostile_reply(fault: Fault, reply: Reply | None) -> Reply:
    headers = dict(fault.headers)
    if fault.kind == "empty_page":
        total = None
        if reply is not None and reply[0] == 200:
            total = json.loads(reply[1]).get("total")
        body = {"proxies": []} if total is None else {"proxies": [], "total": total}
        return 200, json.dumps(body).encode(), "application/json", headers
    if fault.kind == "gzip_bomb":
        headers["Content-Encoding"] = "gzip"
        return 200, _bomb(fault.megabytes), "application/json", headers
    return 200, _hostile_json(fault.variant), "application/json", headers
