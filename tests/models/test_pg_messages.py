"""The PostgreSQL messages are translatable Texts (context + English template), like the rest of
the core: the window and the CLI render them in the operator's language; logs and --json keep the
English. Rendered here through a stand-in catalog that marks every translated template."""

from datetime import UTC, datetime

import psycopg
import pytest

from proxyshop_desktop import i18n
from proxyshop_desktop.cli import main
from proxyshop_desktop.models import engine
from proxyshop_desktop.models.target import DatabaseTarget


def marked(context, template):
    return "«" + template + "»"


@pytest.fixture
def marking_catalog(monkeypatch):
    """Russian's catalog replaced by one that marks every message it is asked for."""

    class Marking(i18n.Catalog):
        def lookup(self, context, source):
            return marked(context, source)

    # one entry: an empty Catalog is falsy, and render() would take it for English
    monkeypatch.setattr(i18n, "catalog", lambda language: Marking({("", ""): ""}) if language == "ru" else None)
    yield
    i18n.set_language("en")


def test_connection_errors_are_texts_with_the_english_unchanged():
    target = DatabaseTarget.parse("postgresql://shop@db.example:5432/proxyshop")
    cases = {
        'FATAL:  password authentication failed for user "shop"': "the database server db.example:5432 "
        'refused the login of user shop: FATAL:  password authentication failed for user "shop"',
        'FATAL:  database "proxyshop" does not exist': "The database 'proxyshop' does not exist on the "
        "database server db.example:5432.",
        "connection refused": "Cannot reach the database server db.example:5432: connection refused",
        "something else": "Database error: something else",
    }
    for driver_text, english in cases.items():
        error = engine.pg_storage_error(psycopg.OperationalError(driver_text), target)
        assert error.message == english
        rendered = error.text.render(marked)
        assert rendered.startswith("«") and error.hint_text.render(marked).startswith("«")


def test_url_warnings_are_texts():
    target = DatabaseTarget.parse("postgresql://shop:s3cr3t-pw@db.example/proxyshop")
    texts = target.warning_texts()
    assert len(texts) == 2 and target.warnings() == [str(t) for t in texts]
    assert all(t.render(marked).startswith("«") for t in texts)
    assert "db.example" in texts[1].render(marked) and "s3cr3t-pw" not in " ".join(target.warnings())


def test_synced_elsewhere_names_the_operator_in_a_text(tmp_path, pg_url):
    from proxyshop_desktop.models.tables import SyncRun
    from proxyshop_desktop.services.runs import synced_elsewhere
    from tests.factories import open_context

    ctx = open_context(tmp_path_paths(tmp_path), database_url=pg_url)
    try:
        started = datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC)
        ctx.store.run_blocking(lambda: SyncRun.create(kind="sync", trigger="timer", started_at=started,
                                                      status="running", operator="anna@shop-2"))
        error = ctx.store.run_blocking(synced_elsewhere, datetime(2026, 5, 6, 7, 8, 21, tzinfo=UTC))
    finally:
        ctx.store.close()
    assert error.message == "Synced by anna@shop-2 12 s ago (another machine is running it now)."
    assert error.text.render(marked) == "««Synced by anna@shop-2 12 s ago» (another machine is running it now).»"
    assert error.hint_text.render(marked).startswith("«Nothing to do")


def tmp_path_paths(tmp_path):
    from proxyshop_desktop.paths import AppPaths

    return AppPaths(tmp_path / "data")


def test_db_password_and_db_status_speak_the_clis_language(capsys, marking_catalog):
    assert main(["--lang", "ru", "db-password", "status"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("««No database password set.") and "~/.pgpass" in out
    assert main(["--lang", "ru", "db", "status"]) == 0
    out = capsys.readouterr().out
    assert "«Engine: {0} ({1})»" not in out and out.startswith("«Engine: sqlite (SQLite")
    assert "«Schema version:" in out and "  order: 0" in out
