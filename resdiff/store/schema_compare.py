"""What schema comparison (the migration test, `alembic check`) must not call a difference.

The phrase index's backend-specific objects live outside the models (an FTS5 table and
its shadow tables on SQLite, a GIN index on PostgreSQL): importing this module tells
Alembic's autogenerate they are expected rather than strays to drop. It imports
Alembic's autogenerate machinery, so only migrations/env.py and the tests import it,
never the store's open path.
"""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import comparators
from alembic.operations import ops
from alembic.util import DispatchPriority

from resdiff.store.search_index import FTS_TABLE, OLD_TRGM_INDEX, TRGM_INDEX

__all__: list[str] = []


@comparators.dispatch_for("autogenerate", priority=DispatchPriority.LAST)
def _hide_search_index(_ctx: Any, upgrade_ops: ops.UpgradeOps) -> None:
    keep: list[ops.MigrateOperation] = []
    for op in upgrade_ops.ops:
        if isinstance(op, ops.DropTableOp) and op.table_name.startswith(FTS_TABLE):
            continue
        if isinstance(op, ops.ModifyTableOps) and op.table_name == "search_units":
            op.ops = [
                o
                for o in op.ops
                if not (
                    isinstance(o, ops.DropIndexOp) and o.index_name in (TRGM_INDEX, OLD_TRGM_INDEX)
                )
            ]
            if not op.ops:
                continue
        keep.append(op)
    upgrade_ops.ops[:] = keep
