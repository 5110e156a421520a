"""What the main job and bench.pipeline may expect of continuous pairing: the last people to arrive can be
unable to meet each other (a newcomer takes any free counterpart it can meet, and no pair is undone
for a later one), and matching's round preview, discarded, says who waits and why (tools/waiting_list.py)
without changing anything. The people are the two a 1,000-person bench run left waiting."""

import uuid

import httpx
import pytest

from matching import handlers
from matching.domain.model import Slot
from tests.component.matching_app import admin_client
from tests.fakes.matching import FakeMatchingUnitOfWork
from tests.unit.matching.builders import enrolled, person
from tools.waiting_list import waiting_list


@pytest.fixture
def uow() -> FakeMatchingUnitOfWork:
    return FakeMatchingUnitOfWork()


@pytest.fixture
def http(uow) -> httpx.AsyncClient:
    return admin_client(uow)


def new_york_mentor(pid: uuid.UUID):  # 10:00-18:00 in New York is 16:00-24:00 in Warsaw
    return person("mentor", pid, languages=("en",), country="US", time_zone="America/New_York",
                  availability=[Slot(d, "10:00", "18:00") for d in (0, 1, 3, 4)])


def warsaw_mentee(pid: uuid.UUID):
    return person("mentee", pid, languages=("en", "pl"), country="PL", time_zone="Europe/Warsaw",
                  availability=[Slot(d, "08:00", "16:00") for d in (1, 2, 3, 4)])


def paris(role: str, pid: uuid.UUID):
    return person(role, pid, languages=("en", "fr"))


async def enroll(uow, *people) -> None:
    for c in people:
        await handlers.add_candidate(enrolled(c), uow)


async def test_the_last_two_to_arrive_may_be_unable_to_meet_and_the_waiting_list_says_so_changing_nothing(http, uow):
    pid = uuid.uuid4()
    await enroll(uow, paris("mentor", pid), paris("mentee", pid), new_york_mentor(pid), warsaw_mentee(pid))
    assert len(uow.pairs.active) == 1, "continuous mode pairs no one who cannot meet"

    waiting = await waiting_list(http, "", {}, str(pid), paired_people=2, enrolled=4)

    assert waiting.complete and waiting.proposals == 0 and waiting.published == 0
    assert waiting.unmatched_total == 2 and waiting.reasons() == "2 no_availability_overlap"
    programme = (await http.get(f"/programmes/{pid}")).json()
    assert programme["pending_round_id"] is None and programme["mode"] == "continuous", "the preview was discarded"
    await enroll(uow, paris("mentee", pid))  # meets New York 16:00-17:00 Paris time
    assert len(uow.pairs.active) == 2, "continuous pairing goes on after the preview"


async def test_the_answer_is_not_final_while_an_enrolled_person_is_not_in_matchings_pool(http, uow):
    pid = uuid.uuid4()
    await enroll(uow, paris("mentor", pid), paris("mentee", pid), new_york_mentor(pid), warsaw_mentee(pid))

    waiting = await waiting_list(http, "", {}, str(pid), paired_people=2, enrolled=5)

    assert not waiting.complete and waiting.unmatched_total == 2


async def test_couples_left_free_are_reported_and_published_only_when_asked(http, uow):
    pid = uuid.uuid4()
    assert (await http.put(f"/programmes/{pid}/mode", json={"mode": "rounds"})).status_code == 200
    await enroll(uow, paris("mentor", pid), paris("mentee", pid))
    assert (await http.put(f"/programmes/{pid}/mode", json={"mode": "continuous"})).status_code == 200

    reported = await waiting_list(http, "", {}, str(pid), paired_people=0, enrolled=2)
    assert (reported.complete, reported.proposals, reported.published) == (False, 1, 0)
    assert not uow.pairs.active

    published = await waiting_list(http, "", {}, str(pid), paired_people=0, enrolled=2, publish_pairable=True)
    assert (published.complete, published.proposals, published.published) == (False, 1, 1)
    assert len(uow.pairs.active) == 1
