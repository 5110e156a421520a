"""Counting planned sessions together: consecutive SessionScheduled of a polled batch (issue 14).

Scheduling publishes a pair's sessions one after the other (six or so, keyed by pair), so a polled
batch holds runs of them naming the same two members. One at a time, each costs a tombstone read per
member and its own upsert; together, each distinct member's tombstone is read once (concurrently)
and the live sessions are written in one insert (the ones already stored, a replay, are replaced as
one at a time would). An erased member's sessions are skipped, as one at a time skips them.
"""

from collections.abc import Iterable
from uuid import UUID

from feedback.domain.commands import RecordPlannedSession
from feedback.unit_of_work import FeedbackUnitOfWork
from shared.concurrently import all_settled


async def record_planned_sessions(cmds: list[RecordPlannedSession], uow: FeedbackUnitOfWork) -> None:
    erased = await _erased(uow, (m for c in cmds for m in (c.session.mentor_id, c.session.mentee_id)))
    uow.planned.put_all([c.session for c in cmds
                         if not (erased[c.session.mentor_id] or erased[c.session.mentee_id])])
    await uow.commit()


async def _erased(uow: FeedbackUnitOfWork, ids: Iterable[UUID]) -> dict[UUID, bool]:
    distinct = list(dict.fromkeys(ids))
    return dict(zip(distinct, await all_settled(uow.tombstones.erased(i) for i in distinct), strict=True))
