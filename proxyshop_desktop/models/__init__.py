"""Local storage: peewee models on SQLite, migrations, backups and the DB worker thread."""

from proxyshop_desktop.models.store import Store
from proxyshop_desktop.models.tables import AuditEvent, Order, Product, SyncRun, database_proxy

__all__ = ["AuditEvent", "Order", "Product", "Store", "SyncRun", "database_proxy"]
