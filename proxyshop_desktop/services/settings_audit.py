"""The audit entry of a settings change (`Shop.save_settings` writes it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from proxyshop_desktop.config import Settings
from proxyshop_desktop.models.target import DatabaseTarget


def settings_summary(before: Settings, after: Settings, labels: Mapping[str, str] | None = None, *,
                     token_replaced: bool = False, notes: Sequence[str] = ()) -> str:
    """The audit entry of a settings change: each changed field, old -> new (never a token)."""
    names = labels or {name: name for name in Settings.model_fields}

    def shown(settings: Settings, name: str) -> object:
        value = getattr(settings, name)
        return DatabaseTarget(value).shown if name == "database_url" else value  # no password

    changes = [f"{names[name]} {shown(before, name)} → {shown(after, name)}"
               for name in names if getattr(before, name) != getattr(after, name)]
    if token_replaced:
        changes.append("API token replaced")  # never the token itself
    changes.extend(notes)
    return "Settings saved" + (": " + "; ".join(changes) if changes else " (no change)")
