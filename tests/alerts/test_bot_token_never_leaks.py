"""The bot token is in every Bot API URL. Through the real CLI at DEBUG (test message, a cron
sync whose failure is alerted, a 429, a bad token), it is found in no file under the data dir, no
output and no captured log record; and httpx's own request line, if let through, is scrubbed."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from pathlib import Path

import pytest

from proxyshop_desktop.alerts.telegram import TelegramClient, TelegramConfig
from proxyshop_desktop.cli import main
from proxyshop_desktop.logging_setup import REDACTED, configure_logging, shutdown_logging
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.simulator import DEMO_TOKEN, faults
from tests.alerts.conftest import CHAT_ID, NO_DAILY_SUMMARY
from tests.alerts.fakes import BOT_TOKEN, FakeBotApi, rate_limited
from tests.reliability.children import rows_containing

ON_BOTH_ENGINES = True


@pytest.fixture
def env(sim, bot: FakeBotApi, monkeypatch, engine):
    for name, value in {
        "EXTERNAL_SOCKS_API_URL": sim.base_url,
        "EXTERNAL_SOCKS_API_TOKEN": DEMO_TOKEN,
        "EXTERNAL_SOCKS_SYNC_PAGE_SIZE": "100",
        "PROXYSHOP_TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "PROXYSHOP_TELEGRAM_CHAT_ID": CHAT_ID,
        "PROXYSHOP_TELEGRAM_API_URL": bot.url,
        "PROXYSHOP_ALERT_EVENTS": NO_DAILY_SUMMARY,
    }.items():
        monkeypatch.setenv(name, value)
    paths = AppPaths(Path(os.environ["PROXYSHOP_DATA_DIR"]))
    paths.ensure()
    yield paths
    shutdown_logging()


def _search(paths: AppPaths, outputs: list[str], caplog) -> dict[str, int]:
    files = [p for p in paths.data_dir.rglob("*") if p.is_file()]
    found = {str(p): p.read_bytes().count(BOT_TOKEN.encode()) for p in files}
    found["outputs"] = sum(text.count(BOT_TOKEN) for text in outputs)
    found["caplog"] = caplog.text.count(BOT_TOKEN) + sum(
        r.getMessage().count(BOT_TOKEN) for r in caplog.records
    )
    found.update(rows_containing(BOT_TOKEN))  # PostgreSQL: the rows are not in the data dir
    return {k: v for k, v in found.items() if v}


def test_bot_token_occurs_nowhere(env, sim, bot: FakeBotApi, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    outputs: list[str] = []

    def run(*argv: str) -> int:
        code = main([*argv, "-v", "--json"])
        out, err = capsys.readouterr()
        outputs.extend([out, err])
        assert "Traceback" not in err, err
        return code

    assert run("alerts", "test") == 0
    assert run("sync") == 0
    sim.faults.add("list", faults.status(503), times="always")
    bot.script.append(rate_limited(1))
    assert run("sync") == 1 and run("sync") == 1
    assert run("alerts", "status") == 0
    bot.token = "1:someone-else-entirely-xxxxxxxxxxxxxxxx"  # Telegram now refuses ours (401)
    assert run("alerts", "test") == 1
    assert run("sync") == 1
    sim.faults.clear()
    shutdown_logging()
    assert len(bot.delivered) == 2 and "Sync failing" in bot.texts()[1]
    assert any("refused the bot token" in text for text in outputs)
    assert any(p.suffix == ".log" for p in env.logs_dir.iterdir())
    assert _search(env, outputs, caplog) == {}


def test_httpx_request_lines_are_scrubbed_in_the_log_file(env, bot: FakeBotApi):
    configure_logging(env, level=logging.DEBUG)
    logging.getLogger("httpx").setLevel(logging.INFO)  # as if someone let httpx talk

    async def send() -> None:
        config = TelegramConfig(BOT_TOKEN, CHAT_ID, bot.url)
        async with TelegramClient(config) as client:
            await client.send("hello")

    asyncio.run(send())
    shutdown_logging()
    text = "".join(p.read_text() for p in env.logs_dir.iterdir() if p.is_file())
    assert "sendMessage" in text and f"/bot{REDACTED}/sendMessage" in text
    assert BOT_TOKEN not in text
    assert json.dumps(bot.delivered[0].payload)  # the message itself did go out
