"""Request bodies -> commands (shared by the HTTP routes and the HR import)."""

from datetime import date
from uuid import UUID

from enrollment.domain.commands import EnrollParticipant
from enrollment.domain.model import Skill, Slot
from enrollment.entrypoints.schemas import ParticipantIn


def enroll_command(body: ParticipantIn, programme_id: UUID, correlation_id: UUID, today: date) -> EnrollParticipant:
    return EnrollParticipant(
        programme_id=programme_id,
        **body.model_dump(exclude={"availability", "skills", "consents"}),
        consents=tuple(sorted(set(body.consents))),
        availability=[Slot.parse(s.weekday, s.start, s.end) for s in body.availability],
        skills=tuple(Skill(s.topic, s.proficiency, s.wish) for s in body.skills),
        correlation_id=correlation_id,
        today=today,
    )
