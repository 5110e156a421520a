from datetime import date

import numpy as np

from matching.domain.availability import BITS, RESOLUTION, erode, utc_offset_minutes, week_matrix


def minutes_free(slots, offset: int) -> set[int]:
    [row] = week_matrix([slots], [offset])
    return {int(i) * RESOLUTION for i in np.flatnonzero(row)}


def test_the_offset_follows_daylight_saving_on_the_reference_date_and_half_hour_zones():
    assert utc_offset_minutes("Europe/Paris", date(2026, 1, 5)) == 60
    assert utc_offset_minutes("Europe/Paris", date(2026, 7, 6)) == 120
    assert utc_offset_minutes("Asia/Kolkata", date(2026, 1, 5)) == 330
    assert utc_offset_minutes("America/Sao_Paulo", date(2026, 1, 5)) == -180


def test_a_monday_morning_in_tokyo_is_sunday_evening_utc_across_the_week_boundary():
    free = minutes_free([(0, "08:00", "10:00")], offset=540)  # 08:00-10:00 JST = Sun 23:00 - Mon 01:00 UTC
    sunday_23 = 6 * 1440 + 23 * 60
    assert free == set(range(sunday_23, 7 * 1440, RESOLUTION)) | set(range(0, 60, RESOLUTION))


def test_slots_off_the_quarter_hour_are_rounded_inwards_and_an_empty_slot_adds_nothing():
    assert minutes_free([(2, "09:10", "10:05")], offset=0) == {2 * 1440 + 9 * 60 + 15, 2 * 1440 + 9 * 60 + 30,
                                                               2 * 1440 + 9 * 60 + 45}
    assert minutes_free([(2, "09:10", "09:20")], offset=0) == set()


def test_a_session_fits_only_where_a_long_enough_common_window_starts():
    [a, b] = week_matrix([[(0, "09:00", "10:30")], [(0, "10:00", "12:00")]], [0, 0])
    # 30 common minutes (10:00-10:30): enough for 30, not for 60.
    assert (erode(a, 30) & erode(b, 30)).any()
    assert not (erode(a, 60) & erode(b, 60)).any()
    assert a.shape == (BITS,)


def test_common_minutes_per_couple_equal_the_table_over_every_pair_of_keys():
    from matching.domain.availability import WeeklyAvailability

    seam = WeeklyAvailability(date(2026, 1, 5), 60)
    schedules = [((0, "09:00", "12:00"), (2, "14:00", "18:30")), ((0, "10:15", "11:00"),),
                 ((6, "22:00", "23:45"), (0, "00:00", "02:00")), ((3, "08:00", "09:00"),)]
    keys = [seam.key(zone, "FR", None, slots) for zone in ("Europe/Paris", "Asia/Tokyo", "America/New_York")
            for slots in schedules]
    a, b = np.repeat(keys, len(keys)), np.tile(keys, len(keys))
    _, table = seam.table(np.array(keys), np.array(keys))
    assert (seam.common_minutes(a, b) == table.ravel()).all()
    assert seam.common_minutes(a, b).max() > 0


def test_the_table_says_two_people_meet_only_where_a_whole_window_starts_in_both():
    """An hour in common split into two half hours is no hour-long window; the table's `meet`
    equals a check of every pair's eroded rows, whatever their common minutes."""
    from matching.domain.availability import WeeklyAvailability

    seam = WeeklyAvailability(date(2026, 1, 5), 60)
    schedules = [((0, "09:00", "09:30"), (1, "09:00", "09:30")), ((0, "09:00", "10:00"), (1, "09:00", "10:00")),
                 ((0, "08:30", "09:30"), (1, "09:00", "11:00")), ((0, "09:15", "10:15"),), ((6, "23:30", "23:59"),),
                 ((0, "00:00", "00:45"),)]
    keys = np.array([seam.key(zone, "FR", None, slots) for zone in ("Europe/Paris", "Europe/London")
                     for slots in schedules])
    meet, minutes = seam.table(keys, keys)
    rows = week_matrix([list(s) for s in schedules] * 2, [60] * len(schedules) + [0] * len(schedules))
    fits = erode(rows, 60)
    assert (meet == (fits.astype(int) @ fits.T.astype(int) > 0)).all()
    first, second = 0, 1  # Monday and Tuesday 09:00-09:30 against Monday and Tuesday 09:00-10:00
    assert minutes[first, second] == 60 and not meet[first, second]
    assert meet[1, 2] and meet[1, 1] and not meet[0, 0]


def test_a_table_computed_by_row_ranges_on_several_threads_is_the_one_thread_table(monkeypatch):
    from matching.domain import availability, parallel
    from matching.domain.availability import WeeklyAvailability

    seam = WeeklyAvailability(date(2026, 1, 5), 45)
    keys = np.array([seam.key(zone, "FR", None, ((day, f"{8 + hour}:00", f"{10 + hour}:30"),))
                     for zone in ("Europe/Paris", "Asia/Tokyo", "America/New_York") for day in range(3)
                     for hour in range(4)])
    one_meet, one_minutes = seam.table(keys, keys[::-1])
    monkeypatch.setattr(availability, "TABLE_CELLS_PER_THREAD", 1)
    monkeypatch.setattr(parallel, "THREADS", 3)
    meet, minutes = seam.table(keys, keys[::-1])
    assert (meet == one_meet).all() and (minutes == one_minutes).all()
    assert meet.any() and not meet.all()


def test_keys_with_the_same_utc_week_share_one_table_row_unless_a_calendar_tells_their_holidays_apart():
    """Paris in winter (UTC+1) at 10:00 is London (UTC+0) at 09:00: two keys (zone, country), one UTC
    week. `distinct` gives them one representative, whose table row is each one's own row."""
    from matching.domain.availability import WeeklyAvailability
    from shared.availability import ProgrammeCalendar

    seam = WeeklyAvailability(date(2026, 1, 5), 60)
    paris = seam.key("Europe/Paris", "FR", None, ((0, "10:00", "12:00"), (2, "14:00", "16:00")))
    london = seam.key("Europe/London", "GB", None, ((0, "09:00", "11:00"), (2, "13:00", "15:00")))
    other = seam.key("Europe/London", "GB", None, ((0, "10:00", "12:00"),))
    tokyo = seam.key("Asia/Tokyo", "JP", None, ((0, "17:00", "19:00"),))  # 08:00-10:00 UTC
    keys = np.array([paris, london, other, tokyo])
    representatives, of = seam.distinct(keys)
    assert len(representatives) == 3 and of[0] == of[1] and len({int(of[1]), int(of[2]), int(of[3])}) == 3
    meet, minutes = seam.table(keys, keys)
    small_meet, small_minutes = seam.table(representatives, representatives)
    assert (small_meet[of][:, of] == meet).all() and (small_minutes[of][:, of] == minutes).all()
    assert meet[0, 1] and meet[1, 3] and not meet[2, 3]

    calendar = ProgrammeCalendar(date(2026, 1, 5), date(2026, 3, 30), sessions=4)
    with_holidays = WeeklyAvailability(date(2026, 1, 5), 60, calendar)
    keys = np.array([with_holidays.key("Europe/Paris", "FR", None, ((0, "10:00", "12:00"),)),
                     with_holidays.key("Europe/London", "GB", None, ((0, "09:00", "11:00"),))])
    representatives, of = with_holidays.distinct(keys)
    assert (representatives == keys).all() and (of == [0, 1]).all()
