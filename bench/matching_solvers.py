"""One solver on one generated programme, in its own process so its peak memory is its own.

`python -m bench.matching_solvers KIND GENERATOR MENTEES MENTORS SEED` prints one JSON line.

- matcher: this service's round (candidate generation, pruned network, certificate, explanations);
- flow: baseline, OR-Tools min-cost flow over EVERY feasible couple (the same rules and values,
  listed by the same bucketed generation); with free `both` roles, the doubled network over every
  feasible couple plus the same branching (the flow itself cannot express "one pair in all");
- milp: scipy's HiGHS MILP over every feasible couple (independent rules: tests/unit/matching);
- continuous: pairing one arrival (mentee, mentor, both) or departure into the pool (domain call).
"""

import json
import resource
import sys
import time

import numpy as np

from bench.matching_instances import cross_programme, programme


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def instance(generator: str, mentees: int, mentors: int, seed: int):
    if generator == "bench":
        prog, people, _ = programme(mentees, mentors, seed=seed)
        return prog, people
    return cross_programme(mentees, mentors, seed=seed)


def _clock():
    return time.perf_counter(), time.process_time()


def _since(start) -> dict:
    return {"seconds": time.perf_counter() - start[0], "cpu_seconds": time.process_time() - start[1]}


def matcher(generator: str, mentees: int, mentors: int, seed: int) -> dict:
    from matching.domain.pool import Pool
    from matching.domain.rounds import plan_round

    prog, people = instance(generator, mentees, mentors, seed)
    start = _clock()
    plan = plan_round(Pool(prog, people, []))
    return {**_since(start), "objective": plan.objective, "must": plan.must_matched, "pairs": len(plan.proposals),
            "passes": plan.passes, "nodes": plan.nodes, "couples": plan.couples}


def flow(generator: str, mentees: int, mentors: int, seed: int) -> dict:
    """The same exact problem, without pruning: every feasible couple in the network at once."""
    from matching.domain import rounds
    from matching.domain.candidates import Generator
    from matching.domain.couples import must_match_bonus
    from matching.domain.exact import Problem
    from matching.domain.pool import Pool

    prog, people = instance(generator, mentees, mentors, seed)
    start = _clock()
    pool = Pool(prog, people, [])
    seats, free = pool.seats(), pool.free_takers()
    rows = rounds._by_id(pool, np.flatnonzero(free | (seats > 0)))
    p = pool.roster.people.take(rows)
    p.capacity = np.where(seats[rows] > 0, seats[rows], 1)
    generator_ = Generator(p, pool.codes, pool.policy, np.flatnonzero(free[rows]), np.flatnonzero(seats[rows] > 0),
                           np.zeros(0, np.int64), rounds._rank(pool, rows))
    feasible = generator_.all()
    listed = _since(start)
    result = Problem(feasible, np.ones(len(feasible.value), bool), p.capacity, p.must, p.both,
                     must_match_bonus(len(rows))).solve()
    covered = np.zeros(len(rows), bool)
    covered[result.taker], covered[result.giver] = True, True
    return {**_since(start), "listing_seconds": listed["seconds"], "objective": int(result.value.sum()),
            "must": int((covered & p.must).sum()), "pairs": len(result.taker), "couples": len(feasible.value),
            "nodes": result.nodes}


def milp(generator: str, mentees: int, mentors: int, seed: int) -> dict:
    sys.path.insert(0, ".")
    from tests.unit.matching.milp import optimum

    prog, people = instance(generator, mentees, mentors, seed)
    start = _clock()
    best = optimum(prog, people, [])
    return {**_since(start), "objective": best.objective, "must": best.must_matched, "pairs": None,
            "couples": best.couples}


def continuous(generator: str, mentees: int, mentors: int, seed: int) -> dict:
    """Per arrival kind, the domain call that pairs one newcomer into a pool with live pairs (a
    published round), the pool kept up to date one change at a time; and departures."""
    from dataclasses import replace

    from bench.matching_instances import cross_programme as newcomers_of
    from matching.domain.continuous import pair_many
    from matching.domain.model import Pair
    from matching.domain.pool import Pool
    from matching.domain.rounds import plan_round

    prog, people = instance(generator, mentees, mentors, seed)
    pool = Pool(prog, people, [])
    for p in plan_round(pool).proposals:  # live pairs
        pool.put_pair(Pair(Pair.id_for(prog.programme_id, p.mentor_id, p.mentee_id), prog.programme_id, p.mentor_id,
                           p.mentee_id, "", p.language, p.score))
    _, extra = newcomers_of(600, 600, seed=seed + 1, both_seniors=0.3, both_juniors=0.5)
    by_kind: dict[str, list[float]] = {"mentee": [], "mentor": [], "both": [], "departure": []}
    cpu: dict[str, list[float]] = {k: [] for k in by_kind}

    def timed(kind: str, act) -> None:
        start = _clock()
        act()
        took = _since(start)
        by_kind[kind].append(took["seconds"] * 1000)
        cpu[kind].append(took["cpu_seconds"] * 1000)

    def arrive(c) -> None:
        pool.put_candidate(c)
        for proposal in pair_many(pool, c.participant_id):
            pool.put_pair(Pair(Pair.id_for(prog.programme_id, proposal.mentor_id, proposal.mentee_id),
                               prog.programme_id, proposal.mentor_id, proposal.mentee_id, "", "", proposal.score))

    def depart(c) -> None:
        pool.put_candidate(replace(c, withdrawn=True))
        for pair in pool.active_pairs_of(c.participant_id):
            pool.put_pair(replace(pair, status="dissolved"))
            for partner in pair.members():
                if partner != c.participant_id:
                    for proposal in pair_many(pool, partner):
                        pool.put_pair(Pair(Pair.id_for(prog.programme_id, proposal.mentor_id, proposal.mentee_id),
                                           prog.programme_id, proposal.mentor_id, proposal.mentee_id, "", "",
                                           proposal.score))

    for c in extra:
        c.programme_id = prog.programme_id
        if len(by_kind[c.role]) < 200:
            timed(c.role, lambda c=c: arrive(c))
    for c in people[: 200]:
        timed("departure", lambda c=c: depart(c))
    out = {}
    for kind, ms in by_kind.items():
        ms, cms = np.array(ms[10:]), np.array(cpu[kind][10:])  # the first calls warm caches
        out[kind] = {"p50_ms": float(np.percentile(ms, 50)), "p99_ms": float(np.percentile(ms, 99)),
                     "max_ms": float(ms.max()), "cpu_p99_ms": float(np.percentile(cms, 99)), "samples": len(ms)}
    return out


if __name__ == "__main__":
    kind, gen, n_e, n_m, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    baseline = _peak_mb()
    result = {"matcher": matcher, "flow": flow, "milp": milp, "continuous": continuous}[kind](gen, n_e, n_m, seed)
    print(json.dumps({**result, "peak_mb": _peak_mb(), "baseline_mb": baseline}))
