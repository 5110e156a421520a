"""Consecutive SessionScheduled, SessionCompleted or ParticipantEnrolled of a polled batch, each run in
one unit of work (issue 14).

One at a time, each event costs a tombstone read per person and its own writes. Together, each
distinct person's tombstone is read once (concurrently) and the writes are merged, in the order one
at a time keeps: planned sessions in one insert, enrollments in one insert (the ones already stored,
a replay, replaced whole as one at a time would); completed sessions in one insert, then their
invitations' index entries (one write per page touched) and the invitations with their SurveyInvited
in one insert, none of them read first: one already stored (a replay) is left as it is, as one at a
time leaves it. An erased person's events create nothing, as one at a time. A run holding an
enrollment whose key is missing or destroyed is applied one event at a time (the consumer's fallback
when this raises), with exactly its effects.
"""

from collections.abc import Iterable
from uuid import UUID

from feedback import published
from feedback.domain import invitations as invite
from feedback.domain.commands import RecordCompletedSession, RecordEnrollment, RecordPlannedSession
from feedback.unit_of_work import FeedbackUnitOfWork
from shared.concurrently import all_settled
from shared.contracts import SessionCompleted


async def record_planned_sessions(cmds: list[RecordPlannedSession], uow: FeedbackUnitOfWork) -> None:
    erased = await _erased(uow, (m for c in cmds for m in (c.session.mentor_id, c.session.mentee_id)))
    uow.planned.put_all([c.session for c in cmds
                         if not (erased[c.session.mentor_id] or erased[c.session.mentee_id])])
    await uow.commit()


async def record_completed_sessions(cmds: list[tuple[RecordCompletedSession, SessionCompleted]],
                                    uow: FeedbackUnitOfWork) -> None:
    erased = await _erased(uow, (m for c, _ in cmds for m in (c.session.mentor_id, c.session.mentee_id)))
    live = [(c, cause) for c, cause in cmds if not (erased[c.session.mentor_id] or erased[c.session.mentee_id])]
    invitations = [(i, cause) for c, cause in live for i in invite.after_session(c.session, c.survey_valid_for)]
    uow.sessions.put_all([c.session for c, _ in live])
    # Not read first: an invitation already stored (a replay) is left as it is by the insert, with no
    # second SurveyInvited, exactly as one at a time leaves it; its index entry is written again unchanged.
    uow.invitations.add_all([(i, [published.invited(i, cause)]) for i, cause in invitations])  # members, alive
    await uow.commit()


async def record_enrollments(cmds: list[RecordEnrollment], uow: FeedbackUnitOfWork) -> None:
    erased = await _erased(uow, (c.participant.participant_id for c in cmds))
    uow.participants.put_all([c.participant for c in cmds if not erased[c.participant.participant_id]])
    await uow.commit()


async def _erased(uow: FeedbackUnitOfWork, ids: Iterable[UUID]) -> dict[UUID, bool]:
    distinct = list(dict.fromkeys(ids))
    return dict(zip(distinct, await all_settled(uow.tombstones.erased(i) for i in distinct), strict=True))
