"""Planning six sessions for 10,000 pairs (target <= 10 s), and the foundation's planner on a
sample as the baseline measured in the same run.

    PYTHONPATH=.:services uv run python -m bench.scheduling [--pairs 10000] [--write]

Pairs span 15 countries (both hemispheres, up to 12 hours apart); every mentor carries ten mentees,
so the no-double-booking rule is exercised on every plan. `--write` updates the "Scheduling"
section of docs/benchmarks.md.
"""

import argparse
import os
import platform
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from zoneinfo import ZoneInfo

from scheduling.domain.availability import Slot, WeeklyAvailability
from scheduling.domain.model import Member, SessionPlan
from scheduling.domain.pair import PairSchedule
from scheduling.domain.participant_calendar import Booking, ParticipantCalendar
from scheduling.domain.planner import Attendee, Finder

COUNTRIES = {"FR": "Europe/Paris", "DE": "Europe/Berlin", "GB": "Europe/London", "ES": "Europe/Madrid",
             "IT": "Europe/Rome", "PL": "Europe/Warsaw", "US": "America/New_York", "CA": "America/Toronto",
             "BR": "America/Sao_Paulo", "MX": "America/Mexico_City", "IN": "Asia/Kolkata", "SG": "Asia/Singapore",
             "JP": "Asia/Tokyo", "AU": "Australia/Sydney", "ZA": "Africa/Johannesburg"}
_EUROPE_AFRICA = ["FR", "DE", "GB", "ES", "IT", "PL", "ZA"]
_AMERICAS = ["US", "CA", "BR", "MX"]
_ASIA_PACIFIC = ["IN", "SG", "JP", "AU"]
REGIONS = {c: r for r in (_EUROPE_AFRICA, _AMERICAS, _ASIA_PACIFIC) for c in r}
PLAN = SessionPlan(6, 60, 14)
START = datetime(2026, 3, 2, 8, tzinfo=UTC)


def _member(rng: random.Random, country: str) -> Member:
    # Office hours with some variety: most days, a window of 4 to 9 hours starting 07:00-12:00.
    slots = []
    for d in range(5):
        if rng.random() < 0.85:
            first = rng.choice([7, 8, 9, 10, 11, 12])
            slots.append(Slot(d, f"{first:02d}:00", f"{min(first + rng.choice([4, 6, 8, 9]), 24):02d}:00"))
    return Member(uuid.UUID(int=rng.getrandbits(128)), country,
                  WeeklyAvailability(COUNTRIES[country], tuple(slots) or (Slot(2, "09:00", "12:00"),)))


def _pairs(n: int, seed: int = 7) -> list[PairSchedule]:
    rng = random.Random(seed)
    mentors = [_member(rng, rng.choice(list(COUNTRIES))) for _ in range(max(1, n // 10))]
    out = []
    for i in range(n):
        mentor = mentors[i // 10]
        # Mentees mostly in their mentor's region, some anywhere (up to ~12 hours apart; those rarely overlap).
        country = rng.choice(REGIONS[mentor.country]) if rng.random() < 0.9 else rng.choice(list(COUNTRIES))
        out.append(PairSchedule(uuid.UUID(int=rng.getrandbits(128)), uuid.UUID(int=1), country, mentor,
                                _member(rng, country), START + timedelta(minutes=rng.randrange(0, 7 * 1440))))
    return out


def plan_all(pairs: list[PairSchedule]) -> tuple[float, float, int]:
    calendars: dict[uuid.UUID, ParticipantCalendar] = {}
    began, cpu = time.perf_counter(), time.process_time()
    for pair in pairs:
        cals = [calendars.setdefault(m.participant_id, ParticipantCalendar(m.participant_id)) for m in pair.members]
        finder = Finder(tuple(Attendee(m.profile, tuple(c.busy(pair.pair_id)))
                              for m, c in zip(pair.members, cals, strict=True)), PLAN.calendar(pair.not_before))
        sessions = pair.plan(PLAN, finder)
        wanted = [Booking(s.session_id, pair.pair_id, s.starts_at, s.ends_at) for s in sessions]
        for c in cals:
            c.sync(pair.pair_id, wanted)
    planned = sum(1 for p in pairs if p.status == "planned")  # the others: partially planned, with reasons
    return time.perf_counter() - began, time.process_time() - cpu, planned


def _allows(m: Member, start: datetime, minutes: int) -> bool:
    """The foundation's check: the session's local start and end inside one slot of that weekday."""
    tz = ZoneInfo(m.availability.time_zone)
    local, local_end = start.astimezone(tz), (start + timedelta(minutes=minutes)).astimezone(tz)
    begin, end = local.hour * 60 + local.minute, local_end.hour * 60 + local_end.minute
    end += 1440 * (local_end.date() - local.date()).days
    return any(s.weekday == local.weekday() and _minutes(s.start) <= begin and end <= _minutes(s.end)
               for s in m.availability.slots)


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def foundation_plan_all(pairs: list[PairSchedule]) -> float:
    """The foundation's planner: probe every 30-minute step with zoneinfo conversions (no holidays,
    no bookings), as a baseline for the same pairs."""
    began = time.perf_counter()
    for pair in pairs:
        t = pair.not_before
        for _ in range(PLAN.sessions_per_pair):
            limit = t + timedelta(days=28)
            while t < limit and not all(_allows(m, t, PLAN.session_minutes) for m in pair.members):
                t += timedelta(minutes=30)
            t += timedelta(days=PLAN.cadence_days)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--baseline-sample", type=int, default=1_000)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    elapsed, cpu, planned = plan_all(_pairs(args.pairs))
    sample = args.baseline_sample
    baseline = foundation_plan_all(_pairs(sample, seed=8)) * args.pairs / sample
    lines = [
        f"- {args.pairs:,} pairs x {PLAN.sessions_per_pair} sessions (15 countries, 10 mentees per mentor, "
        f"weekends + public holidays + no double booking): **{elapsed:.2f} s** wall, {cpu:.2f} s CPU "
        f"({planned:,} fully planned, {args.pairs - planned:,} with sessions pending, each with a reason); "
        "target <= 10 s",
        f"- foundation planner (30-minute probing with zoneinfo, no holidays, no bookings), {sample:,}-pair sample "
        f"scaled to {args.pairs:,}: {baseline:.2f} s -> this planner is {baseline / elapsed:.1f}x faster",
        f"- machine: {platform.machine()}, {_cpu()}, {_cores()} cores shared with other jobs "
        f"(load average {os.getloadavg()[0]:.1f} at the end); "
        f"Python {platform.python_version()}, holidays {version('holidays')}, icalendar {version('icalendar')}; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
    ]
    print("\n".join(lines))
    if args.write:
        _write_section("\n".join(lines))


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []:
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def _cores() -> int:
    return os.cpu_count() or 1


def _write_section(body: str) -> None:
    path = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    head = "## Scheduling"
    section = f"{head}\n\n`uv run python -m bench.scheduling --write` (not a timed test)\n\n{body}\n"
    if head in text:
        before, _, after = text.partition(head)
        rest = after.split("\n## ", 1)
        text = before + section + ("\n## " + rest[1] if len(rest) > 1 else "")
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text)


if __name__ == "__main__":
    main()
