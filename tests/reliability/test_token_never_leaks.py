"""The whole flow at DEBUG through the real CLI: the API token is found nowhere the app writes.

Sync, sell, a refused and an accepted refund, CSV and TXT exports, a backup, reconcile and a
provider 401 all run in-process through `proxyshop_desktop.cli.main`, against the simulator on
loopback, with a distinctive token. Then every byte under the data dir (database, WAL, logs,
backups, exports, settings), stdout/stderr and every captured log record are searched for it.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from pathlib import Path

import pytest

from proxyshop_desktop.cli import main
from proxyshop_desktop.logging_setup import configure_logging, shutdown_logging
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.simulator import faults
from tests.reliability.children import rows_containing

ON_BOTH_ENGINES = True
TOKEN = "tok-LEAKCHECK-9f8e7d"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "-v"])  # -v: the CLI logs at DEBUG, to the file and to stderr
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def leak_env(sim, monkeypatch, tmp_path, engine, request):
    sim.provider.token = TOKEN
    monkeypatch.setenv("EXTERNAL_SOCKS_API_URL", sim.base_url)
    monkeypatch.setenv("EXTERNAL_SOCKS_API_TOKEN", TOKEN)
    monkeypatch.setenv("EXTERNAL_SOCKS_SYNC_PAGE_SIZE", "100")
    paths = AppPaths(Path(os.environ["PROXYSHOP_DATA_DIR"]))
    paths.ensure()
    configure_logging(paths, level=logging.DEBUG)
    yield paths
    shutdown_logging()


def test_token_occurs_zero_times_anywhere(leak_env, sim, capsys, caplog, tmp_path, engine):
    paths: AppPaths = leak_env
    caplog.set_level(logging.DEBUG)
    outputs: list[str] = []

    def run(*argv: str) -> tuple[int, dict]:
        code, out, err = _run(capsys, *argv, "--json")
        outputs.extend([out, err])
        assert "Traceback" not in err, err
        return code, json.loads(out) if out.strip() else {}

    code, synced = run("sync")
    assert code == 0, synced
    code, page = run("inventory", "--page-size", "5")
    product_id = page["proxies"][0]["product_id"]
    code, sale = run("sell", str(product_id), "--customer", "leak-check")
    assert code == 0, sale
    order_id = sale["order_id"]
    code, refused = run("refund", order_id)  # the proxy is still online: refused
    assert code != 0
    (purchase,) = sim.provider.bought()
    sim.provider.set_purchased_proxy_offline(purchase["credentials_id"])
    code, refunded = run("refund", order_id)
    assert code == 0, refunded
    code, _ = run("sell", str(page["proxies"][1]["product_id"]))
    assert code == 0
    exports = paths.exports_dir
    exports.mkdir(parents=True, exist_ok=True)
    for fmt in ("csv", "txt"):
        code, exported = run("export", "--format", fmt, "--out", str(exports / f"sold.{fmt}"))
        assert code == 0 and exported["count"] >= 1, exported
    code, backup = run("backup")
    assert code == 0, backup
    code, rec = run("reconcile")
    assert code == 0, rec
    sim.faults.add("*", faults.status(401, {"error": "bad token"}), times="always")
    code, denied = run("sync")
    assert code == 1 and denied["status"] == "error"
    sim.faults.clear()
    shutdown_logging()

    files = [p for p in paths.data_dir.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert any(n.endswith(".log") for n in names)
    if engine == "sqlite":  # the search reads the shop's rows in its file
        assert paths.database.name in names
    assert any(p.parent == paths.backups_dir for p in files)
    assert {"sold.csv", "sold.txt"} <= names
    found = {str(p): p.read_bytes().count(TOKEN.encode()) for p in files}
    found["stdout+stderr"] = sum(text.count(TOKEN) for text in outputs)
    found["caplog"] = caplog.text.count(TOKEN) + sum(
        r.getMessage().count(TOKEN) for r in caplog.records
    )
    found.update(rows_containing(TOKEN))  # PostgreSQL: the rows are not in the data dir
    assert sum(found.values()) == 0, {k: v for k, v in found.items() if v}
    # the exports did carry the sold credentials (the search would have found a token there)
    newest = sim.provider.bought()[0]
    assert newest["username"].encode() in (exports / "sold.csv").read_bytes()
    assert newest["password"].encode() in (exports / "sold.txt").read_bytes()


def test_file_modes_are_owner_only(leak_env, sim, capsys, engine):
    paths: AppPaths = leak_env
    assert _run(capsys, "sync")[0] == 0
    assert _run(capsys, "backup")[0] == 0
    out = paths.data_dir / "out.csv"
    assert _run(capsys, "export", "--format", "csv", "--out", str(out))[0] == 0
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
    assert mode(paths.data_dir) == 0o700
    if engine == "sqlite":
        assert mode(paths.database) == 0o600
    backups = list(paths.backups_dir.iterdir())
    assert backups and all(mode(b) == 0o600 for b in backups)
    assert mode(out) == 0o600
    for extra in ("-wal", "-shm"):
        side = paths.database.with_name(paths.database.name + extra)
        if side.exists():
            assert mode(side) == 0o600
    assert all(mode(p) == 0o600 for p in paths.logs_dir.iterdir() if p.is_file())
