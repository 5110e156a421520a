"""One availability model for matching and scheduling (pure: no I/O, no service code).

- profile.py: value types (Slot, Profile, CalendarRules, ProgrammeCalendar)
- clock.py: local wall clock <-> UTC, exact on every date; days.py: weekends and holidays
- windows.py: a profile's UTC intervals over a date range
- series.py: a pair's start options per local date and the series' first date (scheduling)
- programme.py: a programme's calendar from its event's fields
- groups.py: which mentee groups and mentor groups can hold a whole series (matching)
"""

from shared.availability.clock import day_start, local_ordinal
from shared.availability.groups import compatible
from shared.availability.profile import CalendarRules, HolidayRule, Profile, ProgrammeCalendar, Slot, minutes
from shared.availability.programme import programme_calendar
from shared.availability.series import choose_anchor, common, intersect, start_options, subtract, why_not
from shared.availability.windows import covers, windows

__all__ = ["CalendarRules", "HolidayRule", "Profile", "ProgrammeCalendar", "Slot", "choose_anchor", "common",
           "compatible", "covers", "day_start", "intersect", "local_ordinal", "minutes", "programme_calendar",
           "start_options", "subtract", "why_not", "windows"]
