"""Feedback's inbound events: one use case per consumed topic, all on the service's one consumer."""

from datetime import timedelta

from faststream.kafka import KafkaRouter

from feedback import handlers
from feedback.config import Settings
from feedback.domain.commands import InviteToEndSurvey, RecordCompletedSession, RecordEnrollment, RecordPlannedSession
from feedback.domain.invitations import EndedPair
from feedback.domain.model import CompletedSession
from feedback.domain.participants import Participant, PlannedSession
from feedback.events_together import record_completed_sessions, record_enrollments, record_planned_sessions
from feedback.unit_of_work import FeedbackUnitOfWork, UnitOfWorkFactory
from shared.concurrently import all_settled
from shared.contracts import (
    PairCompleted,
    ParticipantEnrolled,
    ParticipantErased,
    ParticipantProfile,
    SessionCompleted,
    SessionScheduled,
)
from shared.crypto.delivery import subscribe_to_keys
from shared.crypto.keyring import opened
from shared.messaging.consumer import EventConsumer


def build_kafka_router(consumer: EventConsumer, uow_factory: UnitOfWorkFactory,
                       settings: Settings | None = None) -> KafkaRouter:
    settings = settings or Settings()

    subscribe_to_keys(consumer, uow_factory)

    def _completed(event: SessionCompleted) -> RecordCompletedSession:
        session = CompletedSession(event.session_id, event.pair_id, event.programme_id, event.country,
                                   event.mentor_id, event.mentee_id, event.completed_at, event.sequence)
        return RecordCompletedSession(session, timedelta(days=settings.session_survey_days))

    @consumer.handles(SessionCompleted)
    async def on_session_completed(event: SessionCompleted) -> None:
        """Opens the session's survey to its two members and invites them (SurveyInvited)."""
        async with uow_factory() as uow:
            await handlers.record_completed_session(_completed(event), uow, cause=event)

    @consumer.handles_together(SessionCompleted)
    async def on_sessions_completed(events: list[SessionCompleted]) -> None:
        """Consecutive SessionCompleted of a polled batch: recorded and invited in one unit of work."""
        async with uow_factory() as uow:
            await record_completed_sessions([(_completed(e), e) for e in events], uow)

    @consumer.handles(PairCompleted)
    async def on_pair_completed(event: PairCompleted) -> None:
        """Invites both members to the end-of-programme survey."""
        pair = EndedPair(event.pair_id, event.programme_id, event.country, event.mentor_id, event.mentee_id,
                         event.sessions_completed, event.completed_at)
        async with uow_factory() as uow:
            await handlers.invite_to_end_survey(InviteToEndSurvey(pair, timedelta(days=settings.end_survey_days)),
                                                uow, cause=event)

    @consumer.handles(SessionScheduled)
    async def on_session_scheduled(event: SessionScheduled) -> None:
        """Counts the session as planned, for completion rates."""
        async with uow_factory() as uow:
            await handlers.record_planned_session(_planned(event), uow)

    @consumer.handles_together(SessionScheduled)
    async def on_sessions_scheduled(events: list[SessionScheduled]) -> None:
        """Consecutive SessionScheduled of a polled batch: counted in one unit of work."""
        async with uow_factory() as uow:
            await record_planned_sessions([_planned(e) for e in events], uow)

    @consumer.handles(ParticipantEnrolled)
    async def on_participant_enrolled(event: ParticipantEnrolled) -> None:
        """Keeps the reporting keys (country, role, cohort) and the skills baseline given at enrollment."""
        async with uow_factory() as uow:
            await handlers.record_enrollment(await _enrollment(uow, event), uow)

    @consumer.handles_together(ParticipantEnrolled)
    async def on_participants_enrolled(events: list[ParticipantEnrolled]) -> None:
        """Consecutive enrollments of a polled batch: their profiles opened concurrently, kept in one write."""
        async with uow_factory() as uow:
            await record_enrollments(await all_settled(_enrollment(uow, e) for e in events), uow)

    @consumer.handles(ParticipantErased)
    async def on_participant_erased(event: ParticipantErased) -> None:
        """Right to be forgotten: replaces the person's ids everywhere here and drops their free text."""
        async with uow_factory() as uow:
            await handlers.erase_participant(event.participant_id, event.event_id, uow)

    return consumer.router()


async def _enrollment(uow: FeedbackUnitOfWork, event: ParticipantEnrolled) -> RecordEnrollment:
    p = await opened(uow.keys, event.participant_id, event.profile, ParticipantProfile)
    return RecordEnrollment(Participant(event.participant_id, event.programme_id, p.role, p.country, p.seniority_level,
                                        event.occurred_at, {s.topic: s.proficiency for s in p.skills}))


def _planned(event: SessionScheduled) -> RecordPlannedSession:
    return RecordPlannedSession(PlannedSession(event.session_id, event.pair_id, event.programme_id, event.mentor_id,
                                               event.mentee_id))
