"""Scheduling's access world: programme P with A and B's pair in FR (the owner's), another in DE,
and a café of P."""

import uuid
from datetime import datetime, timedelta

import httpx

from scheduling import handlers
from scheduling.config import Settings
from scheduling.domain.commands import PlanPair, PublishCafe
from scheduling.domain.model import SessionPlan
from scheduling.domain.pair import PairSchedule
from scheduling.entrypoints.app import create_app
from shared.runtime import Services
from tests.access.world import Call, World, person_level, programme_wide
from tests.fakes.scheduling import FakeSchedulingUnitOfWork
from tests.local_issuer import local_runtime
from tests.unit.scheduling.builders import MONDAY, ids, member, programme

PAIR_MEMBERS = person_level("programme_id", "country", "mentor_id", "mentee_id")
CALLS = {
    "GET /pairs": Call("GET", "/pairs", admits=PAIR_MEMBERS),
    "GET /pairs/{pair_id}": Call("GET", "/pairs/{pair}"),
    "GET /pairs/{pair_id}/calendar.ics": Call("GET", "/pairs/{pair}/calendar.ics"),
    "GET /sessions": Call("GET", "/sessions", admits=PAIR_MEMBERS),
    "GET /sessions/{session_id}": Call("GET", "/sessions/{s1}"),
    "GET /sessions/{session_id}/invite.ics": Call("GET", "/sessions/{s1}/invite.ics"),
    "GET /participants/{participant_id}/agenda": Call("GET", "/participants/{A}/agenda"),
    "POST /sessions/{session_id}/completion": Call("POST", "/sessions/{s1}/completion", {"actual_minutes": 50}),
    "POST /sessions/{session_id}/missed": Call("POST", "/sessions/{s1}/missed"),
    "POST /sessions/{session_id}/reschedule": Call(
        "POST", "/sessions/{s2}/reschedule", lambda ids: {"starts_at": ids["s2_later"]}),
    "POST /sessions/{session_id}/cancellation": Call("POST", "/sessions/{s2}/cancellation", {"replan": False}),
    "POST /operations/tick": Call("POST", "/operations/tick"),
    "POST /programmes/{programme_id}/cafes": Call("POST", "/programmes/{P}/cafes", {
        "topic": "ai-assistants", "starts_at": (MONDAY + timedelta(days=30)).isoformat(), "duration_minutes": 60,
        "capacity": 10}),
    "GET /cafes": Call("GET", "/cafes", admits=programme_wide),
    "GET /cafes/{cafe_id}": Call("GET", "/cafes/{cafe}"),
    "POST /cafes/{cafe_id}/attendees": Call("POST", "/cafes/{cafe}/attendees",
                                            lambda ids: {"participant_id": str(ids["A"])}),
    "GET /audit": Call("GET", "/audit"),
}


def _an_hour_away(starts_at: datetime) -> str:
    # Still inside both members' 09:00-17:00 Paris availability.
    return (starts_at + timedelta(hours=1 if starts_at.hour < 13 else -1)).isoformat()


def app():
    holder = {}
    services = Services(local_runtime(Settings()), lambda: holder["uow"])
    settings = Settings(tick_interval_seconds=0)
    created = create_app(settings, services, lambda: MONDAY)
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=created), base_url="http://t")

    async def seed() -> World:
        uow = holder["uow"] = FakeSchedulingUnitOfWork()
        pid = await programme(uow, SessionPlan(3, 60, 7))
        owner = member()
        pair = await handlers.plan_pair(PlanPair(PairSchedule(uuid.uuid4(), pid, "FR", owner, member(), MONDAY),
                                                 **ids()), uow)
        await handlers.plan_pair(PlanPair(PairSchedule(uuid.uuid4(), pid, "DE", member(country="DE"),
                                                       member(country="DE"), MONDAY), **ids()), uow)
        cafe, _ = await handlers.publish_cafe(PublishCafe(pid, "copilot", MONDAY + timedelta(days=40, hours=9), 60, 10,
                                                          uuid.uuid4()), uow)
        s1, s2 = pair.sessions[0], pair.sessions[1]
        return World(http, {"P": pid, "A": owner.participant_id, "pair": pair.pair_id, "s1": s1.session_id,
                            "s2": s2.session_id, "s2_later": _an_hour_away(s2.starts_at),
                            "cafe": cafe.cafe_id})

    return seed
