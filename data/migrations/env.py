"""Alembic environment: the connection comes from ``data.store.migrate``; there is no alembic.ini."""

from alembic import context

from data.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `dashboard init`, which passes the connection")

# render_as_batch lets later migrations alter tables on SQLite, which has no ALTER for most changes.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
