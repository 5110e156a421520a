"""A plain, slow oracle: convert an instant to the person's wall clock with zoneinfo and look it up."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays

from shared.availability import CalendarRules, Profile
from shared.availability.days import subdivision


def day_off(p: Profile, rules: CalendarRules, local: datetime) -> bool:
    if local.weekday() in rules.weekend_days:
        return True
    if rules.holidays == "none":
        return False
    subdiv = subdivision(p.country, p.region) if rules.holidays == "national_and_regional" else None
    try:
        found = holidays.country_holidays(p.country, subdiv=subdiv, years=local.year)
    except NotImplementedError:
        return False
    return local.date() in found


def free_at(p: Profile, rules: CalendarRules, instant: datetime) -> bool:
    """The instant's local wall clock lies in one of the person's slots, on a working day."""
    local = instant.astimezone(ZoneInfo(p.time_zone))
    minute = local.hour * 60 + local.minute + local.second / 60
    return not day_off(p, rules, local) and any(
        s.weekday == local.weekday() and s.start <= minute < s.end for s in p.slots)


def session_ok(p: Profile, rules: CalendarRules, start: datetime, minutes: int) -> bool:
    """Every minute of the session is available time (checked minute by minute)."""
    return all(free_at(p, rules, start + timedelta(minutes=k)) for k in range(minutes))


def utc(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)
