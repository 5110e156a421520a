"""Bulk enrollment from an HR export: each valid row applied whole, each invalid row reported, never half-applied.

Re-importing the same file changes nothing: rows are keyed by (programme, employee id), compared
without regard to letter case, and an e-mail belongs to one participant only.
"""

import asyncio
from dataclasses import dataclass, field

from enrollment.domain.commands import EnrollParticipant, ImportParticipants, RowError
from enrollment.domain.errors import Conflict, Invalid
from enrollment.domain.model import Participant, check_participant, identity_key
from enrollment.handlers.participants import (
    email_taken,
    employee_keys,
    open_programme,
    participant_from,
    stage_enrollment,
    with_ids,
)
from enrollment.unit_of_work import EnrollmentUnitOfWork

YIELD_EVERY = 200


@dataclass
class ImportReport:
    rows: int = 0
    enrolled: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowError] = field(default_factory=list)


async def import_participants(cmd: ImportParticipants, uow: EnrollmentUnitOfWork) -> ImportReport:
    programme, curriculum = await open_programme(cmd.programme_id, cmd.today, uow)
    report = ImportReport(rows=len(cmd.rows))
    valid: list[tuple[int, EnrollParticipant, Participant]] = []
    first_row_of: dict[tuple[str, str], int] = {}
    for n, (row, parsed) in enumerate(cmd.rows):
        if n % YIELD_EVERY == 0:
            await asyncio.sleep(0)  # a big import shares the event loop with HTTP and Kafka heartbeats
        if isinstance(parsed, RowError):
            report.rejected.append(parsed)
            continue
        duplicate = _duplicate(parsed, first_row_of)
        if duplicate:
            report.rejected.append(RowError(row, duplicate[0], f"duplicate of row {duplicate[1]} (letter case aside)"))
            continue
        participant = participant_from(parsed)
        try:
            check_participant(participant, programme, curriculum)
        except Invalid as exc:
            report.rejected.append(RowError(row, exc.field, exc.reason))
            continue
        first_row_of[("employee_id", identity_key(parsed.employee_id))] = row
        if parsed.email:
            first_row_of[("email", identity_key(parsed.email))] = row
        valid.append((row, parsed, participant))

    ids = await uow.identities.allocate(cmd.programme_id, employee_keys([p for _, _, p in valid]))
    valid = [(row, parsed, with_ids(p, ids)) for row, parsed, p in valid]
    owners = await uow.identities.claim_emails(
        cmd.programme_id, {identity_key(p.email): p.participant_id for _, _, p in valid if p.email})
    existing = await uow.participants.get_many([p.participant_id for _, _, p in valid], cmd.programme_id)
    for n, (row, parsed, participant) in enumerate(valid):
        if n % YIELD_EVERY == 0:
            await asyncio.sleep(0)
        if email_taken(participant, owners):
            report.rejected.append(RowError(row, "email", "already used by another participant of the programme"))
            continue
        try:
            _, outcome = stage_enrollment(participant, existing.get(participant.participant_id), parsed, uow)
        except Conflict as exc:
            report.rejected.append(RowError(row, exc.field, exc.reason))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    await uow.commit()
    report.rejected.sort(key=lambda e: e.row)
    return report


def _duplicate(parsed: EnrollParticipant, first_row_of: dict[tuple[str, str], int]) -> tuple[str, int] | None:
    keys = [("employee_id", identity_key(parsed.employee_id))]
    if parsed.email:
        keys.append(("email", identity_key(parsed.email)))
    for key in keys:
        if key in first_row_of:
            return key[0], first_row_of[key]
    return None
