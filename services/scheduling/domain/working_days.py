"""Which local days a participant can meet on: no weekends, no public holidays of their country."""

from datetime import date
from functools import lru_cache

import holidays

WEEKEND = (5, 6)


@lru_cache(maxsize=4096)
def _holidays(country: str, year: int) -> frozenset[date]:
    try:
        return frozenset(holidays.country_holidays(country, years=year))
    except NotImplementedError:
        return frozenset()  # a country the library does not know: weekends only (see README)


def is_working_day(country: str, day: date) -> bool:
    return day.weekday() not in WEEKEND and day not in _holidays(country, day.year)


def known_country(country: str) -> bool:
    return country in holidays.list_supported_countries()
