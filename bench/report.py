"""Writes one section of docs/benchmarks.md, replacing the previous run's figures of that section."""

from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def write_section(title: str, body: str) -> None:
    text = BENCHMARKS.read_text() if BENCHMARKS.exists() else "# Benchmarks and measured durations\n"
    heading = f"## {title}"
    if heading in text:
        before, _, rest = text.partition(heading)
        after = rest.split("\n## ", 1)
        text = before + heading + "\n\n" + body.strip() + "\n" + ("\n## " + after[1] if len(after) > 1 else "")
    else:
        text = text.rstrip() + f"\n\n{heading}\n\n{body.strip()}\n"
    BENCHMARKS.write_text(text)
