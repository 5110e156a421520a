"""ISO and IANA code lists the domain validates against (pure look-ups, no I/O after import)."""

import zoneinfo
from functools import cache

import pycountry


@cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@cache
def language_codes() -> frozenset[str]:
    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))


@cache
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)
