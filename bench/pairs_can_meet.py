"""Issue 11: does every pair matching makes end fully planned by scheduling?

    PYTHONPATH=.:services uv run python -m bench.pairs_can_meet [--sizes 2000x200,10000x1000] [--write]

Generated programmes (bench/matching_instances.py: 15 countries, office hours, mentors with 1-10
mentees) with regions for Germany, Spain, the US and Australia, running 15 Feb - 30 Nov 2027, so
every series can span both daylight-saving switches of each hemisphere. In one run and on the
same people, matching's round with the rule before this change (a common weekly window at the
launch date's UTC offsets) and after it (a whole series over the programme's dates, the model
scheduling plans with); then scheduling plans every proposed pair with bookings (no double
booking) and we count the pairs fully planned, and why the others are not. Not a timed test.
"""

import argparse
import os
import platform
import random
import time
import uuid
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime
from importlib.metadata import version
from pathlib import Path

from bench.matching_instances import programme as generated
from matching.domain.model import Candidate
from matching.domain.pool import Pool
from matching.domain.rounds import plan_round
from scheduling.domain.availability import Slot, WeeklyAvailability
from scheduling.domain.model import Member, SessionPlan
from scheduling.domain.pair import PairSchedule
from scheduling.domain.participant_calendar import Booking, ParticipantCalendar
from scheduling.domain.planner import Attendee, Finder
from shared.availability import programme_calendar

STARTS, ENDS = date(2027, 2, 15), date(2027, 11, 30)
PLAN = SessionPlan(6, 60, 14, starts_on=STARTS, ends_on=ENDS)
CREATED = datetime(2027, 2, 8, 9, tzinfo=UTC)
REGIONS = {"DE": ["DE-BY", "DE-BE", "DE-NW", "DE-HE"], "ES": ["ES-CT", "ES-MD", "ES-AN"],
           "US": ["US-NY", "US-CA", "US-TX"], "AU": ["AU-NSW", "AU-VIC", "AU-QLD"]}


def people(mentees: int, mentors: int, seed: int = 7):
    prog, candidates, _ = generated(mentees, mentors, seed=seed)
    rng = random.Random(seed)
    for c in candidates:
        c.region = rng.choice(REGIONS[c.country]) if c.country in REGIONS else None
    return prog, candidates


def match(prog, candidates: list[Candidate], with_series: bool):
    cal = programme_calendar(STARTS, 6, 60, 14, STARTS, ENDS) if with_series else None
    prog = replace(prog, policy=replace(prog.policy, calendar=cal, reference_date=STARTS))
    began, cpu = time.perf_counter(), time.process_time()
    plan = plan_round(Pool(prog, candidates, []))
    return plan.proposals, time.perf_counter() - began, time.process_time() - cpu


def _member(c: Candidate) -> Member:
    slots = tuple(Slot(s.weekday, s.start, s.end) for s in c.availability)
    return Member(c.participant_id, c.country, WeeklyAvailability(c.time_zone, slots), c.region)


def schedule(proposals, candidates: list[Candidate], programme_id: uuid.UUID) -> tuple[Counter, list, float]:
    by_id = {c.participant_id: c for c in candidates}
    calendars: dict[uuid.UUID, ParticipantCalendar] = {}
    outcome, exceptions = Counter(), []
    began = time.process_time()
    for p in proposals:
        mentor, mentee = by_id[p.mentor_id], by_id[p.mentee_id]
        pair = PairSchedule(uuid.uuid4(), programme_id,
                            mentee.country, _member(mentor), _member(mentee), CREATED)
        cals = [calendars.setdefault(m.participant_id, ParticipantCalendar(m.participant_id)) for m in pair.members]
        finder = Finder(tuple(Attendee(m.profile, tuple(c.busy(pair.pair_id)))
                              for m, c in zip(pair.members, cals, strict=True)), PLAN.calendar(CREATED),
                        capacity=PLAN.mentor_capacity)
        sessions = pair.plan(PLAN, finder)
        for c in cals:
            c.sync(pair.pair_id, [Booking(s.session_id, pair.pair_id, s.starts_at, s.ends_at) for s in sessions])
        outcome[pair.status] += 1
        if pair.pending:
            exceptions.append((pair.pair_id, sorted({x.reason for x in pair.pending}), len(pair.pending)))
    return outcome, exceptions, time.process_time() - began


def run(size: str, seed: int) -> list[str]:
    mentees, mentors = (int(x) for x in size.split("x"))
    prog, candidates = people(mentees, mentors, seed)
    lines = []
    for label, with_series in (("before (weekly window at the launch date)", False),
                               ("after (a whole series over the programme's dates)", True)):
        proposals, wall, cpu = match(prog, candidates, with_series)
        outcome, exceptions, sched_cpu = schedule(proposals, candidates, prog.programme_id)
        full = outcome["planned"] / max(1, len(proposals))
        reasons = Counter(r for _, rs, _ in exceptions for r in rs)
        lines.append(f"| {mentees:,} x {mentors:,} | {label} | {len(proposals):,} | {wall:.2f} s ({cpu:.2f} s CPU) "
                     f"| {outcome['planned']:,} ({100 * full:.2f} %) | "
                     f"{', '.join(f'{r}: {n}' for r, n in reasons.most_common()) or '—'} | {sched_cpu:.1f} s |")
        if with_series:
            for pair_id, rs, n in exceptions[:5]:
                lines.append(f"|  | exception: pair {pair_id} | | | {n} session(s) pending | {', '.join(rs)} | |")
    return lines


def group_cost(size: str, seed: int) -> str:
    """Matching's availability call alone on distinct profiles (every group different)."""
    from bench.matching_instances import COUNTRIES
    from shared.availability import Profile, compatible
    from shared.availability import Slot as LocalSlot
    from shared.availability.groups import _cached_layout, _fits_row, _set_steps

    rng = random.Random(seed)
    n_e, n_m = (int(x) for x in size.split("x"))

    def profile(i: int) -> Profile:
        country, zone, _ = COUNTRIES[i % len(COUNTRIES)]
        days = sorted(rng.sample(range(5), rng.randint(1, 4)))
        slots = tuple(LocalSlot(d, s, s + rng.choice([60, 90, 120, 180])) for d in days
                      for s in [rng.randint(28, 68) * 15])
        unique = LocalSlot(5, i % 1380, i % 1380 + 60)  # a Saturday slot: no two profiles alike
        return Profile(zone, country, rng.choice(REGIONS.get(country, [None])), (*slots, unique))

    mentees, mentors = [profile(i) for i in range(n_e)], [profile(n_e + j) for j in range(n_m)]
    cal = programme_calendar(STARTS, 6, 60, 14, STARTS, ENDS)
    _fits_row.cache_clear()
    _cached_layout.cache_clear()
    _set_steps.cache_clear()
    began = time.perf_counter()
    cold = compatible(mentees, mentors, cal)
    cold_s = time.perf_counter() - began
    began = time.perf_counter()
    compatible(mentees, mentors, cal)
    warm_s = time.perf_counter() - began
    return (f"Matching's availability call on {n_e:,} x {n_m:,} distinct profiles (a Saturday slot makes each "
            f"one unique; programme {STARTS} - {ENDS}, 15-minute grid): {cold_s:.2f} s cold (windows, holidays "
            f"and fits computed), {warm_s:.2f} s with the per-profile rows cached; {cold.mean():.1%} of couples "
            "can hold a whole series.")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2000x200,10000x1000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--groups", default="2000x500")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    head = ["| mentees x mentors | matching rule | pairs proposed | round (wall, CPU) | fully planned | "
            "exceptions by reason | scheduling CPU |", "|---|---|---|---|---|---|---|"]
    rows = [line for size in args.sizes.split(",") for line in run(size, args.seed)]
    foot = [f"Machine: {platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the "
            f"end; Python {platform.python_version()}, numpy {version('numpy')}, ortools {version('ortools')}, "
            f"holidays {version('holidays')}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC."]
    text = "\n".join([*head, *rows, "", group_cost(args.groups, args.seed), "", *foot])
    print(text)
    if args.write:
        _write_section(text, args.sizes)


def _write_section(body: str, sizes: str) -> None:
    path = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
    text = path.read_text()
    head = "## Every matched pair can meet (issue 11)"
    section = (f"{head}\n\n`uv run python -m bench.pairs_can_meet --sizes {sizes} --write` (not a timed test). "
               "Target: at least 99.5 % of matched pairs fully planned, every exception with its reason.\n\n"
               f"{body}\n")
    if head in text:
        before, _, after = text.partition(head)
        rest = after.split("\n## ", 1)
        text = before + section + ("\n## " + rest[1] if len(rest) > 1 else "")
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text)


if __name__ == "__main__":
    main()
