"""The availability model on dates where clocks change, odd offsets, weekends and regional holidays."""

import itertools
from datetime import UTC, date, datetime

from shared.availability import CalendarRules, Profile, ProgrammeCalendar, Slot, compatible, windows
from shared.availability.clock import local_ordinal
from shared.availability.series import choose_anchor, start_options
from tests.unit.availability.oracle import session_ok, utc

RULES = CalendarRules()
EVERY_DAY = CalendarRules(weekend_days=(), holidays="none")


def profile(zone: str, country: str, *slots: tuple[int, str, str], region: str | None = None) -> Profile:
    return Profile(zone, country, region, tuple(Slot.of(*s) for s in slots))


def day(d: date) -> tuple[int, int]:
    return d.toordinal(), d.toordinal()


def test_a_window_across_the_spring_gap_holds_only_the_hours_that_exist():
    ny = profile("America/New_York", "US", (6, "01:00", "04:00"))  # Sunday 14 March 2027: 02:00 -> 03:00
    w = windows(ny, *day(date(2027, 3, 14)), EVERY_DAY)
    assert [(utc(lo), utc(hi)) for lo, hi in w] == [(datetime(2027, 3, 14, 6, tzinfo=UTC),
                                                     datetime(2027, 3, 14, 8, tzinfo=UTC))]


def test_the_repeated_autumn_hour_counts_twice():
    ny = profile("America/New_York", "US", (6, "01:00", "02:00"))  # Sunday 7 November 2027: 02:00 -> 01:00
    w = windows(ny, *day(date(2027, 11, 7)), EVERY_DAY)
    assert [(utc(lo), utc(hi)) for lo, hi in w] == [(datetime(2027, 11, 7, 5, tzinfo=UTC),
                                                     datetime(2027, 11, 7, 7, tzinfo=UTC))]


def test_kathmandu_and_paris_quarter_hours_are_on_the_grid():
    ktm = profile("Asia/Kathmandu", "NP", (2, "09:00", "10:00"))
    paris = profile("Europe/Paris", "FR", (0, "09:15", "10:15"))
    cal = ProgrammeCalendar(date(2027, 1, 11), date(2027, 4, 30), 6, 60, 14)
    assert compatible([ktm, paris], [ktm, paris], cal).tolist() == [[True, False], [False, True]]
    options = start_options([ktm, ktm], "Asia/Kathmandu", cal, 0)
    assert {utc(t).strftime("%H:%M") for t in options.values()} == {"03:15"}


def test_sydney_and_new_york_keep_a_common_hour_across_both_switches():
    ny = profile("America/New_York", "US", (0, "16:00", "19:00"), region="US-NY")
    syd = profile("Australia/Sydney", "AU", (1, "07:00", "10:00"), region="AU-NSW")
    cal = ProgrammeCalendar(date(2027, 2, 1), date(2027, 5, 31), 6, 60, 14)
    assert compatible([syd], [ny], cal).tolist() == [[True]]
    options = start_options([ny, syd], "Australia/Sydney", cal, 0)
    anchor = choose_anchor(options, cal, cal.first)
    starts = [options[anchor + 14 * k] for k in range(6)]
    assert starts[0] < int(datetime(2027, 3, 14, tzinfo=UTC).timestamp()) < starts[-1]  # US spring switch
    assert starts[0] < int(datetime(2027, 4, 4, tzinfo=UTC).timestamp()) < starts[-1]  # Sydney autumn switch
    for t in starts:
        assert session_ok(ny, RULES, utc(t), 60) and session_ok(syd, RULES, utc(t), 60)
    assert [local_ordinal("Australia/Sydney", b) - local_ordinal("Australia/Sydney", a)
            for a, b in itertools.pairwise(starts)] == [14] * 5


def test_regional_holidays_count_when_the_region_is_known():
    epiphany = date(2027, 1, 6)  # a holiday in Bavaria, not in Berlin
    bavaria = profile("Europe/Berlin", "DE", (2, "09:00", "17:00"), region="DE-BY")
    berlin = profile("Europe/Berlin", "DE", (2, "09:00", "17:00"), region="DE-BE")
    assert len(windows(bavaria, *day(epiphany), RULES)) == 0
    assert len(windows(berlin, *day(epiphany), RULES)) == 1
    assert len(windows(bavaria, *day(epiphany), CalendarRules(holidays="national"))) == 1


def test_the_programme_weekend_and_grid_are_settings():
    friday = profile("Asia/Dubai", "AE", (4, "09:00", "10:00"))
    first_friday = date(2027, 1, 15)
    assert len(windows(friday, *day(first_friday), CalendarRules(weekend_days=(4, 5), holidays="none"))) == 0
    cal = ProgrammeCalendar(date(2027, 1, 11), date(2027, 3, 31), 2, 60, 7, CalendarRules(grid_minutes=60))
    ktm = profile("Asia/Kathmandu", "NP", (2, "09:00", "10:00"))  # 03:15 UTC: never on an hourly grid
    assert compatible([ktm], [ktm], cal).tolist() == [[False]]


def test_a_session_may_run_across_local_midnight_when_both_days_are_free():
    late = profile("America/Sao_Paulo", "BR", (1, "23:00", "24:00"), (2, "00:00", "01:00"))
    cal = ProgrammeCalendar(date(2027, 5, 3), date(2027, 7, 30), 2, 90, 7)
    options = start_options([late, late], "America/Sao_Paulo", cal, 0)
    assert options and all(session_ok(late, RULES, utc(t), 90) for t in options.values())
