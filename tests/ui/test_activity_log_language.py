"""The Activity log shows each audit message in the window's language (issue 12): a message kept
with its id is translated by the installed translators; an older row shows its stored text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from proxyshop_desktop.i18n import translate
from proxyshop_desktop.services import audit
from proxyshop_desktop.ui import translations
from proxyshop_desktop.ui.activity_log import ActivityLog
from proxyshop_desktop.ui.bridge import ShopBridge


@pytest.fixture
def russian_window(qapp: Any) -> Iterator[None]:
    assert translations.install_translators(qapp, translations.window_locale("ru")), "no proxyshop_ru.qm"
    yield
    translations.install_translators(qapp, translations.window_locale("en"))  # locale back too


def test_messages_with_an_id_are_translated_and_old_ones_shown_as_stored(
    russian_window: None, qtbot: Any, gui_shop: Any, bridge: ShopBridge, run: Any
) -> None:
    def write() -> None:
        audit.record("refund_refused", "Stored before messages had an id.", ok=False)
        audit.record("refund_refused", translate("errors", "The provider says: {0}").format("no"), ok=False)
    gui_shop.store.run_blocking(write)
    log = ActivityLog(bridge)
    qtbot.addWidget(log)
    run(log.refresh())
    assert [log.model.row_text(r)[6] for r in range(log.model.rowCount())] == [
        "Ответ провайдера: no", "Stored before messages had an id."]
