"""Matching's access world: programme P in rounds mode with A (FR) paired with B, C (DE) with D,
four free candidates and a pending round."""

import uuid

import httpx

from matching import handlers
from matching.config import Settings
from matching.domain.commands import PreviewRound
from matching.domain.model import Pair
from matching.domain.programme import Policy, Programme
from matching.entrypoints.app import create_app
from shared.runtime import Services
from tests.access.world import Call, World, person_level
from tests.fakes.matching import FakeMatchingUnitOfWork
from tests.local_issuer import local_runtime
from tests.unit.matching.builders import enrolled, person

PAIR_MEMBERS = person_level("programme_id", "country", "mentor_id", "mentee_id")
CALLS = {
    "GET /pairs": Call("GET", "/pairs", admits=PAIR_MEMBERS),
    "GET /pairs/{pair_id}": Call("GET", "/pairs/{pair}"),
    "GET /programmes/{programme_id}": Call("GET", "/programmes/{P}"),
    "PUT /programmes/{programme_id}/mode": Call("PUT", "/programmes/{P}/mode", {"mode": "rounds"}),
    "POST /programmes/{programme_id}/pair-rules": Call(
        "POST", "/programmes/{P}/pair-rules",
        lambda ids: {"mentor_id": str(ids["free_mentor"]), "mentee_id": str(ids["free_mentee"]), "kind": "forbidden"}),
    "POST /programmes/{programme_id}/rounds": Call("POST", "/programmes/{P}/rounds"),
    "GET /programmes/{programme_id}/rounds/{round_id}": Call("GET", "/programmes/{P}/rounds/{round}"),
    "POST /programmes/{programme_id}/rounds/{round_id}/decision": Call(
        "POST", "/programmes/{P}/rounds/{round}/decision", {"decision": "discard"}),
    "GET /audit": Call("GET", "/audit"),
}


def app():
    holder = {}
    services = Services(local_runtime(Settings()), lambda: holder["uow"])
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(services=services)), base_url="http://t")

    async def seed() -> World:
        uow = holder["uow"] = FakeMatchingUnitOfWork()
        pid = uuid.uuid4()
        uow.programmes.items[pid] = Programme(pid, Policy(), launched=True, mode="rounds")
        a, b, c, d = (uuid.uuid4() for _ in range(4))
        pair = Pair(uuid.uuid4(), pid, a, b, "FR", "fr", 0.8, version=1)
        uow.pairs.items[pair.pair_id] = pair
        other = Pair(uuid.uuid4(), pid, c, d, "DE", "de", 0.7, version=1)
        uow.pairs.items[other.pair_id] = other
        mentor, mentee = person("mentor", pid), person("mentee", pid)
        for candidate in (mentor, mentee):
            await handlers.add_candidate(enrolled(candidate), uow)
        round_, _ = await handlers.preview_round(PreviewRound(pid), uow)
        return World(http, {"P": pid, "A": a, "pair": pair.pair_id, "round": round_.round_id,
                            "free_mentor": mentor.participant_id, "free_mentee": mentee.participant_id})

    return seed
