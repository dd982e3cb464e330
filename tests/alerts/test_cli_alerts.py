"""`proxyshop-desktop alerts ...` in-process, and the cron path as child processes: a `sync` that
fails raises and sends the alert before it exits; a SIGKILL while it is sending loses nothing and
duplicates nothing; the next command delivers the rest, in order."""

from __future__ import annotations

import io
import json
import os
import signal
import sys
from pathlib import Path

import pytest

from proxyshop_desktop.cli import main
from proxyshop_desktop.simulator import DEMO_TOKEN, faults
from tests.alerts.conftest import CHAT_ID, NO_DAILY_SUMMARY
from tests.alerts.fakes import BOT_TOKEN, FakeBotApi
from tests.reliability.children import child_env, run, spawn, wait_for

# every command opens the shop's database: each test runs on both engines
pytestmark = pytest.mark.usefixtures("engine")
ON_BOTH_ENGINES = True


@pytest.fixture
def configured(bot: FakeBotApi, monkeypatch: pytest.MonkeyPatch) -> FakeBotApi:
    monkeypatch.setenv("PROXYSHOP_TELEGRAM_CHAT_ID", CHAT_ID)
    monkeypatch.setenv("PROXYSHOP_TELEGRAM_API_URL", bot.url)
    return bot


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_bot_token_set_status_clear(memory_keyring, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(BOT_TOKEN + "\n"))
    code, out, err = _cli(capsys, "alerts", "token", "set")
    assert code == 0 and "Bot token stored" in out and BOT_TOKEN not in out + err
    assert ("proxyshop-desktop", "telegram-bot-token") in memory_keyring.secrets
    assert ("proxyshop-desktop", "provider-api-token") not in memory_keyring.secrets
    code, out, _ = _cli(capsys, "alerts", "token", "status", "--json")
    assert json.loads(out)["source"] == "keyring"
    code, out, _ = _cli(capsys, "alerts", "token", "clear")
    assert code == 0 and "removed" in out
    assert memory_keyring.secrets == {}


def test_a_malformed_bot_token_is_refused(memory_keyring, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("not-a-token\n"))
    code, _, err = _cli(capsys, "alerts", "token", "set")
    assert code == 1 and "@BotFather" in err and memory_keyring.secrets == {}


def test_alerts_test_sends_and_status_reports(configured, bot_token, capsys):
    code, out, err = _cli(capsys, "alerts", "test")
    assert code == 0, err
    assert len(configured.delivered) == 1 and "Test" in configured.texts()[0]
    code, out, err = _cli(capsys, "alerts", "status", "--json")
    status = json.loads(out)
    assert code == 0 and status["enabled"] is True and status["bot_token"] == "environment"
    assert status["chat_id"] == CHAT_ID and status["queued"] == 0


def test_alerts_test_with_a_bad_token_says_so(configured, monkeypatch, capsys):
    bad = "4242:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    monkeypatch.setenv("PROXYSHOP_TELEGRAM_BOT_TOKEN", bad)
    code, out, err = _cli(capsys, "alerts", "test")
    assert code == 1
    assert "Telegram refused the bot token (Unauthorized)" in err and "@BotFather" in err
    assert bad not in out + err


def test_alerts_test_when_not_configured(capsys):
    code, _, err = _cli(capsys, "alerts", "test")
    assert code == 1 and "a bot token and a chat id not set" in err


@pytest.mark.slow
def test_cron_sync_alerts_survive_a_sigkill_while_sending(sim, bot: FakeBotApi, tmp_path: Path):
    env = child_env(
        tmp_path / "cron", sim.base_url, DEMO_TOKEN,
        PROXYSHOP_TELEGRAM_BOT_TOKEN=BOT_TOKEN, PROXYSHOP_TELEGRAM_CHAT_ID=CHAT_ID,
        PROXYSHOP_TELEGRAM_API_URL=bot.url, EXTERNAL_SOCKS_SYNC_PAGE_SIZE="100",
        PROXYSHOP_ALERT_EVENTS=NO_DAILY_SUMMARY,
    )
    assert run(env, "sync").returncode == 0
    sim.faults.add("list", faults.status(503), times="always")
    assert run(env, "sync").returncode == 1  # one failure: no alert yet
    assert bot.attempts == []
    bot.script.append("hold")  # Telegram takes the failing alert but never answers...
    child = spawn(env, "sync")
    wait_for(lambda: len(bot.attempts) == 1, what="the alert being sent")
    os.kill(child.pid, signal.SIGKILL)  # ...and the command dies while it waits
    child.communicate(timeout=30)
    bot.release.set()
    assert bot.delivered == []
    sim.faults.clear()
    done = run(env, "sync")  # the next cron run: the outage's alert first, then "recovered"
    assert done.returncode == 0, done.stderr
    texts = bot.texts()
    assert len(texts) == 2 and "Sync failing" in texts[0] and "Sync recovered" in texts[1]
    assert run(env, "sync").returncode == 0
    assert len(bot.texts()) == 2  # nothing delivered twice
