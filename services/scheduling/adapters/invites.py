"""iCalendar (RFC 5545) invites: one VEVENT per session, times in UTC, the organiser's (mentor's)
time zone as a VTIMEZONE so clients can show the organiser's local time.

Participants appear only as `urn:uuid:` addresses: names and e-mails stay in enrollment.
"""

from datetime import UTC, datetime

from icalendar import Calendar, Event, Timezone, vCalAddress

from scheduling.domain.model import Session
from scheduling.domain.pair import PairSchedule

PRODID = "-//Binome//scheduling//EN"


def _address(participant_id: object, role: str) -> vCalAddress:
    address = vCalAddress(f"urn:uuid:{participant_id}")
    address.params["ROLE"] = role
    return address


def _event(pair: PairSchedule, s: Session, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"{s.session_id}@binome")
    event.add("dtstamp", stamp)
    event.add("dtstart", s.starts_at.astimezone(UTC))
    event.add("dtend", s.ends_at.astimezone(UTC))
    event.add("summary", f"Reverse-mentoring session {s.module}")
    event.add("sequence", pair.version)
    event.add("status", "CANCELLED" if s.status == "cancelled" else "CONFIRMED")
    event.add("organizer", _address(pair.mentor.participant_id, "CHAIR"))
    event.add("attendee", _address(pair.mentee.participant_id, "REQ-PARTICIPANT"))
    return event


def calendar_for(pair: PairSchedule, sessions: list[Session], stamp: datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    organiser_zone = pair.mentor.availability.time_zone
    cal.add("x-wr-timezone", organiser_zone)
    cal.add_component(Timezone.from_tzid(organiser_zone))
    for s in sessions:
        cal.add_component(_event(pair, s, stamp.astimezone(UTC)))
    return cal.to_ical()
