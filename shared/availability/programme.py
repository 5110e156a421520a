"""A programme's calendar from the fields its launch event carries (both services read it so)."""

from datetime import date, timedelta

from shared.availability.profile import CalendarRules, HolidayRule, ProgrammeCalendar


def programme_calendar(launched_on: date, sessions: int, session_minutes: int, cadence_days: int,
                       starts_on: date | None = None, ends_on: date | None = None, grid_minutes: int = 15,
                       weekend_days: tuple[int, ...] = (5, 6),
                       holidays: HolidayRule = "national_and_regional") -> ProgrammeCalendar:
    """Without dates, a programme runs from the day after its launch for half a year, or twice
    the length of one series plus four weeks when that is longer."""
    first = starts_on or launched_on + timedelta(days=1)
    last = ends_on or first + timedelta(days=max(182, 2 * (sessions - 1) * cadence_days + 28))
    rules = CalendarRules(grid_minutes, tuple(sorted(set(weekend_days))), holidays)
    return ProgrammeCalendar(first, last, sessions, session_minutes, cadence_days, rules)
