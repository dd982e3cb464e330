"""Reading a provider answer within bounds (issue 15): a size cap on the decoded body, decoded a
bounded step at a time, and hostile JSON reported as a bad response, never an internal error."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import httpx

from proxyshop_desktop.errors import BadResponseError
from proxyshop_desktop.i18n import translate

#: What hostile JSON raises in the parsers: deep nesting (RecursionError), numbers of thousands of
#: digits (ValueError: int max str digits), ids beyond 64 bits (OverflowError further down).
HOSTILE_JSON = (RecursionError, ValueError, OverflowError)


@dataclass(frozen=True)
class Reply:
    """A provider answer read in full, within the size cap (`Settings.max_reply_mb`)."""

    status_code: int
    headers: httpx.Headers
    content: bytes


class TooLarge(Exception):
    """The answer passed the size cap; it was not read further."""


_STEP = 1 << 20  # decoded bytes per decompression step: a bomb never inflates more at once


class Inflate:
    """Decodes a body as it arrives, a bounded step at a time, and stops past `cap` decoded bytes.

    httpx's own decoder inflates each received chunk whole (64 KiB of gzip can be 64 MB), so the
    client asks only for the encodings decoded here (`Accept-Encoding`)."""

    def __init__(self, encoding: str, cap: int) -> None:
        name = encoding.strip().lower()
        if name in ("", "identity"):
            self._z = None
        elif name in ("gzip", "x-gzip", "deflate"):
            self._z = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
        else:
            raise httpx.DecodingError(f"unsupported Content-Encoding {encoding!r}")
        self._cap, self._size = cap, 0
        self._parts: list[bytes] = []

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._cap:
            raise TooLarge
        self._parts.append(data)

    def feed(self, data: bytes) -> None:
        if self._z is None:
            self._keep(data)
            return
        try:
            while data:
                self._keep(self._z.decompress(data, _STEP))
                data = self._z.unconsumed_tail
        except zlib.error as exc:
            raise httpx.DecodingError(str(exc)) from None

    def content(self) -> bytes:
        if self._z is not None:
            self._keep(self._z.flush())
        return b"".join(self._parts)


def hostile(endpoint: str, exc: BaseException) -> BadResponseError:
    return BadResponseError(
        translate("errors", "The provider sent JSON to {0} that cannot be read safely ({1}: "
                  "nested too deep, or a number too long).").format(endpoint, type(exc).__name__)
    )
