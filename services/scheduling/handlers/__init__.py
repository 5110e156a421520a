"""Use cases of the scheduling service, `async def verb(command, uow)` (the only place that commits).

Writes are ordered so a crash between them converges on replay: participant calendars (the
version-checked claims that prevent double booking) first, then the pair with its events. A
claim that loses a race raises ConcurrentUpdate/AlreadyExists and the whole use case is retried
on fresh state (by the consumer's retries, or by the HTTP entrypoint).
"""

from scheduling.handlers.cafes import join_cafe, publish_cafe
from scheduling.handlers.changes import (
    cancel_session,
    complete_session,
    end_participation,
    mark_missed,
    reschedule_session,
)
from scheduling.handlers.erasure import erase_participant, record_erasure
from scheduling.handlers.members import update_member
from scheduling.handlers.planning import plan_pair, register_programme
from scheduling.handlers.planning_together import plan_pairs
from scheduling.handlers.ticks import tick

__all__ = ["cancel_session", "complete_session", "end_participation", "erase_participant", "join_cafe",
           "mark_missed", "plan_pair", "plan_pairs", "publish_cafe", "record_erasure", "register_programme",
           "reschedule_session", "tick", "update_member"]
