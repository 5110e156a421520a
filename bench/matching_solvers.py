"""One solver on one generated programme, in its own process so its peak memory is its own.

`python -m bench.matching_solvers KIND GENERATOR MENTEES MENTORS SEED` prints one JSON line.

Both rounds start from the programme's pool in memory, as the service keeps it; building it is
timed apart (pool_seconds, pool_cpu_seconds) and reported next to each.

- matcher: this service's round (candidate generation, pruned network, certificate, explanations);
- flow: baseline, ONE OR-Tools min-cost flow over EVERY feasible couple (OR-Tools alone: the
  matcher's auction, `assignment.py`, is switched off in this process) (the same rules and values,
  listed by the same bucketed generation) with the plain full must-match bonus, and nothing else;
  with free `both` roles, the matcher's split certified against the doubled relaxation, else the
  doubled network over every feasible couple plus the same branching (the flow itself cannot
  express "one pair in all");
- milp: scipy's HiGHS MILP over every feasible couple (independent rules: tests/unit/matching);
- continuous: pairing one arrival (mentee, mentor, both) or departure into the pool (domain call).
"""

import json
import resource
import sys
import time
import uuid

import numpy as np

from bench.matching_instances import cross_programme, programme
from matching.domain.exact import Problem


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


def prepared(generator: str, mentees: int, mentors: int, seed: int):
    """The programme's pool in memory, as the service keeps it between decisions (`pools.py`): its
    arrays built from the candidates and its availability rows ready. Both solvers start from it;
    building it is timed apart ("pool_seconds"). numpy's lazy `numpy.ma` import (one per process,
    on the first `np.unique`) is paid here too, not by whichever solver calls it first, and so is
    loading the compiled loops of the listing (`warmup.py`, ~0.8 s, once per service process)."""
    import numpy.ma  # noqa: F401

    from matching.domain.pool import Pool
    from matching.domain.warmup import warm

    warm()  # the compiled loops, loaded as the service's composition root does at start

    prog, people = instance(generator, mentees, mentors, seed)
    start = _clock()
    pool = Pool(prog, people, [])
    pool.codes.availability.offsets  # noqa: B018 (computes the availability rows)
    took = _since(start)
    return pool, {"pool_seconds": took["seconds"], "pool_cpu_seconds": took["cpu_seconds"]}


def matcher(generator: str, mentees: int, mentors: int, seed: int) -> dict:
    from matching.domain.rounds import plan_round

    pool, built = prepared(generator, mentees, mentors, seed)
    start = _clock()
    plan = plan_round(pool)
    return {**_since(start), **built, "objective": plan.objective, "must": plan.must_matched,
            "pairs": len(plan.proposals), "passes": plan.passes, "nodes": plan.nodes, "couples": plan.couples}


def flow(generator: str, mentees: int, mentors: int, seed: int) -> dict:
    """The same exact problem in one min-cost flow over every feasible couple: the couples listed
    (the same bucketed generation), one network, one OR-Tools solve, the chosen couples read off.
    Nothing else: no certificate (a flow over every couple needs none), no canonical order, no
    explanations. With free `both` roles, the matcher's split and its certificate against the doubled
    relaxation, over every couple (`Problem._split_solve`, inherited), else the doubled network over
    every couple and the same branching (a flow alone cannot say "one pair in all")."""
    from matching.domain import network, rounds
    from matching.domain.candidates import Generator
    from matching.domain.couples import must_match_bonus
    from matching.domain.network import Network

    network.AUCTION_FIRST = False  # the baseline is OR-Tools' min-cost flow, not the matcher's auction

    pool, built = prepared(generator, mentees, mentors, seed)
    start = _clock()
    seats, free = pool.seats(), pool.free_takers()
    rows = rounds._by_id(pool, np.flatnonzero(free | (seats > 0)))
    p = pool.roster.people.take(rows)
    p.capacity = np.where(seats[rows] > 0, seats[rows], 1)
    generator_ = Generator(p, pool.codes, pool.policy, np.flatnonzero(free[rows]), np.flatnonzero(seats[rows] > 0),
                           np.zeros(0, np.int64), rounds._rank(pool, rows))
    f = generator_.all()
    listed = _since(start)
    bonus = must_match_bonus(len(rows))
    sides = np.zeros(len(rows), np.int8)
    sides[f.takers] += 1
    sides[f.givers] += 1
    if (sides == 2).any():
        result = Everything(f, np.arange(len(f.value)), p.capacity, p.must, p.both, bonus).solve()
        taker, giver, value, nodes = result.taker, result.giver, result.value, result.nodes
    else:
        tail = np.repeat(np.arange(len(f.takers)), np.diff(f.start))
        head = f.giver.astype(np.int64)
        solved = Network(np.ones(len(f.takers), np.int64), p.capacity[f.givers], bonus * p.must[f.takers],
                         bonus * p.must[f.givers], tail, head, f.value.astype(np.int64)).solve()
        chosen = np.flatnonzero(solved.used)
        taker, giver, value, nodes = f.takers[tail[chosen]], f.givers[head[chosen]], f.value[chosen], 1
    covered = np.zeros(len(rows), bool)
    covered[taker], covered[giver] = True, True
    return {**_since(start), **built, "listing_seconds": listed["seconds"],
            "objective": int(value.astype(np.int64).sum()), "must": int((covered & p.must).sum()), "pairs": len(taker),
            "couples": len(f.value), "nodes": nodes}


class Everything(Problem):
    """The baseline's problem: every couple in the network from the start, so nothing to bring in
    and no order to fix; the full must-match bonus (the plain encoding of coverage first)."""

    def solve(self):
        return self._solve()

    def _bring_in(self, root, gap, near=0, along=0) -> bool:
        return False

    def _canonical(self) -> None:
        pass


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
        pool.put_pair(Pair(uuid.uuid4(), prog.programme_id, p.mentor_id,
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
            pool.put_pair(Pair(uuid.uuid4(),
                               prog.programme_id, proposal.mentor_id, proposal.mentee_id, "", "", proposal.score))

    def depart(c) -> None:
        pool.put_candidate(replace(c, withdrawn=True))
        for pair in pool.active_pairs_of(c.participant_id):
            pool.put_pair(replace(pair, status="dissolved"))
            for partner in pair.members():
                if partner != c.participant_id:
                    for proposal in pair_many(pool, partner):
                        pool.put_pair(Pair(uuid.uuid4(),
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
