"""Backoff for read-only provider calls. `buy` and `refund` never go through here."""

from __future__ import annotations

import random
from dataclasses import dataclass

from proxyshop_desktop.errors import (
    BadResponseError,
    ProviderError,
    ProviderUnavailableError,
    RateLimitedError,
)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # first try included
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 30.0  # a provider's Retry-After above this is not waited out

    def should_retry(self, error: ProviderError, attempt: int) -> bool:
        if attempt >= self.attempts:
            return False
        if isinstance(error, RateLimitedError):
            return error.retry_after is None or error.retry_after <= self.max_retry_after
        return isinstance(error, (ProviderUnavailableError, BadResponseError))

    def delay(self, error: ProviderError, attempt: int) -> float:
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            return min(error.retry_after, self.max_retry_after)
        backoff = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return backoff * (0.5 + random.random() / 2)  # jitter: clients do not retry in lockstep


NO_RETRY = RetryPolicy(attempts=1)
