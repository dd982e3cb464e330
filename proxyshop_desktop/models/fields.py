"""Column types: UTC datetimes as ISO text (sortable, readable), money as integer cents."""

from __future__ import annotations

from datetime import UTC, datetime

import peewee


class UtcDateTimeField(peewee.TextField):
    """Stores an aware datetime as 'YYYY-MM-DDTHH:MM:SS.ffffff+00:00' (lexically sortable)."""

    def db_value(self, value: datetime | str | None) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def python_value(self, value: str | None) -> datetime | None:
        if value is None:
            return None
        return datetime.fromisoformat(value)


def db_time(value: datetime) -> str:
    """The stored form of a datetime, for raw SQL and executemany."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")
