"""Audit messages in the reader's language (issue 12): audit.record keeps a Text's id and args
next to its English text, and a reader renders them in its own language; rows written before the
columns existed show their stored text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from proxyshop_desktop import i18n
from proxyshop_desktop.i18n import Text, joined, plain, translate
from proxyshop_desktop.models import migrations
from proxyshop_desktop.models.store import Store
from proxyshop_desktop.models.tables import AuditEvent
from proxyshop_desktop.services import audit
from tests.models.old_databases import build_old_database

ON_BOTH_ENGINES = True

RUSSIAN = {
    ("audit", "Sold proxy {0} (purchase {1})."): "Продан прокси {0} (покупка {1}).",
    ("errors", "The provider says: {0}"): "Поставщик отвечает: {0}",
}


def russian(context: str, source: str) -> str | None:
    return RUSSIAN.get((context, source))


def test_a_nested_text_with_exact_money_survives_the_database_json() -> None:
    text = translate("audit", "Sold proxy {0} (purchase {1}).").format(
        7, joined(translate("errors", "The provider says: {0}").format("нет"), plain("x")))
    text = text.format(Decimal("12.50"))  # an extra arg, exact
    back = i18n.from_stored(text.context, text.template, i18n.stored_args(text))
    assert back == text and isinstance(back.args[2], Decimal)
    assert back.render(russian) == "Продан прокси 7 (покупка Поставщик отвечает: нет x)."


def test_damaged_args_give_none_so_the_reader_shows_the_stored_text() -> None:
    for args in ("not json", '{"a": 1}', "[]", '[{"text": [1]}]'):
        assert i18n.from_stored("audit", "Sold proxy {0} (purchase {1}).", args) is None, args


def test_a_text_message_is_stored_with_its_id_and_read_back_translatable(store: Any) -> None:
    message = translate("audit", "Sold proxy {0} (purchase {1}).").format(41, 9001)
    store.run_blocking(audit.record, "sale", message, order_id="ORD-1")
    store.run_blocking(audit.record, "sale", "Plain English from an older caller.", order_id="ORD-2")
    rows = store.run_blocking(lambda: list(AuditEvent.select().order_by(AuditEvent.id)))
    assert [(r.message, r.message_context, r.message_key) for r in rows] == [
        ("Sold proxy 41 (purchase 9001).", "audit", "Sold proxy {0} (purchase {1})."),
        ("Plain English from an older caller.", None, None),
    ]
    old, new = store.run_blocking(audit.recent)  # newest first
    assert new.text == message and isinstance(new.shown, Text)
    assert new.shown.render(russian) == "Продан прокси 41 (покупка 9001)."
    assert new.message == "Sold proxy 41 (purchase 9001)."  # --json and old readers: English, exact
    assert old.text is None and old.shown == "Plain English from an older caller."


def test_rows_from_the_previous_schema_keep_their_text_and_new_rows_get_an_id(tmp_path: Any) -> None:
    path = tmp_path / "shop.sqlite3"
    build_old_database(path, 9)  # v10 added the message ids
    store = Store(path)
    assert store.open() == list(range(10, migrations.LATEST_VERSION + 1))
    try:
        store.run_blocking(audit.record, "sale", translate("audit", "Sold proxy {0} (purchase {1}).").format(1, 2))
        events = store.run_blocking(audit.recent)
    finally:
        store.close()
    newest, *old = events
    assert isinstance(newest.shown, Text) and newest.shown.render(russian) == "Продан прокси 1 (покупка 2)."
    assert old and all(e.text is None and e.shown == e.message == f"Sold {e.order_id}." for e in old)
