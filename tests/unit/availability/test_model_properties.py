"""Properties of the model against the zoneinfo/holidays oracle, and matching's group answer
against scheduling's planner (the two services must agree on who can meet)."""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.availability import CalendarRules, ProgrammeCalendar, compatible, local_ordinal, windows
from shared.availability.series import choose_anchor, start_options
from tests.properties import examples
from tests.unit.availability.oracle import free_at, utc
from tests.unit.availability.strategies import profiles, programme_starts

PROPERTY = settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
RULES = st.sampled_from([CalendarRules(), CalendarRules(30), CalendarRules(15, (4, 5), "national")])


@PROPERTY
@given(profiles(), programme_starts(), RULES)
def test_every_window_is_exactly_the_available_instants(p, first, rules):
    w = windows(p, first.toordinal(), first.toordinal() + 20, rules)
    for lo, hi in w:
        for t in (lo, (lo + hi) // 2, hi - 1):
            assert free_at(p, rules, utc(int(t))), (p, utc(int(t)))
        # Merged and maximal: the instants just outside are not available, unless on a local date
        # outside the range asked for.
        for t in (int(lo) - 1, int(hi)):
            inside_range = first.toordinal() <= local_ordinal(p.time_zone, t) <= first.toordinal() + 20
            assert not (inside_range and free_at(p, rules, utc(t))), (p, utc(t))


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(profiles(), min_size=1, max_size=4), st.lists(profiles(), min_size=1, max_size=4),
       programme_starts(), st.sampled_from([(3, 60, 7), (4, 45, 14), (2, 90, 1)]), RULES)
def test_matching_says_a_couple_can_meet_exactly_when_the_planner_finds_a_whole_series(
        mentees, mentors, first, series, rules):
    sessions, minutes, cadence = series
    cal = ProgrammeCalendar(first, first + timedelta(days=70), sessions, minutes, cadence, rules)
    matrix = compatible(mentees, mentors, cal)
    for i, e in enumerate(mentees):
        for j, m in enumerate(mentors):
            options = start_options([m, e], e.time_zone, cal, 0)
            anchor = choose_anchor(options, cal, cal.first)
            whole = anchor is not None and all(anchor + k * cadence in options for k in range(sessions))
            assert bool(matrix[i, j]) == whole, (e, m)
