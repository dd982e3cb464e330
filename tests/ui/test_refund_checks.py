"""The Refunds tab's two checks cannot be taken for one another: asking the provider about a
refund and testing the sold proxy are named apart, sit in their own groups, and each tooltip
says what the other one does not."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGroupBox, QPushButton


def _group_of(button: QPushButton) -> str:
    parent = button.parentWidget()
    assert isinstance(parent, QGroupBox)
    return parent.title()


def test_the_provider_check_and_the_proxy_check_are_named_and_grouped_apart(main_window: Any) -> None:
    tab = main_window.refunds_tab
    provider, proxy = tab.check_button, tab.proxy_check.button
    assert provider.text() == "Ask provider about refund"
    assert proxy.text() == "Check proxy"
    assert provider.accessibleName() != proxy.accessibleName()
    assert _group_of(provider) == "Refund at the provider"
    assert _group_of(proxy) == "Sold proxy"
    assert _group_of(tab.refund_button) == "Refund at the provider"  # the check sits by what it is for
    assert "the proxy itself is not tested" in provider.toolTip()
    assert "proxy with its own login" in proxy.toolTip() and "refund" not in proxy.toolTip().lower()
    assert tab.proxy_check.history_label.parentWidget() is proxy.parentWidget()  # its stored checks
