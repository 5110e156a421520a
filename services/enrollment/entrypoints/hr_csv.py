"""Reads an HR export (CSV, UTF-8, comma or semicolon) into one command or one error per row.

Columns: employee_id, display_name, role, country, languages, time_zone, seniority_level (required);
email, department, manager_employee_id, availability, skills, must_match, goals, consents, region
(ISO 3166-2, e.g. DE-BY)
(optional; consents default to programme_participation, which HR attests by exporting the person). Lists use `|`:
languages `fr|en`; availability `Mon 09:00-12:00|Thu 14:00-17:30`; skills `topic:proficiency:wish`,
e.g. `ai-assistants:1:4|innovation:3:0`; must_match `yes`/`no`. Row numbers are file lines (header = 1).
At most MAX_ROWS rows per request (the CLI sends bigger files in chunks); the file must be UTF-8, and
a file that is not is refused naming the first bad line, with a hint when it looks like Windows-1252.
"""

import csv
import io
from datetime import date
from uuid import UUID

from pydantic import ValidationError

from enrollment.domain.commands import EnrollParticipant, RowError
from enrollment.entrypoints.schemas import ParticipantIn
from enrollment.entrypoints.translate import enroll_command

REQUIRED = ("employee_id", "display_name", "role", "country", "languages", "time_zone", "seniority_level")
OPTIONAL = ("email", "department", "manager_employee_id", "availability", "skills", "must_match", "goals", "region",
            "consents")
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
TRUE, FALSE = {"yes", "true", "1", "y"}, {"no", "false", "0", "n", ""}
MAX_ROWS = 100_000
MAX_CELL = 10_000  # characters, refused per row; past csv's own limit (131,072) the file is refused naming the line


class UnreadableFile(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


def delimiter_of(text: str) -> str:
    """Semicolon or comma, whichever the header line uses more (spreadsheets in many locales export `;`)."""
    header_line = text.split("\n", 1)[0]
    return ";" if header_line.count(";") > header_line.count(",") else ","


def decode_export(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        hint = ""
        try:
            raw.decode("cp1252")
            hint = ("; it looks like Windows-1252 (a spreadsheet's default CSV): export it as "
                    "'CSV UTF-8' or convert it to UTF-8, then send it again")
        except UnicodeDecodeError:
            pass
        raise UnreadableFile("file", f"not UTF-8 text at line {line} (byte {exc.start}){hint}") from exc


def read_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    text = text.removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter_of(text))
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise UnreadableFile(f"columns.{missing[0]}", f"missing column(s) {missing}; found {columns}")
    unknown = [c for c in columns if c not in REQUIRED + OPTIONAL]
    if unknown:
        raise UnreadableFile(f"columns.{unknown[0]}", f"unknown column(s) {unknown}")
    rows = []
    try:
        for record in reader:
            cells = {(k or "").strip(): (v or "").strip() for k, v in record.items() if k is not None}
            if any(cells.values()):
                rows.append((reader.line_num, cells))
                if len(rows) > MAX_ROWS:
                    raise UnreadableFile("file", f"more than {MAX_ROWS} rows: send it in parts (the import CLI does)")
    except csv.Error as exc:
        raise UnreadableFile("file", f"line {reader.line_num + 1}: {exc}") from exc  # the line being read
    return columns, rows


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def _slots(value: str) -> list[dict[str, object]]:
    slots = []
    for part in _split(value):
        day, _, hours = part.partition(" ")
        start, _, end = hours.strip().partition("-")
        if day[:3].lower() not in WEEKDAYS or not end:
            raise ValueError(f"{part!r} is not like 'Mon 09:00-12:00'")
        slots.append({"weekday": WEEKDAYS[day[:3].lower()], "start": start.strip(), "end": end.strip()})
    return slots


def _skills(value: str) -> list[dict[str, object]]:
    skills = []
    for part in _split(value):
        pieces = part.split(":")
        if len(pieces) not in (2, 3):
            raise ValueError(f"{part!r} is not like 'topic:proficiency:wish'")
        skills.append({"topic": pieces[0].strip(), "proficiency": pieces[1].strip(),
                       "wish": pieces[2].strip() if len(pieces) == 3 else 0})
    return skills


def _body(cells: dict[str, str]) -> dict[str, object]:
    body: dict[str, object] = {k: cells[k] for k in REQUIRED if k != "languages"}
    body["languages"] = _split(cells["languages"])
    if cells.get("consents"):
        body["consents"] = _split(cells["consents"])
    for name in ("email", "department", "manager_employee_id", "goals", "region"):
        if cells.get(name):
            body[name] = cells[name]
    for name, parse in (("availability", _slots), ("skills", _skills)):
        try:
            body[name] = parse(cells.get(name, ""))
        except ValueError as exc:
            raise RowValueError(name, str(exc)) from exc
    flag = cells.get("must_match", "").lower()
    if flag not in TRUE | FALSE:
        raise RowValueError("must_match", f"{flag!r} is not yes/no")
    body["must_match"] = flag in TRUE
    return body


class RowValueError(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


def parse_export(text: str | bytes, programme_id: UUID, correlation_id: UUID,
                 today: date) -> list[tuple[int, EnrollParticipant | RowError]]:
    _, rows = read_rows(decode_export(text) if isinstance(text, bytes) else text)
    parsed: list[tuple[int, EnrollParticipant | RowError]] = []
    for line, cells in rows:
        too_long = next((k for k, v in cells.items() if len(v) > MAX_CELL), None)
        if too_long:
            parsed.append((line, RowError(line, too_long, f"longer than {MAX_CELL} characters")))
            continue
        try:
            body = ParticipantIn.model_validate(_body(cells))
        except RowValueError as exc:
            parsed.append((line, RowError(line, exc.field, exc.reason)))
            continue
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(p) for p in error["loc"]) or "row"
            parsed.append((line, RowError(line, field, error["msg"])))
            continue
        parsed.append((line, enroll_command(body, programme_id, correlation_id, today)))
    return parsed
