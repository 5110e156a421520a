"""Matching benchmark: `uv run python -m bench.matching [--sizes 2000x200,10000x1000,100000x10000]`.

For each generated programme, in one run: (a) this service's round (sparse candidate graph,
certified), (b) OR-Tools min-cost flow on the complete graph, (c) scipy's linear_sum_assignment on
the seat-expanded matrix when it fits; plus continuous-mode latency per enrollment. Each solver
runs in its own process so its peak memory (ru_maxrss) is its own. Writes the "Matching" section
of docs/benchmarks.md.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
SEATS_PER_MENTOR = 5.5  # capacities 1..10 uniformly


BLAS_THREADS: dict[str, str] = {}


def run(kind: str, mentees: int, mentors: int, seed: int, timeout: float) -> dict:
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'services'}", **BLAS_THREADS}
    try:
        out = subprocess.run([sys.executable, "-m", "bench.matching_solvers", kind, str(mentees), str(mentors),
                              str(seed)], capture_output=True, text=True, env=env, timeout=timeout, check=True)
        return json.loads(out.stdout.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        return {"skipped": f"over {timeout:.0f} s"}
    except subprocess.CalledProcessError as exc:
        last = exc.stderr.strip().splitlines()[-1] if exc.stderr.strip() else f"exit status {exc.returncode}"
        return {"skipped": f"failed: {last}"}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), "?")
    load = os.getloadavg()
    return (f"{cpu}, {os.cpu_count()} cores, {int(mem) // 1024 // 1024} GiB; load average at start "
            f"{load[0]:.2f}; Python {platform.python_version()}, numpy {version('numpy')}, "
            f"ortools {version('ortools')}, scipy {version('scipy')}")


def cell(result: dict, key: str, fmt: str = "{:.2f}") -> str:
    if "skipped" in result:  # the reason once per row, in its first column
        return result["skipped"] if key in ("objective", "p50_ms") else "—"
    return fmt.format(result[key])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2000x200,10000x1000,100000x10000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dense-max-arcs", type=float, default=2e7, help="skip the complete graph above this")
    parser.add_argument("--lsa-max-cells", type=float, default=1.5e7, help="skip scipy above this matrix size")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--write", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="OPENBLAS_NUM_THREADS for the solvers (1 is faster on a busy machine)")
    parser.add_argument("--from-log", type=Path, help="re-render the section from a previous run's output")
    args = parser.parse_args()
    if args.from_log:
        results = [json.loads(line) for line in args.from_log.read_text().splitlines() if line.startswith("{")]
        sizes = [tuple(int(x) for x in s.lower().split("x")) for s in args.sizes.split(",")]
        rows = [(n_e, n_m, r["matcher"], r["dense"], r["lsa"]) for (n_e, n_m), r in zip(sizes, results, strict=False)]
        latency = [(n_e, n_m, r["continuous"]) for (n_e, n_m), r in zip(sizes, results, strict=False)]
        logged = [line for line in args.from_log.read_text().splitlines() if line.startswith("Machine: ")]
        header = logged[-1].removeprefix("Machine: ").rstrip(".") if logged else machine()
        write_section(render(header, rows, latency, args))
        return
    if args.blas_threads:
        BLAS_THREADS["OPENBLAS_NUM_THREADS"] = str(args.blas_threads)
    header = machine() + (f"; OPENBLAS_NUM_THREADS={args.blas_threads}" if args.blas_threads else "")
    rows, latency = [], []
    for size in args.sizes.split(","):
        n_e, n_m = (int(x) for x in size.lower().split("x"))
        print(f"{n_e} x {n_m} ...", flush=True)
        ours = run("matcher", n_e, n_m, args.seed, args.timeout)
        skip = {"skipped": "not run (too large)"}
        dense = run("dense", n_e, n_m, args.seed, args.timeout) if n_e * n_m <= args.dense_max_arcs else skip
        lsa = run("lsa", n_e, n_m, args.seed, args.timeout) \
            if n_e * n_m * SEATS_PER_MENTOR <= args.lsa_max_cells else skip
        cont = run("continuous", n_e, n_m, args.seed, args.timeout) if n_e * n_m <= 1e8 else skip
        rows.append((n_e, n_m, ours, dense, lsa))
        latency.append((n_e, n_m, cont))
        print(json.dumps({"matcher": ours, "dense": dense, "lsa": lsa, "continuous": cont}), flush=True)
    section = render(header, rows, latency, args)
    print(section)
    if args.write:
        write_section(section)


def render(header: str, rows, latency, args) -> str:
    threads = f" --blas-threads {args.blas_threads}" if args.blas_threads else ""
    lines = ["## Matching", "",
             f"`uv run python -m bench.matching --sizes {args.sizes}{threads}` on "
             f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
             "",
             f"Machine: {header}.", "",
             "Generated programmes (bench/matching_instances.py): 15 countries with their time zones and "
             "languages, senior mentees (5-10) and junior mentors (1-4), 8 departments, reporting lines, 3-6 "
             "skills each, 2-5 weekly office-hour slots, mentor capacities 1-10, 2 % must-match mentees. "
             "Objective = integer utility (1 + round(1000 x score)) summed over pairs, after covering the most "
             "must-match mentees. Times include scoring (rules, criteria) and, for the matcher, building the "
             "arrays from the candidates and explaining every pair and every unmatched participant. Peak = "
             "ru_maxrss of the solver's own process.", "",
             "| mentees x mentors | solver | objective | must-match | pairs | wall (s) | CPU (s) | peak MB |",
             "|---|---|---|---|---|---|---|---|"]
    for n_e, n_m, ours, dense, lsa in rows:
        for name, r in (("matcher (sparse, certified)", ours), ("OR-Tools min-cost flow, complete graph", dense),
                        ("scipy linear_sum_assignment, seat-expanded", lsa)):
            lines.append(f"| {n_e:,} x {n_m:,} | {name} | {cell(r, 'objective', '{:,}')} | "
                         f"{cell(r, 'must', '{}')} | {cell(r, 'pairs', '{:,}')} | {cell(r, 'seconds')} | "
                         f"{cell(r, 'cpu_seconds')} | {cell(r, 'peak_mb', '{:.0f}')} |")
        if "skipped" not in ours and "skipped" not in dense:
            ratio, cpu_ratio = ours["seconds"] / dense["seconds"], ours["cpu_seconds"] / dense["cpu_seconds"]
            same = "equal" if ours["objective"] == dense["objective"] and ours["must"] == dense["must"] else "DIFFERENT"
            lines.append(f"| {n_e:,} x {n_m:,} | matcher / complete graph | {same} | | | {ratio:.2f}x | "
                         f"{cpu_ratio:.2f}x | |")
    lines += ["", "Continuous mode: pairing one newcomer (a mentee) against the programme's pool, the domain call "
              "only (the service also reads the pool from the store).", "",
              "| pool (mentees x mentors) | p50 ms | p99 ms | max ms | CPU p50 ms | CPU p99 ms |",
              "|---|---|---|---|---|---|"]
    for n_e, n_m, r in latency:
        lines.append(f"| {n_e:,} x {n_m:,} | {cell(r, 'p50_ms')} | {cell(r, 'p99_ms')} | {cell(r, 'max_ms')} | "
                     f"{cell(r, 'cpu_p50_ms')} | {cell(r, 'cpu_p99_ms')} |")
    lines += ["", "Targets (issue 4, item 7), judged on this run's wall-clock numbers:", ""]
    lines += [f"- {t}" for t in targets(rows, latency)] or ["- none of the target sizes was run"]
    return "\n".join(lines) + "\n"


def targets(rows, latency) -> list[str]:
    verdict = {True: "**met**", False: "**not met**"}
    out = []
    for n_e, n_m, ours, dense, _ in rows:
        if (n_e, n_m) == (10_000, 1_000) and "skipped" not in ours and "skipped" not in dense:
            out.append(f"10,000 x 1,000 objective equal to the exact optimum: "
                       f"{verdict[ours['objective'] == dense['objective'] and ours['must'] == dense['must']]}")
            out.append(f"10,000 x 1,000 round including scoring <= 1 s: {verdict[ours['seconds'] <= 1]} "
                       f"({ours['seconds']:.2f} s wall, {ours['cpu_seconds']:.2f} s CPU)")
            ratio = ours["seconds"] / dense["seconds"]
            out.append(f"10,000 x 1,000 <= 0.2 x the complete-graph solve: {verdict[ratio <= 0.2]} ({ratio:.2f}x wall, "
                       f"{ours['cpu_seconds'] / dense['cpu_seconds']:.2f}x CPU)")
        if (n_e, n_m) == (100_000, 10_000):
            ok = "skipped" not in ours and ours["seconds"] <= 10 and ours["peak_mb"] <= 2048
            detail = ours.get("skipped") or f"{ours['seconds']:.1f} s, {ours['peak_mb']:.0f} MB"
            out.append(f"100,000 x 10,000 <= 10 s and <= 2 GB: {verdict[ok]} ({detail})")
    for n_e, n_m, r in latency:
        if (n_e, n_m) == (10_000, 1_000) and "skipped" not in r:
            out.append(f"continuous mode <= 20 ms per enrollment at p99 (pool 10,000 x 1,000, domain call): "
                       f"{verdict[r['p99_ms'] <= 20]} ({r['p99_ms']:.1f} ms wall, {r['cpu_p99_ms']:.1f} ms CPU)")
    return out


def write_section(section: str) -> None:
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    start = text.find("## Matching")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1:] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text)


if __name__ == "__main__":
    main()
