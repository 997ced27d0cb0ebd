"""Alembic environment: runs resdiff's migrations on the connection resdiff hands over.

resdiff configures Alembic in code (resdiff.store.engine.alembic_config) and passes
an open connection already inside its transaction; the `alembic` command line works
too, with sqlalchemy.url from alembic.ini or RESDIFF_DB.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

# Registers what `alembic check` must not report (the phrase index's backend objects).
import resdiff.store.schema_compare  # noqa: F401
from resdiff.store.engine import default_url, make_engine, write_connection
from resdiff.store.tables import METADATA

config = context.config
target_metadata = METADATA


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: batch mode copies the table instead.
        render_as_batch=True,
        compare_type=True,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or default_url(),
        target_metadata=target_metadata,
        render_as_batch=True,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or default_url())
    try:
        with write_connection(engine) as conn:
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
