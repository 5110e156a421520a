"""Matching's use cases for changes after pairing: ParticipantUpdated and PairUnschedulable."""

from collections.abc import Awaitable, Callable

from matching.domain.model import Candidate
from matching.revisions import DissolveUnschedulable, UpdateCandidate, dissolve_unschedulable, update_candidate
from matching.unit_of_work import MatchingUnitOfWork, UnitOfWorkFactory
from shared.contracts import PairUnschedulable, ParticipantEnrolled, ParticipantUpdated
from shared.messaging.consumer import EventConsumer


def build_revision_subscribers(consumer: EventConsumer, uow_factory: UnitOfWorkFactory,
                               candidate_of: Callable[[ParticipantEnrolled, MatchingUnitOfWork],
                                                      Awaitable[Candidate]]) -> None:

    @consumer.handles(ParticipantUpdated)
    async def on_participant_updated(event: ParticipantUpdated) -> None:
        """Keeps the new data; a pair that now breaks a hard rule is dissolved and both re-paired."""
        async with uow_factory() as uow:
            candidate = await candidate_of(event, uow)
            await update_candidate(UpdateCandidate(candidate, **event.caused()), uow)

    @consumer.handles(PairUnschedulable)
    async def on_pair_unschedulable(event: PairUnschedulable) -> None:
        """Dissolves the pair scheduling could not plan by the deadline; re-pairs both members apart."""
        cmd = DissolveUnschedulable(event.pair_id, event.programme_id, event.reason_code, **event.caused())
        async with uow_factory() as uow:
            await dissolve_unschedulable(cmd, uow)
