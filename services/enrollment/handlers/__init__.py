"""Enrollment's use cases: load, ask the domain, stage state + events, commit."""

from enrollment.handlers.bulk_import import import_participants
from enrollment.handlers.curricula import ensure_default_curriculum, publish_curriculum
from enrollment.handlers.participants import (
    enroll_participant,
    erase_participant,
    forget_tombstone,
    withdraw_participant,
)
from enrollment.handlers.programmes import close_programme, launch_programme, update_programme

__all__ = [
    "close_programme",
    "enroll_participant",
    "ensure_default_curriculum",
    "erase_participant",
    "forget_tombstone",
    "import_participants",
    "launch_programme",
    "publish_curriculum",
    "update_programme",
    "withdraw_participant",
]
