"""Bulk enrollment from an HR export: each valid row applied whole, each invalid row reported, never half-applied.

Re-importing the same file changes nothing: rows are keyed by (programme, employee id).
"""

from dataclasses import dataclass, field

from enrollment.domain.commands import EnrollParticipant, ImportParticipants, RowError
from enrollment.domain.errors import Conflict, Invalid
from enrollment.domain.model import Participant, check_participant
from enrollment.handlers.participants import open_programme, participant_from, stage_enrollment
from enrollment.unit_of_work import EnrollmentUnitOfWork


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
    first_row_of: dict[str, int] = {}
    for row, parsed in cmd.rows:
        if isinstance(parsed, RowError):
            report.rejected.append(parsed)
            continue
        if parsed.employee_id in first_row_of:
            report.rejected.append(RowError(row, "employee_id", f"duplicate of row {first_row_of[parsed.employee_id]}"))
            continue
        participant = participant_from(parsed)
        try:
            check_participant(participant, programme, curriculum)
        except Invalid as exc:
            report.rejected.append(RowError(row, exc.field, exc.reason))
            continue
        first_row_of[parsed.employee_id] = row
        valid.append((row, parsed, participant))

    existing = await uow.participants.get_many([p.participant_id for _, _, p in valid], cmd.programme_id)
    for row, parsed, participant in valid:
        try:
            _, outcome = stage_enrollment(participant, existing.get(participant.participant_id), parsed, uow)
        except Conflict as exc:
            report.rejected.append(RowError(row, exc.field, exc.reason))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    await uow.commit()
    report.rejected.sort(key=lambda e: e.row)
    return report
