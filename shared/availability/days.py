"""Which local dates count: not the programme's weekend, not a public holiday of the person's
country or (when the programme says so and the region is known) of their region."""

from datetime import date
from functools import lru_cache

import holidays

from shared.availability.profile import CalendarRules


@lru_cache(maxsize=1)
def _supported() -> dict[str, list[str]]:
    return holidays.list_supported_countries()


def subdivision(country: str, region: str | None) -> str | None:
    """The `holidays` subdivision for an ISO 3166-2 region ("DE-BY" -> "BY"), None when unknown."""
    if not region or "-" not in region:
        return None
    code = region.split("-", 1)[1]
    return code if code in _supported().get(country, ()) else None


@lru_cache(maxsize=8192)
def holiday_ordinals(country: str, subdiv: str | None, year: int) -> frozenset[int]:
    try:
        found = holidays.country_holidays(country, subdiv=subdiv, years=year)
    except NotImplementedError:
        return frozenset()  # a country the library does not know: weekends only
    return frozenset(d.toordinal() for d in found)


def non_working(country: str, region: str | None, rules: CalendarRules, ordinal: int) -> bool:
    day = date.fromordinal(ordinal)
    if day.weekday() in rules.weekend_days:
        return True
    if rules.holidays == "none":
        return False
    subdiv = subdivision(country, region) if rules.holidays == "national_and_regional" else None
    return ordinal in holiday_ordinals(country, subdiv, day.year)
