"""A continuous-mode arrival's CPU inside the matching service, step by step, without the store or
the broker: the pairing (`pair_many`), the events built (members sealed, `PairCreated`), and what the
programme write encodes (the journal's text, the outbox entries, the update's BSON).

`uv run python -m bench.matching_decision_cpu --pool 10000x1000 --events 200 --repeats 5`

The pool is bench.matching_service's (the same generator, seeds and arrivals: mentors who each take
10 waiting mentees, mentees who each take a spare mentor's seat). Each arrival is decided on a copy
of nothing: the pool keeps the pairs made, as the service's does. CPU time (`time.process_time`),
so a run beside other work measures the same thing; the median over arrivals, per repeat, and the
median of the repeats' medians.
"""

import argparse
import statistics
import time
import uuid
from dataclasses import replace

import bson

from bench.matching_instances import programme
from matching.adapters import documents as docs
from matching.adapters.journal import journal_of, journal_text
from matching.domain.continuous import pair_many
from matching.domain.model import Pair, Slot
from matching.domain.pool import Pool
from matching.domain.rounds import plan_round
from matching.events import new_pair, pair_created
from matching.unit_of_work import Decision
from shared.crypto.sealing import new_data_key
from shared.mongo.aggregates import outbox_entry

STEPS = ("pair_many", "events", "journal", "outbox", "bson")


def _people(events: int):
    """bench.matching_service's pool and arrivals, in memory."""
    prog, people, _ = programme(10000, 1000, seed=7)
    prog = replace(prog, version=1)
    week = [Slot(d, "09:00", "17:00") for d in range(5)]
    spare = programme(0, events, seed=8)[1]
    for c in spare:
        c.programme_id, c.languages, c.capacity = prog.programme_id, ["xx"], 10
        c.time_zone, c.availability, c.country = "Europe/Paris", week, "FR"
    waiting = programme(events * 11, 0, seed=10)[1]
    for c in waiting:
        c.programme_id, c.languages, c.time_zone, c.availability, c.country = (
            prog.programme_id, ["yy"], "Europe/Paris", week, "FR")
    arrivals = programme(events, events * 2, seed=9)[1]
    mentees = [replace(c, programme_id=prog.programme_id, languages=["xx"], time_zone="Europe/Paris",
                       availability=week, country="FR") for c in arrivals[:events]]
    mentors = [replace(c, programme_id=prog.programme_id, languages=["yy"], time_zone="Europe/Paris",
                       availability=week, country="FR") for c in arrivals[events: 2 * events]]
    return prog, people + spare + waiting, mentees, mentors


def _pool(prog, people) -> Pool:
    pool = Pool(prog, people, [])
    for p in plan_round(pool).proposals:
        pool.put_pair(Pair(uuid.uuid4(), prog.programme_id, p.mentor_id, p.mentee_id, "FR", p.language, p.score,
                           p.breakdown, p.directions, version=1))
    return pool


def decide(pool: Pool, prog, candidate, keys: dict) -> tuple[dict[str, float], int, int]:
    """One arrival as staging.pair_participants and MongoProgrammes.decide do it: (CPU ms per step,
    pairs made, bytes of the programme update's BSON)."""
    ms: dict[str, float] = {}
    clock = time.process_time
    t = clock()
    pool.put_candidate(candidate)
    decision = Decision(candidates=[candidate])
    proposals = pair_many(pool, candidate.participant_id)
    ms["pair_many"] = (clock() - t) * 1000
    t = clock()
    members: dict = {}
    for proposal in proposals:
        mentor, mentee = pool.candidate(proposal.mentor_id), pool.candidate(proposal.mentee_id)
        pair = new_pair(prog.programme_id, proposal, mentor, mentee, 7)
        pool.put_pair(pair)
        decision.pairs.append(pair)
        decision.events.append(pair_created(pair, mentor, mentee, (keys[mentor.participant_id],
                                                                   keys[mentee.participant_id]),
                                            uuid.uuid4(), uuid.uuid4(), members))
    ms["events"] = (clock() - t) * 1000
    t = clock()
    for item in (*decision.candidates, *decision.pairs):
        item.version += 1
    doc = {**docs.programme_to_doc(prog), "journal": journal_text(journal_of(decision.candidates, decision.pairs))}
    ms["journal"] = (clock() - t) * 1000
    t = clock()
    entries = [outbox_entry(e, 2) for e in decision.events]
    ms["outbox"] = (clock() - t) * 1000
    t = clock()
    doc.pop("_id")
    encoded = bson.encode({"q": {"_id": str(prog.programme_id)},
                           "u": {"$set": {**doc, "version": 2, "outbox": entries, "outbox_pending": True}}})
    ms["bson"] = (clock() - t) * 1000
    return ms, len(proposals), len(encoded)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200, help="arrivals of each kind")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    prog, people, mentees, mentors = _people(args.events)
    keys = {c.participant_id: new_data_key() for c in people + mentees + mentors}
    for kind, arrivals in (("mentor", mentors), ("mentee", mentees)):
        per_repeat = []
        for _ in range(args.repeats):
            pool = _pool(prog, people)
            rows = [decide(pool, prog, replace(c, version=0), keys) for c in arrivals]
            per_repeat.append(rows)
        medians = {s: statistics.median(statistics.median(r[0][s] for r in rows) for rows in per_repeat)
                   for s in STEPS}
        total = statistics.median(statistics.median(sum(r[0].values()) for r in rows) for rows in per_repeat)
        made = statistics.median(r[1] for r in per_repeat[0])
        size = statistics.median(r[2] for r in per_repeat[0])
        print(kind, {"pairs_per_arrival": made, "update_bson_bytes": size, "cpu_ms_total_p50": round(total, 3),
                     **{f"{s}_ms_p50": round(v, 3) for s, v in medians.items()}}, flush=True)


if __name__ == "__main__":
    main()
