"""Command-line HR import: `BINOME_TOKEN=... python -m enrollment.entrypoints.cli import FILE --programme ID`.

It sends the export to the enrollment HTTP API in chunks (each chunk idempotent), with a progress
bar, and prints the per-row report with the row numbers of the original file. The token is a bearer
token of the HR integration (client credentials) or of a platform admin.
"""

import csv
import io
from pathlib import Path
from uuid import UUID

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from enrollment.entrypoints.hr_csv import delimiter_of

app = typer.Typer(add_completion=False, help="Binôme enrollment tools")
console = Console()


@app.callback()
def tools() -> None:
    """Binôme enrollment tools (a callback keeps `import` a named sub-command)."""


def chunks(text: str, rows_per_chunk: int) -> list[tuple[str, dict[int, int]]]:
    """Splits an export into CSV texts of at most `rows_per_chunk` rows, each with the header, and for
    each the map from its own line numbers to the original file's."""
    text = text.removeprefix("\ufeff")
    delimiter = delimiter_of(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    records = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    result = []
    for start in range(0, len(records), rows_per_chunk):
        part = records[start:start + rows_per_chunk]
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(row for _, row in part)
        chunk_reader = csv.reader(io.StringIO(out.getvalue()), delimiter=delimiter)
        next(chunk_reader)
        chunk_lines = [chunk_reader.line_num for _ in chunk_reader]
        result.append((out.getvalue(), dict(zip(chunk_lines, (line for line, _ in part), strict=True))))
    return result


@app.command("import")
def import_export(
    file: Path = typer.Argument(..., exists=True, readable=True, help="HR export, CSV, UTF-8, comma or semicolon"),
    programme: UUID = typer.Option(..., help="programme id"),
    url: str = typer.Option("http://127.0.0.1:8001", help="enrollment service base URL"),
    rows_per_request: int = typer.Option(1000, min=1, max=20000),
    token: str = typer.Option(..., envvar="BINOME_TOKEN", help="bearer token (HR integration or platform admin)"),
) -> None:
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        console.print(f"[red]{file} is not UTF-8: {exc.reason} at byte {exc.start}[/]")
        raise typer.Exit(1) from exc
    parts = chunks(text, rows_per_request)
    totals = {"rows": 0, "enrolled": 0, "updated": 0, "unchanged": 0}
    rejected: list[dict] = []
    columns = [*Progress.get_default_columns()[:1], BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, timeout=300, headers=auth) as http, Progress(*columns, console=console) as progress:
        task = progress.add_task(f"importing {file.name}", total=sum(len(m) for _, m in parts))
        for body, lines in parts:
            response = http.post(f"/programmes/{programme}/imports", content=body.encode(),
                                 headers={"content-type": "text/csv"})
            if response.status_code != 200:
                detail = response.json().get("detail", response.text)
                console.print(f"[red]refused ({response.status_code}): {detail}[/]")
                raise typer.Exit(1)
            report = response.json()
            for key in totals:
                totals[key] += report[key]
            rejected += [{**e, "row": lines.get(e["row"], e["row"])} for e in report["rejected"]]
            progress.advance(task, len(lines))
    _print(totals, rejected)


def _print(totals: dict[str, int], rejected: list[dict]) -> None:
    console.print(f"{totals['rows']} rows: {totals['enrolled']} enrolled, {totals['updated']} updated, "
                  f"{totals['unchanged']} unchanged, {len(rejected)} rejected")
    if rejected:
        table = Table("row", "field", "reason", title="Rejected rows (nothing of them was applied)")
        for error in sorted(rejected, key=lambda e: e["row"]):
            table.add_row(str(error["row"]), error["field"], error["reason"])
        console.print(table)


if __name__ == "__main__":
    app()
