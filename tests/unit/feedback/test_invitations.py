from datetime import UTC, datetime, timedelta

import pytest

from feedback import handlers
from feedback.domain.commands import RecordCompletedSession
from feedback.domain.invitations import SurveyExpired
from feedback.domain.model import CompletedSession
from shared.contracts import SurveyInvited
from tests import factories
from tests.fakes.feedback import FakeFeedbackUnitOfWork
from tests.feedback_scenario import programme
from tests.unit.feedback.drive import feed, session_cmd


def _session(event) -> CompletedSession:
    return CompletedSession(event.session_id, event.pair_id, event.programme_id, event.country, event.mentor_id,
                            event.mentee_id, event.completed_at, event.sequence)


async def test_a_completed_session_invites_both_members_with_an_expiry_and_announces_it():
    uow = FakeFeedbackUnitOfWork()
    event = factories.session_completed()
    await handlers.record_completed_session(RecordCompletedSession(_session(event), timedelta(days=10)), uow,
                                            cause=event)
    invited = [e for e in uow.published() if isinstance(e, SurveyInvited)]
    assert {(e.respondent_id, e.respondent_role) for e in invited} == {(event.mentor_id, "mentor"),
                                                                       (event.mentee_id, "mentee")}
    assert {e.expires_at for e in invited} == {event.completed_at + timedelta(days=10)}
    assert {e.kind for e in invited} == {"session"} and {e.causation_id for e in invited} == {event.event_id}


async def test_a_redelivered_completion_invites_nobody_twice():
    uow = FakeFeedbackUnitOfWork()
    event = factories.session_completed()
    for _ in range(2):
        await handlers.record_completed_session(RecordCompletedSession(_session(event)), uow, cause=event)
    assert len(uow.invitations.items) == 2 and len(uow.invitations.events) == 2


async def test_a_completed_pair_invites_both_members_to_the_end_survey():
    uow = FakeFeedbackUnitOfWork()
    sc = programme(pairs=5, seed=3)
    await feed(sc, uow, answers=False)
    ends = [i for i in uow.invitations.items.values() if i.kind == "end"]
    assert len(ends) == 2 * len(sc.ended)
    assert all(i.expires_at - i.invited_at == timedelta(days=30) for i in ends)


async def test_a_session_survey_after_its_invitation_expired_is_refused():
    uow = FakeFeedbackUnitOfWork()
    sc = programme(pairs=1, seed=1)
    await feed(sc, uow, answers=False)
    late = datetime.now(UTC) + timedelta(days=15)
    with pytest.raises(SurveyExpired):
        await handlers.submit_survey(session_cmd(sc.session_answers[0], now=late), uow)
