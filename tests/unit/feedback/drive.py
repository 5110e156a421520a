"""Feeds a scenario to the use cases the way the consumers and HTTP routes do, on a fake unit of work."""

from datetime import UTC, datetime

from feedback import handlers
from feedback.domain.commands import (
    InviteToEndSurvey,
    RecordCompletedSession,
    RecordEnrollment,
    RecordPlannedSession,
    SubmitEndSurvey,
    SubmitSurvey,
)
from feedback.domain.end_survey import EndAnswers
from feedback.domain.invitations import EndedPair
from feedback.domain.model import CompletedSession
from feedback.domain.participants import Participant, PlannedSession
from tests.factories import profile
from tests.fakes.feedback import FakeFeedbackUnitOfWork
from tests.feedback_scenario import Scenario


def session_cmd(body: dict, now: datetime | None = None, on_resubmit: str = "refuse") -> SubmitSurvey:
    from uuid import UUID, uuid4

    return SubmitSurvey(UUID(body["session_id"]), UUID(body["respondent_id"]), body["rating"],
                        body.get("would_recommend"), body.get("comment"), now or datetime.now(UTC), uuid4(),
                        tuple(body.get("modules_covered", ())),
                        {a["item"]: a["score"] for a in body.get("attitudes", [])}, on_resubmit)


def end_cmd(body: dict, now: datetime | None = None, on_resubmit: str = "refuse") -> SubmitEndSurvey:
    from uuid import UUID, uuid4

    answers = EndAnswers(body["would_recommend"], body["nps"], {s["topic"]: s["proficiency"] for s in body["skills"]},
                         {a["item"]: a["score"] for a in body["attitudes"]}, tuple(body["gains"]), body.get("comment"))
    return SubmitEndSurvey(UUID(body["pair_id"]), UUID(body["respondent_id"]), answers, now or datetime.now(UTC),
                           uuid4(), on_resubmit)


async def feed(sc: Scenario, uow: FakeFeedbackUnitOfWork, answers: bool = True) -> None:
    for e in sc.enrolled:
        p = profile(e)
        await handlers.record_enrollment(RecordEnrollment(Participant(
            e.participant_id, e.programme_id, p.role, p.country, p.seniority_level, e.occurred_at,
            {s.topic: s.proficiency for s in p.skills})), uow)
    for s in sc.scheduled:
        await handlers.record_planned_session(RecordPlannedSession(PlannedSession(
            s.session_id, s.pair_id, s.programme_id, s.mentor_id, s.mentee_id)), uow)
    for c in sc.completed:
        await handlers.record_completed_session(RecordCompletedSession(CompletedSession(
            c.session_id, c.pair_id, c.programme_id, c.country, c.mentor_id, c.mentee_id, c.completed_at,
            c.sequence)), uow, cause=c)
    for p in sc.ended:
        await handlers.invite_to_end_survey(InviteToEndSurvey(EndedPair(
            p.pair_id, p.programme_id, p.country, p.mentor_id, p.mentee_id, p.sessions_completed, p.completed_at)),
            uow, cause=p)
    if answers:
        for body in sc.session_answers:
            await handlers.submit_survey(session_cmd(body), uow)
        for body in sc.end_answers:
            await handlers.submit_end_survey(end_cmd(body), uow)
