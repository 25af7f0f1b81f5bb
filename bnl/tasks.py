from celery import shared_task
from django.db import connection
from django.utils import timezone

from bnl.policy import BNL_ORDER_SQL
from bnl.services import CHRONIC_SWEEP, bnl_chronic_sweep
from ces.system_user import system_user_get

# One statement: the rank of every active CoC entry, recorded where it moved since its last snapshot.
SNAPSHOT_SQL = f"""
WITH ranked AS (
    SELECT id, score, status,
           ROW_NUMBER() OVER (ORDER BY {BNL_ORDER_SQL}) AS rank,
           COUNT(*) OVER () AS total
    FROM bnl_bnlentry
    WHERE status = 'active' AND list_owner_id IS NULL
), latest AS (
    SELECT DISTINCT ON (entry_id) entry_id, rank
    FROM bnl_positionsnapshot
    ORDER BY entry_id, at DESC
)
INSERT INTO bnl_positionsnapshot (entry_id, at, rank, active_total, status, score)
SELECT ranked.id, %s, ranked.rank, ranked.total, ranked.status, ranked.score
FROM ranked LEFT JOIN latest ON latest.entry_id = ranked.id
WHERE latest.rank IS DISTINCT FROM ranked.rank
"""


@shared_task(name="bnl.positions_snapshot", acks_late=True, ignore_result=True)
def positions_snapshot() -> int:
    """Nightly: record where each active entry stands, when it moved (list-position history)."""
    with connection.cursor() as cursor:
        cursor.execute(SNAPSHOT_SQL, [timezone.now()])
        return cursor.rowcount


@shared_task(name=CHRONIC_SWEEP, acks_late=True, ignore_result=True)
def chronic_sweep() -> int:
    """Nightly: people who reached 12 months homeless while waiting get the chronic flag."""
    return bnl_chronic_sweep(actor=system_user_get())
