"""Domain objects -> response bodies, and domain errors -> 4xx naming the field."""

from collections.abc import Awaitable
from typing import TypeVar

from enrollment.domain.curriculum import Curriculum
from enrollment.domain.errors import Conflict, Invalid, NotFound
from enrollment.domain.model import Participant, Programme
from enrollment.entrypoints.schemas import CurriculumIO, ParticipantOut, ProgrammeOut, SkillIn, SlotIn
from shared.http_errors import DomainRejection

T = TypeVar("T")


async def domain(call: Awaitable[T]) -> T:
    try:
        return await call
    except Invalid as exc:
        raise DomainRejection(422, exc.field, exc.reason) from exc
    except NotFound as exc:
        raise DomainRejection(404, f"path.{exc.what}_id", str(exc)) from exc
    except Conflict as exc:
        raise DomainRejection(409, exc.field, exc.reason) from exc


def programme_out(p: Programme) -> ProgrammeOut:
    fields = {k: getattr(p, k) for k in ProgrammeOut.model_fields if k not in ("matching_policy", "calendar")}
    policy, cal = p.matching_policy, p.calendar
    return ProgrammeOut(**fields, matching_policy={**vars(policy), "weights": dict(policy.weights)},
                        calendar={**vars(cal), "weekend_days": list(cal.weekend_days)})


def participant_out(p: Participant) -> ParticipantOut:
    fields = {k: getattr(p, k) for k in ParticipantOut.model_fields if k not in ("availability", "skills", "consents")}
    fields["consents"] = list(p.consents)
    slots = [SlotIn(weekday=s.weekday, start=s.as_hhmm()[0], end=s.as_hhmm()[1]) for s in p.availability]
    skills = [SkillIn(topic=s.topic, proficiency=s.proficiency, wish=s.wish) for s in p.skills]
    return ParticipantOut(**fields, availability=slots, skills=skills)


def curriculum_out(c: Curriculum) -> CurriculumIO:
    return CurriculumIO(version=c.version, title=c.title, modules=[
        {"code": m.code, "title": m.title, "topics": [{"code": t.code, "title": t.title} for t in m.topics]}
        for m in c.modules])
