"""After pairing, on the real broker and store: matching dissolves a pair scheduling reports
unschedulable and one a ParticipantUpdated breaks (with the reason), re-pairing apart; scheduling
re-plans the sessions ahead when a member's availability changes."""

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import matching.config
import matching.entrypoints.app
import scheduling.config
import scheduling.entrypoints.app
from shared.contracts import (
    IntegrationEvent,
    PairUnschedulable,
    ParticipantUpdated,
    WeeklySlot,
    topic_for,
)
from tests import factories
from tests.integration.conftest import serving
from tests.kafka_probe import TopicReader, publish_raw
from tools.servers import Servers

CREATED, DISSOLVED = "matching.pair-created.v2", "matching.pair-dissolved.v1"


async def publish(bootstrap: Servers, *events: IntegrationEvent) -> None:
    for e in factories.with_keys(*events):
        await publish_raw(bootstrap, topic_for(e), e.partition_key.encode(), e.model_dump_json().encode())


def updated(enrolled, **changes) -> ParticipantUpdated:
    return factories.participant_updated(enrolled, **changes)


async def test_matching_dissolves_unschedulable_and_no_longer_compatible_pairs(servers: Servers, settings_kwargs):
    settings = matching.config.Settings(**settings_kwargs)
    bootstrap = servers
    launched = factories.programme_launched()
    pid = launched.programme_id
    mentor, mentee = factories.participant_enrolled(pid, "mentor"), factories.participant_enrolled(pid, "mentee")
    ours = lambda topic: lambda r: r.topic == topic and r.json().get("programme_id") == str(pid)  # noqa: E731
    async with serving(matching.entrypoints.app.create_app(settings)), \
            TopicReader(bootstrap, [CREATED, DISSOLVED]) as kafka:
        await publish(bootstrap, launched, mentor, mentee)
        [first] = await kafka.wait_for(ours(CREATED), timeout=180)
        unschedulable = PairUnschedulable(pair_id=first.json()["pair_id"], programme_id=pid, country="FR",
                                          reason_code="fully_booked", module=1, mentor_id=mentor.participant_id,
                                          mentee_id=mentee.participant_id)
        await publish(bootstrap, unschedulable, unschedulable)  # a redelivery changes nothing
        [gone] = await kafka.wait_for(ours(DISSOLVED), timeout=180)
        assert (gone.json()["reason"], gone.json()["detail"]) == ("unschedulable", "fully_booked")

        other = factories.participant_enrolled(pid, "mentor")
        await publish(bootstrap, other)
        created = await kafka.wait_for(ours(CREATED), count=2, timeout=180)
        second = created[-1].json()
        assert (second["mentor"]["participant_id"], second["mentee"]["participant_id"]) == \
            (str(other.participant_id), str(mentee.participant_id)), "paired again, never with the same mentor"

        await publish(bootstrap, updated(mentee, languages=["de"]))
        dissolved = await kafka.wait_for(ours(DISSOLVED), count=2, timeout=180)
        assert (dissolved[-1].json()["pair_id"], dissolved[-1].json()["reason"], dissolved[-1].json()["detail"]) == \
            (second["pair_id"], "no_longer_compatible", "no_shared_language")


async def test_scheduling_plans_the_sessions_ahead_again_when_availability_changes(servers: Servers, settings_kwargs):
    settings = scheduling.config.Settings(**settings_kwargs, tick_interval_seconds=0)
    bootstrap = servers
    programme = factories.programme_launched(sessions_per_pair=3)
    mentee = factories.participant_enrolled(programme.programme_id, "mentee")
    # Paired tomorrow at 06:00 UTC, before the members' shared hours: every session is first planned in
    # the morning, so all three must move to the afternoons (paired "now + 1 day" after 13:00 UTC, the
    # first session already fell in an afternoon and only two moved).
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(hour=6, minute=0, second=0, microsecond=0)
    pair = factories.pair_created(programme.programme_id, occurred_at=tomorrow,
                                  mentee=factories.pair_member(participant_id=mentee.participant_id))
    afternoons = [WeeklySlot(weekday=d, start="14:00", end="17:00") for d in range(5)]
    of = lambda kind: lambda r: r.json().get("event_type") == kind and r.json().get("pair_id") == str(  # noqa: E731
        pair.pair_id)
    async with serving(scheduling.entrypoints.app.create_app(settings)) as http, TopicReader(
            bootstrap, [topic_for(e) for e in (pair.__class__,)] + ["scheduling.session-scheduled.v1",
                                                                      "scheduling.session-rescheduled.v1"]) as kafka:
        await publish(bootstrap, programme, pair)
        await kafka.wait_for(of("SessionScheduled"), count=3, timeout=180)
        await publish(bootstrap, updated(mentee, availability=afternoons))
        moved = await kafka.wait_for(of("SessionRescheduled"), count=3, timeout=180)
        assert len(moved) == 3
        series = (await http.get(f"/pairs/{pair.pair_id}")).json()
        paris = ZoneInfo("Europe/Paris")
        assert series["status"] == "planned"
        assert all(datetime.fromisoformat(s["starts_at"]).astimezone(paris).hour >= 14 for s in series["sessions"])
        assert uuid.UUID(series["mentee_id"]) == mentee.participant_id
