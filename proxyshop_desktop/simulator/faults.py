"""Fault injection and request accounting for the simulated provider.

Why: the shop's hardest code paths (retries, unknown buy outcomes, half-finished syncs) only run
when the provider misbehaves. A :class:`FaultPlan` is consulted once per request; faults are queued
per endpoint (or ``"*"``) and fire once, ``times=N`` times, or ``"always"``. The same plan can be
filled from Python or, for a simulator in another process, from JSON over ``POST /_sim/faults``.
A :class:`RequestLog` lets tests assert call counts ("buy was called exactly once").
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

ENDPOINTS = (
    "list", "lookup", "buy", "bought", "credentials", "check_refundable", "refund", "health",
)
FaultKind = Literal[
    "delay", "status", "html_error", "truncated", "non_utf8", "drop_after_commit", "drop",
    "mutate_listing_after_page", "empty_page", "gzip_bomb", "hostile_json",
]
_COMMITTING_BY_DEFAULT = ("truncated", "drop_after_commit", "empty_page")
HostileVariant = Literal["deep", "bignum", "bigid"]


class Fault(BaseModel):
    """One injected misbehaviour. Unused fields are ignored for kinds that do not need them.

    ``commit``: whether the real action (a charge, a refund) happens before the fault shapes the
    answer. Defaults to True for ``truncated`` and ``drop_after_commit``, False otherwise.
    """

    model_config = ConfigDict(extra="forbid")

    kind: FaultKind
    endpoint: str = "*"
    times: int | Literal["always"] = Field(default=1)
    seconds: float = 0.0
    code: int | None = None
    body: Any = None
    headers: dict[str, str] = Field(default_factory=dict)
    commit: bool | None = None
    page: int = 0
    insert: int = 5
    remove: int = 0
    #: only a `GET /proxy` request for this page fires the fault (None: any request)
    on_page: int | None = None
    megabytes: int = Field(default=768, ge=1, le=4096)  # gzip_bomb: the inflated size
    variant: HostileVariant = "deep"  # hostile_json
    fired: int = 0

    @field_validator("endpoint")
    @classmethod
    def _known_endpoint(cls, value: str) -> str:
        if value != "*" and value not in ENDPOINTS:
            raise ValueError(f"unknown endpoint {value!r}; use one of {ENDPOINTS} or '*'")
        return value

    @field_validator("times")
    @classmethod
    def _positive(cls, value: int | str) -> int | str:
        if isinstance(value, int) and value < 1:
            raise ValueError("times must be >= 1 or 'always'")
        return value

    @property
    def commits(self) -> bool:
        return self.commit if self.commit is not None else self.kind in _COMMITTING_BY_DEFAULT


# ------------------------------------------------------------------ constructors
def delay(seconds: float, **kw: Any) -> Fault:
    """Sleep before answering (combine with a timeout on the client)."""
    return Fault(kind="delay", seconds=seconds, **kw)


def status(code: int, body: Any = None, headers: dict[str, str] | None = None,
           **kw: Any) -> Fault:
    """Answer ``code`` with ``body`` (JSON value, str or None for a default JSON error)."""
    return Fault(kind="status", code=code, body=body, headers=headers or {}, **kw)


def html_error(code: int = 502, **kw: Any) -> Fault:
    """An HTML error page, as a reverse proxy in front of the provider would send."""
    return Fault(kind="html_error", code=code, **kw)


def truncated(**kw: Any) -> Fault:
    """The real JSON answer cut mid-way (Content-Length matches the cut body)."""
    return Fault(kind="truncated", **kw)


def non_utf8(code: int = 200, **kw: Any) -> Fault:
    """A body of bytes that are not UTF-8 at all."""
    return Fault(kind="non_utf8", code=code, **kw)


def drop_after_commit(**kw: Any) -> Fault:
    """Do the action (charge / refund), then close the connection without answering."""
    return Fault(kind="drop_after_commit", **kw)


def drop(**kw: Any) -> Fault:
    """Close the connection without doing anything."""
    return Fault(kind="drop", **kw)


def mutate_listing_after_page(page: int, insert: int = 5, remove: int = 0, **kw: Any) -> Fault:
    """After page ``page`` of ``GET /proxy`` is served, insert ``insert`` proxies before every
    page (duplicates on later pages) and take the first ``remove`` online proxies offline
    (misses)."""
    return Fault(kind="mutate_listing_after_page", endpoint="list", page=page, insert=insert,
                 remove=remove, **kw)


def empty_page(page: int, **kw: Any) -> Fault:
    """Page ``page`` of the listing comes back empty but with the real ``total`` (a provider
    hiccup: the listing looks as if it ended early)."""
    return Fault(kind="empty_page", endpoint="list", on_page=page, **kw)


def gzip_bomb(megabytes: int = 768, **kw: Any) -> Fault:
    """A listing page of whitespace, ``megabytes`` MB once inflated, sent gzip-compressed
    (about 1/1000 of that on the wire)."""
    return Fault(kind="gzip_bomb", megabytes=megabytes, **kw)


def hostile_json(variant: HostileVariant, **kw: Any) -> Fault:
    """Valid-looking but hostile JSON: ``deep`` nesting, a 5,000-digit ``bignum``, or a
    30-digit ``bigid`` proxy_id."""
    return Fault(kind="hostile_json", variant=variant, **kw)


class FaultPlan:
    """Thread-safe queues of pending faults, consulted by the server once per request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, list[Fault]] = {}
        self._left: dict[int, int | None] = {}  # id(fault) -> firings left, None = always

    def add(self, endpoint: str, fault: Fault,
            times: int | Literal["always"] | None = None) -> Fault:
        """Queue a copy of ``fault`` for ``endpoint`` (an endpoint name or ``"*"``)."""
        data = fault.model_dump()
        data["endpoint"] = "list" if fault.kind == "mutate_listing_after_page" else endpoint
        if times is not None:
            data["times"] = times
        return self._queue(Fault.model_validate(data))

    def _queue(self, fault: Fault) -> Fault:
        with self._lock:
            self._queues.setdefault(fault.endpoint, []).append(fault)
            self._left[id(fault)] = None if fault.times == "always" else int(fault.times)
        return fault

    def load(self, payload: Any) -> list[Fault]:
        """Queue faults described as JSON: one object, a list, or ``{"faults": [...],
        "replace": bool}``. Raises ``pydantic.ValidationError`` on a bad description."""
        if isinstance(payload, dict) and "faults" in payload:
            if payload.get("replace"):
                self.clear()
            payload = payload["faults"]
        specs = payload if isinstance(payload, list) else [payload]
        faults = [Fault.model_validate(spec) for spec in specs]  # validate all before queueing
        return [self._queue(f) for f in faults]

    def clear(self) -> None:
        with self._lock:
            self._queues.clear()
            self._left.clear()

    def _consume(self, queue: list[Fault], fault: Fault) -> None:
        fault.fired += 1
        left = self._left.get(id(fault))
        if left is None:
            return
        if left <= 1:
            queue.remove(fault)
            self._left.pop(id(fault), None)
        else:
            self._left[id(fault)] = left - 1

    def take(self, endpoint: str, page: int | None = None) -> tuple[float, Fault | None]:
        """The delay and the (non-delay) fault to apply to this request, consuming them.

        The endpoint's own queue is consulted before ``"*"``; in each queue the oldest pending
        fault of each sort wins, so one-shot faults queued in a row fire on successive requests.
        A fault with ``on_page`` fires only for that listing page.
        """
        seconds, action = 0.0, None
        with self._lock:
            for name in (endpoint, "*"):
                queue = self._queues.get(name, [])
                for fault in list(queue):
                    if fault.kind == "mutate_listing_after_page":
                        continue
                    if fault.on_page is not None and fault.on_page != page:
                        continue
                    if fault.kind == "delay":
                        if not seconds:
                            seconds = fault.seconds
                            self._consume(queue, fault)
                    elif action is None:
                        action = fault
                        self._consume(queue, fault)
        return seconds, action

    def take_mutation(self, page: int) -> Fault | None:
        """A pending listing mutation armed for ``page``, consumed; None otherwise."""
        with self._lock:
            queue = self._queues.get("list", [])
            for fault in queue:
                if fault.kind == "mutate_listing_after_page" and fault.page == page:
                    self._consume(queue, fault)
                    return fault
        return None

    def pending(self) -> list[dict[str, Any]]:
        """Descriptions of the faults still queued (for ``GET /_sim/stats``)."""
        with self._lock:
            return [f.model_dump() | {"left": self._left.get(id(f))}
                    for queue in self._queues.values() for f in queue]


@dataclass
class RequestRecord:
    """One API request. Logged on arrival (so a request whose client timed out still counts);
    ``status`` and ``fault`` are filled in when the answer is decided."""

    endpoint: str
    method: str
    params: dict[str, Any]
    timestamp: float
    status: int | None = None  # None: not answered (yet), or the connection was dropped
    fault: str | None = None
    completed: bool = False


@dataclass
class RequestLog:
    """Every API request the simulator saw (bounded), and counters per endpoint."""

    maxlen: int = 100_000
    _records: deque[RequestRecord] = field(init=False)
    _counts: Counter[str] = field(init=False, default_factory=Counter)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._records = deque(maxlen=self.maxlen)

    def start(self, endpoint: str, method: str, params: dict[str, Any]) -> RequestRecord:
        entry = RequestRecord(endpoint, method, params, time.time())
        with self._lock:
            self._records.append(entry)
            self._counts[endpoint] += 1
        return entry

    def finish(self, entry: RequestRecord, status: int | None, fault: str | None) -> None:
        with self._lock:
            entry.status, entry.fault, entry.completed = status, fault, True

    def count(self, endpoint: str | None = None) -> int:
        with self._lock:
            return self._counts[endpoint] if endpoint else sum(self._counts.values())

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def records(self, endpoint: str | None = None) -> list[RequestRecord]:
        with self._lock:
            return [r for r in self._records if endpoint is None or r.endpoint == endpoint]

    def as_json(self, endpoint: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        with self._lock:
            chosen = [r for r in self._records if endpoint is None or r.endpoint == endpoint]
            return [asdict(r) for r in chosen[-limit:]]

    def clear(self) -> None:
        with self._lock:
            self._records.clear()
            self._counts.clear()
