"""Feedback's access world: programme P, A (the owner) and B's pair in FR with a completed session
and an ended pair, C and D's in DE with a completed session, and one survey from each pair."""

import uuid
from datetime import UTC, datetime, timedelta

import httpx

from feedback import handlers
from feedback.config import Settings
from feedback.domain.commands import InviteToEndSurvey, RecordCompletedSession, RecordEnrollment
from feedback.domain.invitations import EndedPair
from feedback.domain.model import CompletedSession
from feedback.domain.participants import Participant
from feedback.entrypoints.app import create_app
from shared.contracts import PairCompleted
from shared.runtime import Services
from tests.access.world import ADMIN, Call, World, person_level
from tests.factories import session_completed
from tests.fakes.feedback import FakeFeedbackUnitOfWork
from tests.local_issuer import local_runtime

RESPONDENT = person_level("programme_id", "country", "respondent_id")
ANSWER = {"rating": 5, "would_recommend": True}
END = {"would_recommend": True, "nps": 9}
CALLS = {
    "POST /surveys": Call("POST", "/surveys", lambda ids: {"session_id": str(ids["s1"]),
                                                           "respondent_id": str(ids["A"]), **ANSWER}),
    "GET /surveys": Call("GET", "/surveys", admits=RESPONDENT),
    "POST /end-surveys": Call("POST", "/end-surveys", lambda ids: {"pair_id": str(ids["pair"]),
                                                                   "respondent_id": str(ids["A"]), **END}),
    "GET /invitations": Call("GET", "/invitations", admits=RESPONDENT),
    "GET /programmes/{programme_id}/impact": Call("GET", "/programmes/{P}/impact"),
    "GET /programmes/{programme_id}/impact.csv": Call("GET", "/programmes/{P}/impact.csv"),
    "GET /programmes/{programme_id}/impact.html": Call("GET", "/programmes/{P}/impact.html"),
    "GET /audit": Call("GET", "/audit"),
}


async def _completed(uow: FakeFeedbackUnitOfWork, pid: uuid.UUID, country: str) -> CompletedSession:
    event = session_completed(programme_id=pid, country=country, completed_at=datetime.now(UTC) - timedelta(hours=1))
    session = CompletedSession(event.session_id, event.pair_id, pid, country, event.mentor_id, event.mentee_id,
                               event.completed_at, 1)
    await handlers.record_completed_session(RecordCompletedSession(session), uow, cause=event)
    for person, role in ((event.mentor_id, "mentor"), (event.mentee_id, "mentee")):
        await handlers.record_enrollment(RecordEnrollment(Participant(person, pid, role, country, 5, event.completed_at,
                                                                      {})), uow)
    return session


def app():
    holder = {}
    settings = Settings(report_min_group_size=2)
    services = Services(local_runtime(settings), lambda: holder["uow"])
    created = create_app(settings, services=services)
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=created), base_url="http://t")

    async def seed() -> World:
        uow = holder["uow"] = FakeFeedbackUnitOfWork()
        pid = uuid.uuid4()
        ours, theirs = await _completed(uow, pid, "FR"), await _completed(uow, pid, "DE")
        ended = PairCompleted(pair_id=ours.pair_id, programme_id=pid, country="FR", mentor_id=ours.mentor_id,
                              mentee_id=ours.mentee_id, sessions_completed=1, completed_at=datetime.now(UTC))
        await handlers.invite_to_end_survey(InviteToEndSurvey(EndedPair(
            ours.pair_id, pid, "FR", ours.mentor_id, ours.mentee_id, 1, ended.completed_at)), uow, cause=ended)
        for session, respondent in ((ours, ours.mentee_id), (theirs, theirs.mentor_id)):
            body = {"session_id": str(session.session_id), "respondent_id": str(respondent), **ANSWER}
            assert (await http.post("/surveys", json=body, headers=ADMIN)).status_code == 201
        return World(http, {"P": pid, "A": ours.mentor_id, "pair": ours.pair_id, "s1": ours.session_id})

    return seed
