"""Which weekly inbox collections a lookup reads: only the weeks since the event occurred (less an
hour for clocks that disagree), never fewer than this week, never more than the kept ones."""

from datetime import UTC, datetime, timedelta

from shared.messaging.inbox import Inbox, week_name

WEDNESDAY = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
MONDAY_EARLY = datetime(2026, 11, 30, 0, 30, tzinfo=UTC)


def weeks(now: datetime, occurred_at: datetime | None) -> list[str]:
    return Inbox(db=None, clock=lambda: now)._weeks_since(occurred_at)  # type: ignore[arg-type]


def test_an_event_that_occurred_this_week_is_looked_up_in_this_week_only():
    assert weeks(WEDNESDAY, WEDNESDAY - timedelta(hours=2)) == [week_name(WEDNESDAY)]


def test_an_event_from_the_end_of_last_week_is_looked_up_in_both_weeks():
    assert weeks(MONDAY_EARLY, MONDAY_EARLY - timedelta(minutes=20)) == [
        week_name(MONDAY_EARLY), week_name(MONDAY_EARLY - timedelta(weeks=1))]


def test_an_older_or_undated_event_is_looked_up_in_every_kept_week():
    kept = [week_name(WEDNESDAY - timedelta(weeks=k)) for k in range(3)]
    assert weeks(WEDNESDAY, WEDNESDAY - timedelta(days=30)) == kept
    assert weeks(WEDNESDAY, None) == kept
    assert weeks(WEDNESDAY, WEDNESDAY - timedelta(days=8)) == kept[:2]


def test_an_event_dated_in_the_future_is_still_looked_up_in_this_week():
    assert weeks(WEDNESDAY, WEDNESDAY + timedelta(days=3)) == [week_name(WEDNESDAY)]


def test_a_monday_costs_one_lookup_after_its_first_hour():
    """The week boundary: an event of Monday 00:30 UTC may have been recorded by a consumer whose clock
    was still on Sunday, an event of Monday 01:30 cannot have been (clocks agree within an hour)."""
    monday = datetime(2026, 11, 30, tzinfo=UTC)
    this_week, last_week = week_name(monday), week_name(monday - timedelta(weeks=1))
    assert weeks(monday + timedelta(hours=2), monday + timedelta(minutes=30)) == [this_week, last_week]
    assert weeks(monday + timedelta(hours=2), monday + timedelta(minutes=61)) == [this_week]
    assert weeks(monday + timedelta(hours=12), monday + timedelta(hours=11)) == [this_week]
