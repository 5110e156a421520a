"""Which mentee-local date each session of a series takes, and where on that date it starts.

Module k falls exactly `cadence_days` local days after module k - 1 (the mentee's calendar, see
shared/availability/series.py). The first date is the earliest whose whole series is free in both
calendars; failing that, the one that places the most sessions (the rest wait, pending).
"""

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from scheduling.domain.model import PendingSession, SessionPlan, SlotFinder
from shared.availability import ProgrammeCalendar, choose_anchor, local_ordinal

if TYPE_CHECKING:
    from scheduling.domain.pair import PairSchedule

Placement = tuple[int, datetime | None, str | None, PendingSession | None]


def place_series(pair: "PairSchedule", plan: SessionPlan, find: SlotFinder, modules: list[int],
                 not_before: datetime, dates: dict[int, int] | None) -> Iterator[Placement]:
    """(module, start, group key, None) for each placed module, (module, None, None, pending) otherwise.
    With `dates` (module -> mentee-local date, from a series already under way) each keeps its
    date; without, the modules are a new series."""
    options = find.options(not_before)
    cadence, booked = plan.cadence_days, set()
    if dates is None:
        cal = replace(plan.calendar(pair.not_before), sessions=len(modules))
        first = max(cal.first, local_ordinal(pair.mentee.availability.time_zone, int(not_before.timestamp())))
        start = choose_anchor(options, cal, first)
        if start is None:
            reason = find.why_not(not_before, plan.session_minutes).split(":")[0]
            for m in modules:
                yield m, None, None, PendingSession(m, None, reason)
            return
        dates = {m: start + i * cadence for i, m in enumerate(modules)}
        if any(d not in options for d in dates.values()) and _whole(find, cal, not_before, first):
            # A whole series fits both availabilities; only their other bookings are in the way.
            booked = {d for d in dates.values() if d not in options}
    for m in modules:
        group_key = f"{pair.programme_id}:{pair.mentor.participant_id}:{m}" if plan.format == "group" else None
        at = find.shared_on(group_key, dates[m], not_before) if group_key else None
        if at is None and dates[m] in options:
            at = datetime.fromtimestamp(options[dates[m]], UTC)
        if at is None:
            reason = "fully_booked" if dates[m] in booked else find.why_not_on(dates[m], not_before)
            yield m, None, None, PendingSession(m, dates[m], reason)
        else:
            yield m, at, group_key, None


def _whole(find: SlotFinder, cal: ProgrammeCalendar, not_before: datetime, first: int) -> bool:
    free = find.options(not_before, with_bookings=False)
    anchor = choose_anchor(free, cal, first)
    return anchor is not None and all(anchor + k * cal.cadence_days in free for k in range(cal.sessions))
