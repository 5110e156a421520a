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
def subdivision_codes(country: str) -> frozenset[str]:
    """ISO 3166-2 codes of a country's subdivisions, e.g. "DE-BY"."""
    return frozenset(s.code for s in pycountry.subdivisions.get(country_code=country) or ())


@cache
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)
