"""The CLI's language: English by default, Russian by LANG/LC_MESSAGES or --lang ru, read from the
shipped .ts without Qt; --json stays English."""

import json
import os
import subprocess
import sys

import pytest

ON_BOTH_ENGINES = True

UNREACHABLE = "https://127.0.0.1:9/api/v1/authorized"
RUSSIAN = "error: Не удаётся связаться с провайдером (ConnectError). Проверьте адрес провайдера и сеть"
ENGLISH = "error: Cannot reach the provider (ConnectError). Check the provider URL and the network"
NO_QT = ("import sys; from proxyshop_desktop.cli import main; rc = main(sys.argv[1:]); "
         "qt = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]; "
         "assert not qt, qt; sys.exit(rc)")


def run(tmp_path, *argv, lang="C.UTF-8"):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("EXTERNAL_SOCKS_", "LC_")) and k != "LANG"}
    env.update(LANG=lang, PROXYSHOP_DATA_DIR=str(tmp_path / "data"), EXTERNAL_SOCKS_API_URL=UNREACHABLE,
               EXTERNAL_SOCKS_API_TOKEN="tok-3f9a1c77e2b54d0a")
    return subprocess.run([sys.executable, "-c", NO_QT, *argv], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.mark.parametrize(("lang", "argv", "expected"), [
    ("ru_RU.UTF-8", ["sync"], RUSSIAN),
    ("C.UTF-8", ["--lang", "ru", "sync"], RUSSIAN),
    ("ru_RU.UTF-8", ["sync", "--lang", "en"], ENGLISH),
    ("C.UTF-8", ["sync"], ENGLISH),
], ids=["LANG=ru", "--lang ru", "--lang en beats LANG", "default English"])
def test_the_error_line_speaks_the_chosen_language_without_qt(tmp_path, lang, argv, expected):
    done = run(tmp_path, *argv, lang=lang)
    assert done.returncode == 1, done.stderr
    assert "AssertionError" not in done.stderr  # no Qt module was imported
    assert [line for line in done.stderr.splitlines() if line.startswith("error: ")] == [
        line for line in done.stderr.splitlines() if line.startswith(expected)]
    assert expected in done.stderr


def test_json_stays_english_under_russian(tmp_path):
    done = run(tmp_path, "sync", "--json", "--lang", "ru", lang="ru_RU.UTF-8")
    assert done.returncode == 1 and "AssertionError" not in done.stderr
    assert json.loads(done.stdout) == {
        "status": "error", "error": "Cannot reach the provider (ConnectError).",
        "hint": "Check the provider URL and the network; the app keeps working on local data.", "exit_code": 1}
    assert RUSSIAN in done.stderr  # the human line follows the language


def test_a_usage_error_and_an_unknown_language(tmp_path):
    done = run(tmp_path, "--lang", "xx", "stats")
    assert done.returncode == 2 and "error: " in done.stderr and "xx" in done.stderr


def test_the_token_and_alerts_status_speak_russian(tmp_path):
    token = run(tmp_path, "token", "status", lang="ru_RU.UTF-8")
    assert token.returncode == 0, token.stderr
    assert token.stdout.startswith("Токен задан через EXTERNAL_SOCKS_API_TOKEN")
    alerts = run(tmp_path, "--lang", "ru", "alerts", "status")
    assert alerts.returncode == 0, alerts.stderr
    assert alerts.stdout.splitlines()[0] == "Оповещения: выключены."
    assert "ID чата: не задан (telegram_chat_id)" in alerts.stdout
    english = run(tmp_path, "alerts", "status")
    assert english.stdout.splitlines()[0] == "Alerts: off."
