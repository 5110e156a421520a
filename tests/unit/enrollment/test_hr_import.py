import uuid
from datetime import date

import pytest

from enrollment import handlers
from enrollment.domain.commands import ImportParticipants, RowError
from enrollment.entrypoints.hr_csv import UnreadableFile, parse_export
from tests.fakes.enrollment import FakeEnrollmentUnitOfWork
from tests.unit.enrollment.test_enroll_participant import launch

HEADER = "employee_id;display_name;role;country;languages;time_zone;seniority_level;availability;skills;must_match"
GOOD = [
    "E1;Ana;mentor;FR;fr|en;Europe/Paris;2;Mon 09:00-12:00|Thu 14:00-17:30;ai-assistants:4:0;no",
    "E2;Bernd;mentee;DE;de|en;Europe/Berlin;9;Tue 08:00-10:00;ai-assistants:1:4|innovation:2:3;yes",
]
TODAY = date(2026, 11, 21)


def parse(text: str, programme_id=None):
    return parse_export(text, programme_id or uuid.uuid4(), uuid.uuid4(), TODAY)


def test_a_semicolon_export_with_a_bom_is_read_into_commands():
    rows = parse("\ufeff" + "\n".join([HEADER, *GOOD]))
    (line1, first), (line2, second) = rows
    assert (line1, line2) == (2, 3)
    assert first.languages == ["fr", "en"] and [(s.weekday, s.start_minute) for s in first.availability] == [
        (0, 540), (3, 840)]
    assert second.must_match is True and [(s.topic, s.proficiency, s.wish) for s in second.skills] == [
        ("ai-assistants", 1, 4), ("innovation", 2, 3)]


def test_a_comma_export_is_read_too():
    text = "\n".join([HEADER.replace(";", ","), *(r.replace(";", ",") for r in GOOD)])
    assert [type(r).__name__ for _, r in parse(text)] == ["EnrollParticipant", "EnrollParticipant"]


@pytest.mark.parametrize(("row", "field"), [
    ("E3;Cy;boss;FR;fr;Europe/Paris;2;;;no", "role"),
    ("E3;Cy;mentor;FR;fr;Europe/Paris;eleven;;;no", "seniority_level"),
    ("E3;Cy;mentor;FR;fr;Europe/Paris;2;Someday 9-10;;no", "availability"),
    ("E3;Cy;mentor;FR;fr;Europe/Paris;2;;ai-assistants;no", "skills"),
    ("E3;Cy;mentor;FR;fr;Europe/Paris;2;;;maybe", "must_match"),
])
def test_a_bad_cell_becomes_a_row_error_naming_the_field(row, field):
    [(_, error)] = parse("\n".join([HEADER, row]))
    assert isinstance(error, RowError) and (error.row, error.field) == (2, field) and error.reason


def test_a_missing_or_unknown_column_makes_the_file_unreadable_naming_it():
    with pytest.raises(UnreadableFile) as err:
        parse("employee_id;display_name\nE1;Ana")
    assert err.value.field == "columns.role"
    with pytest.raises(UnreadableFile) as err:
        parse(HEADER + ";salary\n")
    assert err.value.field == "columns.salary"


async def test_valid_rows_are_enrolled_invalid_ones_reported_and_a_second_import_changes_nothing():
    uow = FakeEnrollmentUnitOfWork()
    programme, _ = await handlers.launch_programme(launch(languages=["fr", "en", "de"]), uow)
    text = "\n".join([HEADER, *GOOD, "E3;Cy;mentor;FR;fr;Mars/Base;2;;;no", GOOD[0].replace("Ana", "Ana B")])
    command = ImportParticipants(programme.programme_id, parse(text, programme.programme_id), uuid.uuid4(), TODAY)

    report = await handlers.import_participants(command, uow)
    assert (report.rows, report.enrolled, report.updated, report.unchanged) == (4, 2, 0, 0)
    assert [(e.row, e.field) for e in report.rejected] == [(4, "time_zone"), (5, "employee_id")]
    assert len(uow.participants.items) == 2 and len(uow.participants.events) == 4  # a key record each

    again = await handlers.import_participants(command, uow)
    assert (again.enrolled, again.updated, again.unchanged) == (0, 0, 2)
    assert len(uow.participants.events) == 4


async def test_an_import_into_a_closed_programme_is_refused_whole():
    from enrollment.domain.commands import CloseProgramme
    from enrollment.domain.errors import Conflict

    uow = FakeEnrollmentUnitOfWork()
    programme, _ = await handlers.launch_programme(launch(), uow)
    await handlers.close_programme(CloseProgramme(programme.programme_id, uuid.uuid4()), uow)
    command = ImportParticipants(programme.programme_id, parse("\n".join([HEADER, *GOOD]), programme.programme_id),
                                 uuid.uuid4(), TODAY)
    with pytest.raises(Conflict):
        await handlers.import_participants(command, uow)
    assert uow.participants.items == {}


def test_a_windows_1252_export_is_refused_naming_the_line_and_the_encoding():
    text = (HEADER + "\n" + GOOD[0] + "\n" + GOOD[0].replace("E1", "E9").replace("Ana", "Zoë")).encode("cp1252")
    with pytest.raises(UnreadableFile) as err:
        parse_export(text, uuid.uuid4(), uuid.uuid4(), TODAY)
    assert err.value.field == "file" and "line 3" in err.value.reason and "Windows-1252" in err.value.reason


def test_a_cell_too_long_is_refused_for_its_row_and_one_past_the_csv_limit_names_its_line():
    long_name = GOOD[0].replace("Ana", "A" * 20_000)
    rows = parse(HEADER + "\n" + long_name + "\n" + GOOD[1])
    assert isinstance(rows[0][1], RowError) and rows[0][1].field == "display_name"
    assert not isinstance(rows[1][1], RowError)
    with pytest.raises(UnreadableFile) as err:
        parse(HEADER + "\n" + GOOD[1] + "\n" + GOOD[0].replace("Ana", "A" * 200_000))
    assert "line 3" in err.value.reason


def test_more_rows_than_the_limit_are_refused_before_any_is_applied(monkeypatch):
    from enrollment.entrypoints import hr_csv

    monkeypatch.setattr(hr_csv, "MAX_ROWS", 2)
    with pytest.raises(UnreadableFile) as err:
        parse("\n".join([HEADER, *GOOD, GOOD[0].replace("E1", "E7")]))
    assert "more than 2 rows" in err.value.reason
