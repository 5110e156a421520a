"""Continuous mode at service level: ParticipantEnrolled in -> PairCreated out, on the real broker
and store, into a programme pool of MENTEES x MENTORS with the live pairs of a published round.

`uv run python -m bench.matching_service --pool 10000x1000 --events 100` (servers: the environment's
KAFKA_BOOTSTRAP_SERVERS / MONGODB_URL, else the project's local ones, see tools/servers.py).

The pool is written to the store directly (bulk inserts: the candidates, the round's pairs and
their entries in the programme's pairs index, the programme document), the matching service runs
in this process on its real Kafka consumer, store and outbox relay, one warm-up event makes it read
the pool (once), then arrivals of each kind are
published one at a time and timed from the enrollment's send to the moment a plain consumer reads
the first PairCreated naming the arrival (each arrival's data key is published and acknowledged
before its enrollment, as enrollment does; not timed). That driver (its producer and consumer) runs
in a child process (bench/matching_driver.py), so the service is alone in this process and event
loop, as in production; `--same-process` puts it back beside the service (the way before `cont12h`). Beside that
end-to-end figure, the service's own time per arrival, from timestamps taken inside the service's
process at its own seams (`ServiceClock`): the polled batch holding the enrollment handed to the
consumer's delivery -> the enrollment's use case returned (its unit of work committed) -> the
arrival's first PairCreated acknowledged by the broker to the relay (the relay is woken when the
decision's programme write lands; the decision's other documents are written after its ack, `ack12`).
A run does not depend on earlier ones: before the service starts, the `matching` group's offsets are
moved to the end of the topics it reads (a run killed part-way leaves its enrollments unconsumed there;
the service would decide them first), and the arrivals' ids are drawn from the run's own id (the same
people as every run, seed 9, renamed), so nothing an earlier run left on Kafka names them.
`--profile FILE` writes a cProfile of the arrivals (the service's side; the driver's too with
`--same-process`). Arrivals are made pairable: mentees speak a language only some spare mentors (with free
seats) speak; mentors and `both` juniors speak the language of mentees left waiting by the round.
Then `GET /pairs`'s store path (the repository, no HTTP) is timed `--list-calls` times per request
with all those pairs stored. `--compare [pages|keys-and-wake|journal|onetrip|journal-first]`: every other
arrival of each kind is decided as before a change (see --help): the same run's baseline, interleaved, so
both ways see the same load.
"""

import argparse
import asyncio
import cProfile
import json
import os
import time
import uuid
from dataclasses import replace

import numpy as np
from faststream.kafka.annotations import KafkaMessage
from pymongo import AsyncMongoClient, monitoring

from bench.matching_driver import ChildDriver, LocalDriver
from bench.matching_instances import programme
from bench.matching_timeline import GcWatch, StoreTimeline, WalWatch, append_lines, breakdown, summary
from matching import handlers, staging
from matching.adapters import documents as docs
from matching.adapters import repositories
from matching.adapters.journal import pairs_index
from matching.adapters.repositories import MongoPairs
from matching.bootstrap import bootstrap
from matching.config import Settings
from matching.domain.model import Pair, Slot
from matching.domain.pool import Pool
from matching.domain.rounds import plan_round
from matching.entrypoints.app import create_app
from matching.unit_of_work import MatchingUnitOfWork
from shared.contracts import (
    PairCreated,
    ParticipantEnrolled,
    ParticipantKey,
    ParticipantProfile,
    TopicSkill,
    WeeklySlot,
    topic_for,
)
from shared.crypto.keyring import MongoKeys
from shared.crypto.sealing import new_data_key, seal
from shared.mongo.aggregates import AggregateDocuments
from shared.mongo.index_memory import PageMemory
from shared.mongo.outbox_markers import PendingOutboxes
from tools.consumer_groups import start_at_end
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


def renamed(people: list, run: uuid.UUID) -> list:
    """The same people under ids drawn from the run's id (their reporting lines among them kept)."""
    ids = {c.participant_id: uuid.uuid5(run, str(c.participant_id)) for c in people}
    return [replace(c, participant_id=ids[c.participant_id], manager_id=ids.get(c.manager_id, c.manager_id))
            for c in people]


def _record(event) -> dict:
    return {"topic": topic_for(event), "key": event.partition_key, "value": event.model_dump_json()}


async def preload(db, prog, people) -> None:
    pool = Pool(prog, people, [])
    pairs = [Pair(uuid.uuid4(), prog.programme_id, p.mentor_id,
                  p.mentee_id, "FR", p.language, p.score, p.breakdown, p.directions, version=1)
             for p in plan_round(pool).proposals]
    stored = {"version": 1, "outbox": [], "outbox_pending": False}
    for kind, items, to_doc in (("candidates", people, docs.candidate_to_doc), ("pairs", pairs, docs.pair_to_doc)):
        for start in range(0, len(items), 2000):
            await db[kind].insert_many([{**to_doc(x), **stored} for x in items[start:start + 2000]])
    # The round's pairs are listed by the programme's index, as the published round wrote them.
    await pairs_index(db).put(prog.programme_id, {str(p.pair_id): {"status": p.status, "country": p.country}
                                                  for p in pairs})
    await db["programmes"].insert_one({**docs.programme_to_doc(prog), **stored, "journal": {}})
    # Each person's data key, as the key topic delivered it: a pair is made only with both keys.
    for start in range(0, len(people), 2000):
        await db["participant_keys"].insert_many(
            [{"_id": str(c.participant_id), "data_key": new_data_key(), "programme_id": str(prog.programme_id)}
             for c in people[start:start + 2000]])
    print(f"preloaded {len(people)} candidates and {len(pairs)} live pairs", flush=True)


class ServiceClock:
    """Timestamps at the service's own seams, set on its composed objects before its app is built:
    the consumer's delivery of a polled batch, the enrollment's use case returned (its unit of work
    committed: every write of the decision landed), each wake of the relay (a decision's programme
    write landed with events, then its commit), and each event the relay publishes (returned once the
    broker acknowledged it)."""

    def __init__(self, services) -> None:
        runtime = services.runtime
        self.polled: dict[str, float] = {}  # arrival id -> its batch handed to the consumer's delivery
        self.committed: dict[str, float] = {}  # arrival id -> its enrollment's use case returned
        self.wakes: list[float] = []
        self.entered: dict[str, float] = {}  # arrival id -> its enrollment's use case called
        self.commits: list[float] = []  # each unit of work's commit started (its staged writes sent in order)
        self.acked: dict[str, tuple[float, float]] = {}  # member id -> first PairCreated (publish start, acked)
        self.put_back: list[float] = []  # records put back (read before the data key that opens them)
        deliver, wake, publish = runtime.consumer.deliver, runtime.relay.wake, runtime.relay.publish
        put_back = runtime.consumer.deferrals.put_back
        add_one, add_many = handlers.add_candidate, handlers.add_candidates

        async def deferred(msg) -> float:
            self.put_back.append(time.perf_counter())
            return await put_back(msg)

        runtime.consumer.deferrals.put_back = deferred
        enrolled = topic_for(ParticipantEnrolled)

        async def delivered(msg: KafkaMessage) -> None:  # the annotation makes FastStream pass the message
            now = time.perf_counter()
            raw = msg.raw_message
            for record in raw if isinstance(raw, tuple) else (raw,):
                if record.topic == enrolled:
                    self.polled.setdefault(json.loads(record.value)["participant_id"], now)
            await deliver(msg)

        async def added_one(cmd, uow):
            self.entered.setdefault(str(cmd.candidate.participant_id), time.perf_counter())
            made = await add_one(cmd, uow)
            self.committed.setdefault(str(cmd.candidate.participant_id), time.perf_counter())
            return made

        async def added_many(cmd, uow):
            entered = time.perf_counter()
            for one in cmd.commands:
                self.entered.setdefault(str(one.candidate.participant_id), entered)
            made = await add_many(cmd, uow)
            now = time.perf_counter()
            for one in cmd.commands:
                self.committed.setdefault(str(one.candidate.participant_id), now)
            return made

        def woken() -> None:
            self.wakes.append(time.perf_counter())
            wake()

        async def published(entry) -> None:
            start = time.perf_counter()
            await publish(entry)
            if entry["topic"] == topic_for(PairCreated):
                body = json.loads(entry["value"])
                for member in (body["mentor"]["participant_id"], body["mentee"]["participant_id"]):
                    self.acked.setdefault(member, (start, time.perf_counter()))

        commit = MatchingUnitOfWork.commit

        async def committing(uow) -> None:
            self.commits.append(time.perf_counter())
            await commit(uow)

        MatchingUnitOfWork.commit = committing  # type: ignore[method-assign]
        runtime.consumer.deliver, runtime.relay.wake, runtime.relay.publish = delivered, woken, published
        handlers.add_candidate, handlers.add_candidates = added_one, added_many  # the consumers call them so

    def seams(self, participant_id: str) -> tuple[float, float, float, float, float]:
        """(polled, committed, woken, publish started, acked): the wake is the last one before the relay
        started publishing the arrival's PairCreated (since `cont12f` its decision's programme write,
        before the decision's other documents are written and the use case returns)."""
        polled, (started, acked) = self.polled[participant_id], self.acked[participant_id]
        return polled, self.committed[participant_id], max(t for t in self.wakes if t <= started), started, acked

    def stages(self, participant_id: str) -> dict[str, float]:
        """When its use case was called and when that use case's commit started (the decision made)."""
        entered, committed = self.entered[participant_id], self.committed[participant_id]
        return {"entered": entered, "commit_started": min((t for t in self.commits if entered <= t <= committed),
                                                           default=committed)}

    def own(self, participant_id: str) -> tuple[float, float]:
        """(polled -> committed, polled -> PairCreated acked) in ms."""
        polled, committed, _, _, acked = self.seams(participant_id)
        return (committed - polled) * 1000, (acked - polled) * 1000


def _figures(ms) -> dict:
    ms = np.array(ms)
    return {"p50_ms": round(float(np.percentile(ms, 50)), 1), "p99_ms": round(float(np.percentile(ms, 99)), 1),
            "max_ms": round(float(ms.max()), 1)}


async def list_latency(db, programme_id, calls: int) -> dict:
    """`GET /pairs?programme_id=`'s store path (the repository the route calls; no HTTP, no token),
    with the round's and the arrivals' pairs stored: the first page of 50, a page filtered by
    status, the page after a cursor, and the count the response carries."""
    pairs = MongoPairs(AggregateDocuments(db["pairs"]))
    index = pairs.index
    cursor = (await index.ids(programme_id, 0, 1000))[-1]
    requests = {"first_page_50": lambda: pairs.page(programme_id, None, 0, 50),
                "active_page_50": lambda: pairs.page(programme_id, "active", 0, 50),
                "page_after_cursor_50": lambda: index.ids(programme_id, 0, 50, after=cursor),
                "count": lambda: index.count(programme_id, status="active")}
    out = {}
    for name, request in requests.items():
        ms = []
        for _ in range(calls):
            start = time.perf_counter()
            await request()
            ms.append((time.perf_counter() - start) * 1000)
        out[name] = _figures(ms)
    return out


def _as_before_cont12f(before: dict) -> None:
    """--compare keys-and-wake: while `before["now"]`, a key the pool load brought and nobody used yet is
    read by `_id` (then kept, as a read by `_id` keeps it), and the relay is woken at the commit only."""
    loaded: set = set()  # keys in the cache only because the pool load brought them
    remember, get, decided = MongoKeys.remember_programme, MongoKeys.get, MatchingUnitOfWork.decided

    async def remember_programme(self, programme_id):
        held = set(self.cache.keys._items)
        kept = await remember(self, programme_id)
        loaded.update(set(self.cache.keys._items) - held)
        return kept

    async def first_use(self, participant_id):
        if participant_id in loaded and participant_id not in self.read:
            loaded.discard(participant_id)
            if before["now"]:
                self.cache.keys.pop(participant_id)
        return await get(self, participant_id)

    MongoKeys.remember_programme, MongoKeys.get = remember_programme, first_use
    MatchingUnitOfWork.decided = lambda self: None if before["now"] else decided(self)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pool", default="10000x1000")
    parser.add_argument("--events", type=int, default=100, help="arrivals of each kind")
    parser.add_argument("--profile", help="write a cProfile of the arrivals (not the warm-up) to this file")
    parser.add_argument("--profile-cpu", action="store_true",
                        help="the profile's timer: this process's CPU time, not wall time (beside other work)")
    parser.add_argument("--ferretdb-dir", default=".local/state/ferretdb/sqlite",
                        help="the local FerretDB's SQLite files, to see its WAL checkpoints")
    parser.add_argument("--timeline", help="write each arrival's breakdown (JSON lines) to this file")
    parser.add_argument("--same-process", action="store_true",
                        help="the driver's producer and consumer in this process and event loop, beside the service "
                             "(as before `cont12h`); by default they run in a child process (bench/matching_driver.py)")
    parser.add_argument("--list-calls", type=int, default=100, help="timed calls of each pairs list request")
    parser.add_argument("--settle-ms", type=float, default=None,
                        help="after each arrival, wait until the service committed it (its use case returned, "
                             "its journal written), then this many ms more, before the next: each arrival then meets a "
                             "service with no earlier arrival's work still running (enrollments come one at a time, "
                             "at most a few per second). Default: back to back, the next sent once the previous "
                             "arrival's PairCreated is read (its journal may still be written meanwhile)")
    parser.add_argument("--compare", nargs="?", const="pages",
                        choices=("pages", "keys-and-wake", "journal", "relay-first", "onetrip", "journal-first"),
                        help="every other arrival of each kind is decided as before a change, in the same run, "
                             "interleaved; figures per kind and way. `pages` (the default): as before the pairs "
                             "index pages were kept in memory (shared/mongo/index_memory.py) and a decision's pairs "
                             "put on one page (events.new_pair): it reads the pages it writes, each pair on its own "
                             "page. `keys-and-wake`: as before `cont12f`: a key the pool load brought is read by "
                             "`_id` at its first use (keyring.remember_programme), and the relay is woken at the "
                             "commit, not when the programme write lands (MatchingUnitOfWork.decided). `journal`: as "
                             "before `cont12h`, the decision's journal nested in the programme document, not JSON text "
                             "(adapters/journal.py); by blocks of 10 arrivals, not every other one, since a version "
                             "read and an update decode the document the previous arrival wrote. `relay-first` (a "
                             "trial, not a change made): the other way hands the relay 3 loop turns after its wake, "
                             "before the decision's journal is written. `onetrip`: as before `onetrip12`, the "
                             "programme write reads the version beside its marker, then updates (the marker written "
                             "ahead is not used; it is still stamped and the next one created, in the background). "
                             "`journal-first`: as before `ack12`, the decision's journal and its markers' stamp are "
                             "written right after the relay's wake, not after the broker's ack (ACK_WAIT_S)")
    args = parser.parse_args()
    before = {"now": False}  # this arrival is decided as before (--compare); what is remembered is kept up all the same
    if args.compare == "pages":
        remembered, paired = PageMemory.at, staging.new_pair
        PageMemory.at = lambda self, *a: ({}, False) if before["now"] else remembered(self, *a)
        # as before, each pair on the page of its own random id, not one page for the decision's pairs
        staging.new_pair = lambda *a: paired(*a[:4]) if before["now"] else paired(*a)
    elif args.compare == "keys-and-wake":
        _as_before_cont12f(before)
    elif args.compare == "journal":
        as_text = repositories.journal_text
        repositories.journal_text = lambda journal: journal if before["now"] else as_text(journal)
    elif args.compare == "relay-first":
        applied = repositories.apply

        async def relay_first(db, journal, versions=None):  # a decision's journal, right after the relay's wake
            if versions is not None and not before["now"]:
                for _ in range(3):
                    await asyncio.sleep(0)
            await applied(db, journal, versions)

        repositories.apply = relay_first
    elif args.compare == "onetrip":
        trusted = PendingOutboxes.written_last

        async def not_trusted(self, *a):
            found = await trusted(self, *a)
            return None if before["now"] else found

        PendingOutboxes.written_last = not_trusted
    elif args.compare == "journal-first":
        waited = PendingOutboxes.until_published

        async def not_waited(self, *a):
            return False if before["now"] else await waited(self, *a)

        PendingOutboxes.until_published = not_waited
    block = 10 if args.compare == "journal" else 1  # arrivals in a row decided one way

    def way_of(n: int) -> int:  # 0: now, 1: as before
        return (n // block) % 2
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
    run = uuid.uuid4()
    arrivals = renamed(programme(args.events, args.events * 2, seed=9)[1], run)
    mentees = [replace(c, programme_id=prog.programme_id, languages=[SPARE], time_zone="Europe/Paris",
                       availability=week, country="FR") for c in arrivals[: args.events]]
    mentors = [replace(c, programme_id=prog.programme_id, languages=[WAITING], time_zone="Europe/Paris",
                       availability=week, country="FR") for c in arrivals[args.events: 2 * args.events]]
    both = [replace(c, programme_id=prog.programme_id, role="both", seniority_level=2, languages=[WAITING],
                    time_zone="Europe/Paris", availability=week, country="FR") for c in arrivals[2 * args.events:]]
    with acquire_servers() as servers:
        # Run it alone: it joins the `matching` consumer group (the one its Kafka account may use), and
        # the PairCreated it publishes reach whatever consumes that topic. Its own database.
        settings = Settings(**servers.settings_for("matching"), mongodb_database=f"bench_{run.hex[:8]}_matching",
                            outbox_sweep_interval_s=60)
        # What an earlier run left in the group (a killed run's enrollments) is skipped, not decided first.
        skipped = await start_at_end(servers, ["matching"])
        print(f"consumer group matching starts at the topics' end: {skipped.get('matching', 0)} records "
              "earlier runs left skipped", flush=True)
        timeline = StoreTimeline(settings.database_name)
        monitoring.register(timeline)  # before the clients: the service's commands (and the preload's)
        gcw = GcWatch()
        client = AsyncMongoClient(servers.mongodb_url)
        db = client[settings.database_name]
        await preload(db, prog, people + spare + waiting)
        services = bootstrap(settings)
        clock = ServiceClock(services)
        app = create_app(settings, services)
        profiler = None if not args.profile else cProfile.Profile(time.process_time) if args.profile_cpu \
            else cProfile.Profile()
        results: dict = {"compare": args.compare}
        async with app.router.lifespan_context(app):
            driver = (LocalDriver if args.same_process else ChildDriver)(
                servers.kafka_bootstrap_servers, servers.kafka_as("admin"), topic_for(PairCreated))
            await driver.start()
            try:
                async def one(c) -> float:
                    key, event = _events(c, prog.programme_id)
                    answer = await driver.arrive({"participant_id": str(c.participant_id),
                                                  "key": _record(key), "enrollment": _record(event)})
                    if "error" in answer:
                        raise TimeoutError(answer["error"])
                    return answer["end_to_end_ms"]

                warm = time.perf_counter()
                await one(mentors[0])
                wal = WalWatch(os.path.join(args.ferretdb_dir, f"{settings.database_name}.sqlite-wal")).start()
                print(f"warm-up (reads the pool once): {time.perf_counter() - warm:.1f} s", flush=True)
                if profiler:
                    profiler.enable()

                async def until_committed(arrivals: list, pause: float) -> None:
                    """Until the service has committed these arrivals (1,000 pauses at most)."""
                    for _ in range(1000):
                        if all(str(c.participant_id) in clock.committed for c in arrivals):
                            return
                        await asyncio.sleep(pause)

                async def _report(name: str, batch: list, ms: list[float]) -> None:
                    # an arrival whose PairCreated's first publish raised (a broker timeout) after the
                    # broker took it has no relay seam yet: left out of the service's figures, counted
                    timed = [(c, e) for c, e in zip(batch, ms, strict=True) if str(c.participant_id) in clock.acked]
                    # PairCreated may be read before its use case returned (the relay is woken at the programme
                    # write): the last arrival's commit is waited for
                    await until_committed([c for c, _ in timed], 0.01)
                    own = [clock.own(str(c.participant_id)) for c, _ in timed]
                    parts = [breakdown(*clock.seams(str(c.participant_id)), timeline, wal, gcw, clock.put_back,
                                       **clock.stages(str(c.participant_id)))
                             for c, _ in timed]
                    results[name] = {"samples": len(ms), "without_relay_seam": len(batch) - len(timed),
                                     "end_to_end": _figures(ms),
                                     "service_polled_to_committed": _figures([o[0] for o in own]),
                                     "service_polled_to_acked": _figures([o[1] for o in own]),
                                     "where": summary(parts)}
                    if args.timeline:
                        append_lines(args.timeline, [{"kind": name, "end_to_end_ms": e, **p}
                                                     for (_, e), p in zip(timed, parts, strict=True)])
                    print(name, json.dumps(results[name]), flush=True)

                async def timed_one(n: int, c) -> float:
                    before["now"] = bool(args.compare) and way_of(n) == 1
                    try:
                        return await one(c)
                    finally:
                        before["now"] = False
                        if args.settle_ms is not None:
                            await until_committed([c], 0.002)
                            await asyncio.sleep(args.settle_ms / 1000)

                ways = {"now": 0, "as_before": 1} if args.compare else {"now": None}  # odd arrivals: before
                for kind, every in (("mentee", mentees), ("mentor", mentors[1:]), ("both", both)):
                    cpu = time.process_time()
                    every_ms = [await timed_one(n, c) for n, c in enumerate(every)]
                    # the service's process alone (the driver is a child): its CPU per arrival, both ways
                    cpu_ms = (time.process_time() - cpu) * 1000 / len(every)
                    results[f"{kind} service_cpu_ms_per_arrival"] = round(cpu_ms, 2)
                    for way, parity in ways.items():
                        await _report(kind if parity is None else f"{kind} {way}",
                                      [c for n, c in enumerate(every) if parity is None or way_of(n) == parity],
                                      [e for n, e in enumerate(every_ms) if parity is None or way_of(n) == parity])
                wal.stop()
                if profiler:
                    profiler.disable()  # the arrivals only, not the list requests below
                # the longest single round trip of the run (preload, pool read, arrivals), against the
                # services' per-round-trip bound (MONGODB_SOCKET_TIMEOUT_MS)
                slowest = max(timeline.commands, key=lambda c: c[1] - c[0])
                results["slowest_store_command"] = {"ms": round((slowest[1] - slowest[0]) * 1000, 1),
                                                    "command": f"{slowest[2]} {slowest[3]}"}
                results["pairs_list"] = await list_latency(db, prog.programme_id, args.list_calls)
                print("pairs_list", json.dumps(results["pairs_list"]), flush=True)
            finally:
                if profiler:
                    profiler.disable()
                    profiler.dump_stats(args.profile)
                await driver.stop()
        await client.drop_database(settings.database_name)
        await client.close()
    print(json.dumps({"pool": args.pool, "load": os.getloadavg(), "settle_ms": args.settle_ms, **results}))


if __name__ == "__main__":
    asyncio.run(main())
