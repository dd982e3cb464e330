"""Times are timezone-aware UTC inside the app; local time only on screen."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def parse_loose_datetime(value: object) -> datetime | None:
    """Parse the provider's loose ISO 8601 ('...Z', no zone, epoch seconds); None if unusable."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(float(value), UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a 'Z'-free explicit offset, seconds precision."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds")
