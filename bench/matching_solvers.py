"""One solver on one generated programme, in its own process so its peak memory is its own.

`python -m bench.matching_solvers KIND MENTEES MENTORS SEED` prints one JSON line.
"""

import json
import resource
import sys
import time

import numpy as np

from bench.matching_instances import programme


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def matcher(mentees: int, mentors: int, seed: int) -> dict:
    from matching.domain.rounds import plan_round

    prog, people, _ = programme(mentees, mentors, seed=seed)
    start, start_cpu = time.perf_counter(), time.process_time()
    plan = plan_round(prog, people, [])
    return {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - start_cpu,
            "objective": plan.objective, "must": plan.must_matched, "pairs": len(plan.proposals),
            "passes": plan.passes}


def _dense_values(mentees: int, mentors: int, seed: int):
    """Every (mentee, mentor) value with the service's own rules and score: 0 where infeasible."""
    from matching.domain.graph import compacted
    from matching.domain.pool import Pool
    from matching.domain.scoring import criteria, feasible, rule_masks, utility
    from matching.domain.sides import Vocabulary, build_side

    prog, people, _ = programme(mentees, mentors, seed=seed)
    pool = Pool.of(prog, people, [])
    e_people, m_people = pool.round_sides()
    vocab = Vocabulary.of(pool.active)
    e = build_side(e_people, [1] * len(e_people), vocab, prog.policy)
    m = build_side(m_people, [pool.seats[c.participant_id] for c in m_people], vocab, prog.policy)
    e, m = compacted(e, m)
    value = np.zeros((len(e), len(m)), dtype=np.int64)
    for start in range(0, len(e), 256):
        rows = slice(start, min(start + 256, len(e)))
        ok = feasible(rule_masks(e, m, rows, prog.policy))
        value[rows] = np.where(ok, utility(criteria(e, m, rows).score(prog.policy)), 0)
    return value, e.must, m.capacity


def dense(mentees: int, mentors: int, seed: int) -> dict:
    """OR-Tools min-cost flow on the complete bipartite graph (an arc for every couple)."""
    from ortools.graph.python import min_cost_flow

    from matching.domain.graph import must_match_bonus

    start, start_cpu = time.perf_counter(), time.process_time()
    value, must, capacity = _dense_values(mentees, mentors, seed)
    scored = time.perf_counter()
    n_e, n_m = value.shape
    sink = n_e + n_m
    tails = np.repeat(np.arange(n_e, dtype=np.int32), n_m)
    heads = np.tile(np.arange(n_e, n_e + n_m, dtype=np.int32), n_e)
    flow = min_cost_flow.SimpleMinCostFlow()
    cost = -(value + must_match_bonus(n_e) * (must[:, None] & (value > 0))).ravel()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([tails, np.arange(n_e, sink, dtype=np.int32), np.arange(n_e, dtype=np.int32)]),
        np.concatenate([heads, np.full(n_m, sink, np.int32), np.full(n_e, sink, np.int32)]),
        np.concatenate([np.ones(n_e * n_m, np.int64), capacity, np.ones(n_e, np.int64)]),
        np.concatenate([cost, np.zeros(n_m + n_e, np.int64)]))
    del tails, heads, cost
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32),
                            np.concatenate([np.ones(n_e), np.zeros(n_m), [-n_e]]).astype(np.int64))
    assert flow.solve() == flow.OPTIMAL
    used = flow.flows(np.arange(n_e * n_m, dtype=np.int32)) > 0
    chosen = value.ravel()[used]
    return {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - start_cpu,
            "solve_seconds": time.perf_counter() - scored,
            "objective": int(chosen.sum()), "must": int(np.repeat(must, n_m)[used][chosen > 0].sum()),
            "pairs": int((chosen > 0).sum())}


def lsa(mentees: int, mentors: int, seed: int) -> dict:
    """scipy's linear_sum_assignment on the matrix with one column per mentor seat."""
    from scipy.optimize import linear_sum_assignment

    from matching.domain.graph import must_match_bonus

    start, start_cpu = time.perf_counter(), time.process_time()
    value, must, capacity = _dense_values(mentees, mentors, seed)
    seats = np.repeat(np.arange(value.shape[1]), capacity)
    gain = value[:, seats] + must_match_bonus(len(must)) * (must[:, None] & (value[:, seats] > 0))
    r, c = linear_sum_assignment(gain, maximize=True)
    picked = value[:, seats][r, c]
    ok = picked > 0
    return {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - start_cpu,
            "objective": int(picked[ok].sum()),
            "must": int(must[r[ok]].sum()), "pairs": int(ok.sum())}


def continuous(mentees: int, mentors: int, seed: int) -> dict:
    """Latency of pairing one newcomer against the programme's pool (the domain call only)."""
    from matching.domain.continuous import pair_one

    prog, people, _ = programme(mentees, mentors, seed=seed)
    newcomers = programme(300, 0, seed=seed + 1)[1]
    wall, cpu = [], []
    for c in newcomers:
        c.programme_id = prog.programme_id
        start, start_cpu = time.perf_counter(), time.process_time()
        pair_one(prog, [*people, c], [], c.participant_id)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    ms, cpu_ms = np.array(wall[20:]) * 1000, np.array(cpu[20:]) * 1000  # the first calls warm caches
    return {"p50_ms": float(np.percentile(ms, 50)), "p99_ms": float(np.percentile(ms, 99)),
            "max_ms": float(ms.max()), "cpu_p50_ms": float(np.percentile(cpu_ms, 50)),
            "cpu_p99_ms": float(np.percentile(cpu_ms, 99)), "samples": len(ms)}


if __name__ == "__main__":
    kind, n_e, n_m, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    baseline = _peak_mb()
    result = {"matcher": matcher, "dense": dense, "lsa": lsa, "continuous": continuous}[kind](n_e, n_m, seed)
    print(json.dumps({**result, "peak_mb": _peak_mb(), "baseline_mb": baseline}))
