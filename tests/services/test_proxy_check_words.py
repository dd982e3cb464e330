"""A proxy check's words are an i18n.Text: the window, the CLI and the Activity log render them in
the operator's language; JSON and the stored check keep the English (services/proxy_check.py)."""

from __future__ import annotations

from python_socks import ProxyError

from proxyshop_desktop import i18n
from proxyshop_desktop.services import proxy_check
from proxyshop_desktop.services.proxy_check import CheckOutcome, ProxyAddress


def test_a_checks_words_are_a_text_the_operators_language_renders():
    failed = proxy_check._classify(ProxyError("SOCKS5 authentication failed"),
                                   ProxyAddress("198.51.100.1", 1080, "u", "p"), "ifconfig.example")
    assert failed.outcome is CheckOutcome.LOGIN_REFUSED
    assert failed.message == "The proxy at 198.51.100.1:1080 refuses the sold login and password."
    before = i18n.current_language()
    try:
        i18n.set_language("ru")
        assert i18n.render(failed.text) == "Прокси 198.51.100.1:1080 не принимает проданные логин и пароль."
    finally:
        i18n.set_language(before)
