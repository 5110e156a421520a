"""Continuous mode at service level: ParticipantEnrolled in -> PairCreated out, on the real broker
and store, into a programme pool of MENTEES x MENTORS with the live pairs of a published round.

`uv run python -m bench.matching_service --pool 10000x1000 --events 100` (servers: the environment's
KAFKA_BOOTSTRAP_SERVERS / MONGODB_URL, else the project's local ones, see tools/servers.py).

The pool is written to the store directly (bulk inserts: the candidates, the round's pairs, the
programme document), the matching service runs in this process on its real Kafka consumer, store
and outbox relay, one warm-up event makes it read the pool (once), then arrivals of each kind are
published one at a time and timed from the broker's acknowledgement of the enrollment to the
moment a plain consumer reads the first PairCreated naming the arrival (each arrival's data key is
published and acknowledged before its enrollment, as enrollment does; not timed). Arrivals are made
pairable: mentees speak a language only some spare mentors (with free seats) speak; mentors and
`both` juniors speak the language of mentees left waiting by the round.
"""

import argparse
import asyncio
import json
import os
import time
import uuid
from dataclasses import replace

import numpy as np
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from pymongo import AsyncMongoClient

from bench.matching_instances import programme
from matching.adapters import documents as docs
from matching.config import Settings
from matching.domain.model import Pair, Slot
from matching.domain.pool import Pool
from matching.domain.rounds import plan_round
from matching.entrypoints.app import create_app
from shared.contracts import (
    PairCreated,
    ParticipantEnrolled,
    ParticipantKey,
    ParticipantProfile,
    TopicSkill,
    WeeklySlot,
    topic_for,
)
from shared.crypto.sealing import new_data_key, seal
from tools.servers import acquire_servers

SPARE = "xx"  # the language of the spare mentors and of the arriving mentees
WAITING = "yy"  # the language of the waiting mentees and of the arriving mentors and `both`


def _events(c, pid) -> tuple[ParticipantKey, ParticipantEnrolled]:
    """The arrival as enrollment publishes it: the person's data key, then the profile sealed under it."""
    key = new_data_key()
    profile = ParticipantProfile(
        role=c.role, country=c.country, languages=c.languages, time_zone=c.time_zone,
        seniority_level=c.seniority_level,
        availability=[WeeklySlot(weekday=s.weekday, start=s.start, end=s.end) for s in c.availability],
        department=c.department, manager_participant_id=c.manager_id,
        skills=[TopicSkill(topic=s.topic, proficiency=s.proficiency, wish=s.wish) for s in c.skills])
    return (ParticipantKey(participant_id=c.participant_id, programme_id=pid, data_key=key),
            ParticipantEnrolled(participant_id=c.participant_id, programme_id=pid,
                                profile=seal(profile, key, c.participant_id)))


async def preload(db, prog, people) -> None:
    pool = Pool(prog, people, [])
    pairs = [Pair(uuid.uuid4(), prog.programme_id, p.mentor_id,
                  p.mentee_id, "FR", p.language, p.score, p.breakdown, p.directions, version=1)
             for p in plan_round(pool).proposals]
    stored = {"version": 1, "outbox": [], "outbox_pending": False}
    for kind, items, to_doc in (("candidates", people, docs.candidate_to_doc), ("pairs", pairs, docs.pair_to_doc)):
        for start in range(0, len(items), 2000):
            await db[kind].insert_many([{**to_doc(x), **stored} for x in items[start:start + 2000]])
    await db["programmes"].insert_one({**docs.programme_to_doc(prog), **stored, "journal": {}})
    # Each person's data key, as the key topic delivered it: a pair is made only with both keys.
    for start in range(0, len(people), 2000):
        await db["participant_keys"].insert_many(
            [{"_id": str(c.participant_id), "data_key": new_data_key()} for c in people[start:start + 2000]])
    print(f"preloaded {len(people)} candidates and {len(pairs)} live pairs", flush=True)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pool", default="10000x1000")
    parser.add_argument("--events", type=int, default=100, help="arrivals of each kind")
    args = parser.parse_args()
    n_e, n_m = (int(x) for x in args.pool.split("x"))
    prog, people, _ = programme(n_e, n_m, seed=7)
    prog = replace(prog, version=1)
    week = [Slot(d, "09:00", "17:00") for d in range(5)]
    spare = programme(0, args.events, seed=8)[1]
    for c in spare:  # free seats for the arriving mentees (same language, zone and hours)
        c.programme_id, c.languages, c.capacity = prog.programme_id, [SPARE], 10
        c.time_zone, c.availability, c.country = "Europe/Paris", week, "FR"
    # Mentees no mentor of the round can take (their language is WAITING): the arriving mentors and
    # `both` juniors, who speak it, find them (the exact round leaves no other mentee waiting).
    waiting = programme(args.events * 11, 0, seed=10)[1]
    for c in waiting:
        c.programme_id, c.languages, c.time_zone, c.availability, c.country = (
            prog.programme_id, [WAITING], "Europe/Paris", week, "FR")
    arrivals = programme(args.events, args.events * 2, seed=9)[1]
    mentees = [replace(c, programme_id=prog.programme_id, languages=[SPARE], time_zone="Europe/Paris",
                       availability=week, country="FR") for c in arrivals[: args.events]]
    mentors = [replace(c, programme_id=prog.programme_id, languages=[WAITING], time_zone="Europe/Paris",
                       availability=week, country="FR") for c in arrivals[args.events: 2 * args.events]]
    both = [replace(c, programme_id=prog.programme_id, role="both", seniority_level=2, languages=[WAITING],
                    time_zone="Europe/Paris", availability=week, country="FR") for c in arrivals[2 * args.events:]]
    with acquire_servers() as servers:
        run = uuid.uuid4().hex[:8]
        # Run it alone: it joins the `matching` consumer group (the one its Kafka account may use), and
        # the PairCreated it publishes reach whatever consumes that topic. Its own database.
        settings = Settings(**servers.settings_for("matching"), mongodb_database=f"bench_{run}_matching",
                            outbox_sweep_interval_s=60)
        admin = {"bootstrap_servers": servers.kafka_bootstrap_servers, **servers.kafka_as("admin").client_kwargs()}
        client = AsyncMongoClient(servers.mongodb_url)
        db = client[settings.database_name]
        await preload(db, prog, people + spare + waiting)
        app = create_app(settings)
        results = {}
        async with app.router.lifespan_context(app):
            producer = AIOKafkaProducer(**admin, acks="all")
            consumer = AIOKafkaConsumer(topic_for(PairCreated), **admin, auto_offset_reset="latest")
            await producer.start()
            await consumer.start()
            await asyncio.sleep(3)  # the consumer's assignment
            try:
                async def one(c) -> float:
                    key, event = _events(c, prog.programme_id)
                    await producer.send_and_wait(topic_for(key), key.model_dump_json().encode(),
                                                 key=key.partition_key.encode())
                    start = time.perf_counter()
                    await producer.send_and_wait(topic_for(event), event.model_dump_json().encode(),
                                                 key=event.partition_key.encode())
                    while True:
                        batch = await consumer.getmany(timeout_ms=60_000)
                        for records in batch.values():
                            for r in records:
                                body = json.loads(r.value)
                                if str(c.participant_id) in (body["mentor"]["participant_id"],
                                                             body["mentee"]["participant_id"]):
                                    return (time.perf_counter() - start) * 1000
                        if not batch:
                            raise TimeoutError(f"no PairCreated for {c.participant_id}")

                warm = time.perf_counter()
                await one(mentors[0])
                print(f"warm-up (reads the pool once): {time.perf_counter() - warm:.1f} s", flush=True)
                for kind, batch in (("mentee", mentees), ("mentor", mentors[1:]), ("both", both)):
                    ms = np.array([await one(c) for c in batch])
                    results[kind] = {"p50_ms": float(np.percentile(ms, 50)), "p99_ms": float(np.percentile(ms, 99)),
                                     "max_ms": float(ms.max()), "samples": len(ms)}
                    print(kind, json.dumps(results[kind]), flush=True)
            finally:
                await consumer.stop()
                await producer.stop()
        await client.drop_database(settings.database_name)
        await client.close()
    print(json.dumps({"pool": args.pool, "load": os.getloadavg()[0], **results}))


if __name__ == "__main__":
    asyncio.run(main())
