"""`export` on the command line: sales a TXT cannot carry are named (issue 15 #5); rows are
streamed with a progress line on a terminal only (issue 9 #3)."""

import json
import os
import sys

import pytest

from proxyshop_desktop.cli import main
from proxyshop_desktop.logging_setup import shutdown_logging
from proxyshop_desktop.paths import AppPaths
from tests.factories import create_order, shop_store

# the commands below run on the database PROXYSHOP_DATABASE_URL names (the `engine` fixture)
ON_BOTH_ENGINES = True


@pytest.fixture(autouse=True)
def _close_log_file():
    yield
    shutdown_logging()


@pytest.fixture
def store(engine):
    paths = AppPaths.from_env()
    paths.ensure()
    s = shop_store(paths)
    s.open()
    yield s
    s.close()


def test_txt_export_names_what_it_left_out(capsys, store, tmp_path):
    good = create_order(store)
    colon = create_order(store, username="lo:gin")
    broken = create_order(store, password="pa\x1css")
    store.close()
    out = tmp_path / "s.txt"

    assert main(["export", "--format", "txt", "--out", str(out)]) == 0
    text, err = capsys.readouterr()
    assert err == ""
    assert "Exported 1 sold order as TXT" in text  # the plural form of one (issue 12)
    assert "2 sales left out of the TXT" in text and "Export as CSV" in text
    assert colon.order_id in text and broken.order_id in text
    assert out.read_text("utf-8") == f"{good.server_ip}:{good.port}:{good.username}:{good.password}\n"

    assert main(["export", "--format", "txt", "--out", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == 1
    assert {s["order_id"]: s["reason"] for s in data["skipped"]} == {
        colon.order_id: "the login contains ':'",
        broken.order_id: "a credential contains a line break",
    }

    assert main(["export", "--format", "csv", "--out", str(tmp_path / "s.csv"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == 3 and data["skipped"] == []


@pytest.mark.parametrize(("tty", "as_json"), [(True, False), (False, False), (True, True)])
def test_progress_only_on_a_terminal_and_never_with_json(capsys, store, tmp_path, monkeypatch, tty, as_json):
    from proxyshop_desktop.services import export

    monkeypatch.setattr(export, "CHUNK_ROWS", 2)
    for _ in range(5):
        create_order(store)
    store.close()
    capsys.readouterr()
    monkeypatch.setattr(type(sys.stderr), "isatty", lambda self: tty, raising=False)
    argv = ["export", "--format", "csv", "--out", str(tmp_path / "s.csv")]
    assert main(argv + (["--json"] if as_json else [])) == 0
    out, err = capsys.readouterr()
    if tty and not as_json:
        assert "exporting: 5 of 5 orders (100%)" in err
        assert err.endswith("\r") and "\n" not in err  # erased: the terminal is left clean
    else:
        assert err == ""
    assert "exporting" not in out


@pytest.mark.sqlite_only("plants 60,000 orders straight into the SQLite file")
def test_ctrl_c_mid_export_leaves_no_temp_file_and_the_old_file_whole(tmp_path):
    """SIGINT while rows stream: exit 130, one `error: interrupted.` line, the temp file (which
    holds credentials) removed, an earlier file under the name untouched."""
    import re
    import signal

    from tests.reliability.children import add_orders, child_env, run, spawn

    data = tmp_path / "data"
    env = child_env(data, "http://127.0.0.1:9/api/v1/authorized", "tok-ctrl-c")
    assert run(env, "stats").returncode == 0  # creates the database
    add_orders(data / "proxyshop.sqlite3", 0, 60_000)
    out = tmp_path / "orders.csv"
    out.write_text("yesterday's export\n")
    temp = re.compile(r"^\.orders\.csv\.[0-9a-f]{8}\.tmp$")
    for _attempt in range(5):
        child = spawn(env, "export", "--format", "csv", "--out", str(out))
        while child.poll() is None and not any(temp.match(n) for n in os.listdir(tmp_path)):
            pass
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
            _stdout, stderr = child.communicate(timeout=60)
            if child.returncode == 130:
                break
        else:
            child.communicate()
        out.write_text("yesterday's export\n")  # it got through first: try again
    else:
        pytest.fail("the export was never caught mid-write")
    assert stderr.strip() == "error: interrupted."
    assert out.read_text() == "yesterday's export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "orders.csv"]
