"""peewee's SQLite database, safe for the errors after which SQLite ends the transaction itself.

On SQLITE_FULL (disk full), SQLITE_IOERR or SQLITE_NOMEM, SQLite may roll the whole transaction
back on its own. peewee's `atomic()` then issues ROLLBACK (or ROLLBACK TO SAVEPOINT) anyway, and
*that* error ("cannot rollback - no transaction is active") replaces the real one: the operator
was told "Database error: cannot rollback" instead of "the disk is full". Here a rollback is
skipped when no transaction is open any more, so the original error is the one raised.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import peewee


def tuple_rows(query: peewee.BaseQuery) -> Iterator[tuple[Any, ...]]:
    """A query's rows as tuples (peewee's stubs type `.tuples()` as yielding model instances)."""
    yield from query.tuples()


class _Savepoint(peewee._savepoint):
    def rollback(self, begin: bool = True) -> None:
        if not self.db.in_transaction():
            return  # SQLite already rolled back everything, this savepoint included
        super().rollback(begin)


class ShopDatabase(peewee.SqliteDatabase):
    def in_transaction(self) -> bool:
        """What SQLite says (not peewee's bookkeeping): is a transaction open on this connection?"""
        return not self.is_closed() and bool(self.connection().in_transaction)

    def rollback(self) -> None:
        if not self.in_transaction():
            return
        super().rollback()

    def savepoint(self, sid: Any = None) -> _Savepoint:
        return _Savepoint(self, sid)
