"""How the impact report's cost grows with the programme: compute + render, in memory.

`uv run python -m bench.feedback_impact` (PYTHONPATH=.:services). Feeds seeded 15-country
programmes of growing size through the use cases on the fake unit of work, then times
build_report + JSON + CSV rows + HTML; ratios are against the smallest programme in the same run.
Writes its section of docs/benchmarks.md.
"""

import asyncio
import os
import platform
import re
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from feedback.domain.impact import build_report
from feedback.entrypoints import report_html, report_json
from tests.fakes.feedback import FakeFeedbackUnitOfWork
from tests.feedback_scenario import programme
from tests.unit.feedback.drive import feed

COUNTRIES = ("FR", "DE", "BR", "IN", "US", "GB", "ES", "IT", "PL", "MX", "JP", "SG", "ZA", "CA", "BE")
SIZES = (50, 200, 800)  # pairs; participants = 2x
RUNS = 5
DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
SECTION = "## feedback: impact report"


async def measure(pairs: int) -> tuple[int, float]:
    uow = FakeFeedbackUnitOfWork()
    sc = programme(pairs=pairs, countries=COUNTRIES, seed=1)
    await feed(sc, uow)
    evidence = await uow.impact.evidence(sc.programme_id)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        report = build_report(sc.programme_id, evidence, 5, datetime.now(UTC))
        report_json.report(report), report_json.rows(report), report_html.render(report)
        times.append(time.perf_counter() - start)
    return len(sc.enrolled), statistics.median(times)


async def main() -> None:
    results = [await measure(p) for p in SIZES]
    base_people, base = results[0]
    lines = [SECTION, "",
             f"`uv run python -m bench.feedback_impact` on {platform.node()} ({os.cpu_count()} CPUs, "
             f"Python {platform.python_version()}), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; median of {RUNS}; "
             "15 countries, 2 cohorts, 3 sessions per pair; excludes reading from the store. "
             f"Load average {os.getloadavg()[0]:.1f} at the end of the run (a shared machine is noisy).", "",
             "| participants | report + JSON + CSV + HTML | ratio to smallest | ratio per participant |",
             "|---|---|---|---|"]
    for people, t in results:
        lines.append(f"| {people} | {1000 * t:.1f} ms | {t / base:.1f}x | {(t / people) / (base / base_people):.2f} |")
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n\n"
    pattern = re.compile(rf"{re.escape(SECTION)}\n.*?(?=\n## |\Z)", re.S)
    section = "\n".join(lines) + "\n"
    text = pattern.sub(section, text) if SECTION in text else text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text)
    print(section)


if __name__ == "__main__":
    asyncio.run(main())
