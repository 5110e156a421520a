"""Hypothesis strategies: people in zones on both sides of the equator, with half-hour and
45-minute offsets, weekly slots that may straddle midnight and the weekend, and regions."""

from datetime import date, timedelta

from hypothesis import strategies as st

from shared.availability import Profile, Slot

PLACES = [  # zone, country, regions to draw from (None: national holidays only)
    ("Europe/Paris", "FR", [None]), ("Europe/Berlin", "DE", [None, "DE-BY", "DE-BE", "DE-NW"]),
    ("Europe/Madrid", "ES", [None, "ES-CT", "ES-MD"]), ("America/New_York", "US", [None, "US-NY"]),
    ("America/Sao_Paulo", "BR", [None]), ("America/Santiago", "CL", [None]),
    ("Australia/Sydney", "AU", [None, "AU-NSW"]), ("Australia/Melbourne", "AU", ["AU-VIC"]),
    ("Pacific/Auckland", "NZ", [None]), ("Pacific/Chatham", "NZ", ["NZ-CIT"]),
    ("Asia/Kolkata", "IN", [None]), ("Asia/Kathmandu", "NP", [None]), ("Africa/Johannesburg", "ZA", [None]),
]
# Around both 2027 switches in each hemisphere and the holiday clusters of Easter and year end.
STARTS = [date(2027, 3, 1), date(2027, 3, 22), date(2027, 9, 20), date(2027, 10, 25), date(2027, 12, 13)]


@st.composite
def slots(draw) -> tuple[Slot, ...]:
    out = []
    for weekday in sorted(draw(st.sets(st.integers(0, 6), min_size=1, max_size=4))):
        start = draw(st.integers(0, 92)) * 15
        end = min(1440, start + draw(st.sampled_from([60, 90, 120, 180, 360])))
        out.append(Slot(weekday, start, end))
        if end == 1440 and draw(st.booleans()):  # straddles midnight into the next day (maybe the weekend)
            out.append(Slot((weekday + 1) % 7, 0, draw(st.sampled_from([60, 120]))))
    return tuple(sorted(set(out)))


@st.composite
def profiles(draw) -> Profile:
    zone, country, regions = draw(st.sampled_from(PLACES))
    return Profile(zone, country, draw(st.sampled_from(regions)), draw(slots()))


def programme_starts() -> st.SearchStrategy[date]:
    return st.builds(lambda d, k: d + timedelta(days=k), st.sampled_from(STARTS), st.integers(-10, 10))


@st.composite
def broad_profiles(draw) -> Profile:
    """Generous availability (long windows most weekdays), so couples across zones often overlap."""
    zone, country, regions = draw(st.sampled_from(PLACES))
    start = draw(st.integers(0, 40)) * 15
    end = min(1440, start + draw(st.integers(8, 16)) * 60)
    days = sorted(draw(st.sets(st.integers(0, 6), min_size=3, max_size=7)))
    return Profile(zone, country, draw(st.sampled_from(regions)), tuple(Slot(d, start, end) for d in days))
