"""Provider-side refusals, each carrying the HTTP status the simulated server answers with.

Why exceptions: :class:`~.provider.SimulatedProvider` is used directly by tests as well as over
HTTP; both see the same refusal, only the server turns it into a status code and a JSON body.
"""

from __future__ import annotations


class SimError(Exception):
    """A provider-side refusal; ``status`` is the HTTP status the server answers with."""

    status = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class ProxyNotFound(SimError):
    status = 404


class PurchaseNotFound(SimError):
    status = 404


class BalanceTooLow(SimError):
    status = 403


class RemoteFailure(SimError):
    status = 503


class NotRefundable(SimError):
    status = 400


class BadRequest(SimError):
    """A malformed request (bad query parameter or body)."""

    status = 400
