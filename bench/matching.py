"""Matching benchmark, one run: `uv run python -m bench.matching [--sizes 2000x200,10000x1000,100000x10000]`.

For each generator (the bench generator; the cross generator with bilingual people, `both` roles and
reporting lines) and size, each in its own process (bench/matching_solvers.py): this service's
round; the baseline, OR-Tools min-cost flow over every feasible couple; scipy's MILP over every
feasible couple where it fits; and continuous-mode latency per arrival kind (domain call). Writes
the "Matching" section of docs/benchmarks.md (the service-level latency is bench/matching_service.py).

Where the baseline runs, the round and the baseline run alternately `--repeats` times (each run its
own process), so both see the same machine; the table gives each one's median wall and CPU time and
the spread of its walls, and the ratio of the medians. One run of each is one draw of a noisy
machine: the flow alone varied 0.9-1.6 s between runs at 10,000 x 1,000.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
ENV: dict[str, str] = {}


def run(kind: str, generator: str, mentees: int, mentors: int, seed: int, timeout: float) -> dict:
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'services'}", **ENV}
    try:
        out = subprocess.run([sys.executable, "-m", "bench.matching_solvers", kind, generator, str(mentees),
                              str(mentors), str(seed)], capture_output=True, text=True, env=env, timeout=timeout,
                             check=True, cwd=ROOT)
        return json.loads(out.stdout.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        return {"skipped": f"over {timeout:.0f} s"}
    except subprocess.CalledProcessError as exc:
        last = exc.stderr.strip().splitlines()[-1] if exc.stderr.strip() else f"exit status {exc.returncode}"
        return {"skipped": f"failed: {last}"}


def alternated(generator: str, mentees: int, mentors: int, seed: int, timeout: float, repeats: int) -> tuple:
    """(matcher, flow): each the summary of `repeats` runs, the two solvers taking turns."""
    runs: dict[str, list[dict]] = {"matcher": [], "flow": []}
    for _ in range(repeats):
        for kind, done in runs.items():
            done.append(run(kind, generator, mentees, mentors, seed, timeout))
    return summary(runs["matcher"]), summary(runs["flow"])


def summary(runs: list[dict]) -> dict:
    """The first run's answer with the median wall and CPU time of all, the walls' range, and the
    number of runs; skipped if any run was, flagged if the runs disagree on the answer."""
    failed = next((r for r in runs if "skipped" in r), None)
    if failed is not None:
        return failed
    out = dict(runs[0])
    for key in ("seconds", "cpu_seconds", "pool_seconds", "pool_cpu_seconds", "peak_mb"):
        if key in out:
            out[key] = statistics.median(r[key] for r in runs)
    walls = [r["seconds"] for r in runs]
    out.update(runs=len(runs), wall_min=min(walls), wall_max=max(walls),
               agree=len({(r["objective"], r["must"]) for r in runs}) == 1)
    return out


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), "?")
    return (f"{cpu}, {os.cpu_count()} cores, {int(mem) // 1024 // 1024} GiB; Python {platform.python_version()}, "
            f"numpy {version('numpy')}, ortools {version('ortools')}, scipy {version('scipy')}")


def cell(r: dict, key: str, fmt: str = "{:.2f}") -> str:
    if "skipped" in r:
        return r["skipped"] if key == "objective" else "—"
    value = r.get(key)
    return "—" if value is None else fmt.format(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2000x200,10000x1000,100000x10000")
    parser.add_argument("--generators", default="bench,cross")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--flow-max-people", type=int, default=40_000, help="skip the baseline above this")
    parser.add_argument("--milp-max-people", type=int, default=2_200, help="skip the MILP above this")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--write", action=argparse.BooleanOptionalAction, default=False,
                        help="replace docs/benchmarks.md's Matching section with this run's tables "
                             "(it is kept by hand: off by default)")
    parser.add_argument("--blas-threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5, help="alternated runs of each where the baseline runs")
    args = parser.parse_args()
    ENV["OPENBLAS_NUM_THREADS"] = str(args.blas_threads)
    load_before = os.getloadavg()
    rows, latency = [], []
    for generator in args.generators.split(","):
        for size in args.sizes.split(","):
            n_e, n_m = (int(x) for x in size.lower().split("x"))
            print(f"{generator} {n_e} x {n_m} ...", flush=True)
            skip = {"skipped": "not run (too large)"}
            if n_e + n_m <= args.flow_max_people:
                ours, base = alternated(generator, n_e, n_m, args.seed, args.timeout, args.repeats)
            else:
                ours, base = run("matcher", generator, n_e, n_m, args.seed, args.timeout), skip
            exact = run("milp", generator, n_e, n_m, args.seed, args.timeout) \
                if n_e + n_m <= args.milp_max_people else skip
            rows.append((generator, n_e, n_m, ours, base, exact))
            if (n_e, n_m) in ((2000, 200), (10000, 1000)):
                latency.append((generator, n_e, n_m, run("continuous", generator, n_e, n_m, args.seed, args.timeout)))
            print(json.dumps({"matcher": ours, "flow": base, "milp": exact}), flush=True)
    section = render(args, rows, latency, load_before, os.getloadavg())
    print(section)
    if args.write:
        write_section(section)


def render(args, rows, latency, load_before, load_after) -> str:
    lines = ["## Matching", "",
             f"`uv run python -m bench.matching --sizes {args.sizes} --generators {args.generators}` on "
             f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Machine: {machine()}; OPENBLAS_NUM_THREADS="
             f"{args.blas_threads}; load average {load_before[0]:.1f} at the start, {load_after[0]:.1f} at the end "
             "(a shared machine: compare the CPU columns). Where the baseline runs, matcher and baseline ran "
             f"alternately {args.repeats} times each, each run its own process: wall and CPU are the medians, "
             "'wall range' the fastest and slowest run, and the ratio row divides the medians.", "",
             "Generators (bench/matching_instances.py): **bench**, 15 countries with their time zones and languages, "
             "senior mentees and junior mentors, 8 departments, mentors reporting to mentees, 3-6 skills, 2-5 weekly "
             "office-hour slots, capacities 1-10, 2 % must-match; **cross**, the same countries with bilingual people "
             "(30 % speak a second country's language), 10 % of seniors and 30 % of juniors `both`, everyone "
             "reporting to one of the seniors (colleagues share managers). Objective = integer utility "
             "(1 + round(1000 x score)) over pairs, after covering the most must-match participants (either side).",
             "", "What each solver's graph contains:", "",
             "- **matcher**: this service's round, from the programme's pool in memory (as the service keeps it "
             "between decisions; building it from the candidates is the 'pool build' column, the same for both "
             "solvers): feasible couples listed by bucket (language set x country x availability group) and "
             "scored, each taker's best couples and each mentor's best takers in the network, the rest priced by "
             "the certificate (couples added back until none can improve the relaxation); must-match coverage by "
             "a small bonus checked against the most coverable (domain/coverage.py); with free `both` roles each "
             "first put on one side and that bipartite solution certified against the doubled relaxation from its "
             "own prices (sides changed up to 3 times), else the doubled network (exact relaxation) and branch and "
             "bound. Includes explaining every pair and everyone left unmatched.",
             "- **flow over every feasible couple** (baseline): from the same pool in memory, the feasible couples "
             "listed (the same bucketed generation: the strongest listing we have) and ONE OR-Tools min-cost flow "
             "with an arc per feasible couple and the full must-match bonus, nothing else (no certificate, no "
             "canonical order, no explanations); with free `both` roles, the same split certified the same way "
             "(one bipartite flow over every feasible couple, checked against the doubled relaxation), else the "
             "doubled network over every feasible couple plus the same branching.",
             "- **MILP**: scipy's HiGHS over every feasible couple, rules and values from the independent scalar "
             "reference of the tests, two solves (coverage, then value); small sizes only.", "",
             "| generator | mentees x mentors | solver | objective | must-match | pairs | feasible couples | "
             "wall (s) | wall range (s) | runs | CPU (s) | pool build CPU (s) | peak MB |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for generator, n_e, n_m, ours, base, exact in rows:
        for name, r in (("matcher", ours), ("flow over every feasible couple", base), ("MILP", exact)):
            lines.append(f"| {generator} | {n_e:,} x {n_m:,} | {name} | {cell(r, 'objective', '{:,}')} | "
                         f"{cell(r, 'must', '{}')} | {cell(r, 'pairs', '{:,}')} | {cell(r, 'couples', '{:,}')} | "
                         f"{cell(r, 'seconds')} | {_range(r)} | {r.get('runs', 1) if 'skipped' not in r else '—'} | "
                         f"{cell(r, 'cpu_seconds')} | {cell(r, 'pool_cpu_seconds')} | {cell(r, 'peak_mb', '{:.0f}')} |")
        if "skipped" not in ours and "skipped" not in base:
            same = "equal" if (ours["objective"], ours["must"]) == (base["objective"], base["must"]) else "DIFFERENT"
            if not (ours.get("agree", True) and base.get("agree", True)):
                same += " (runs DIFFER)"
            lines.append(f"| {generator} | {n_e:,} x {n_m:,} | matcher / baseline (medians) | {same} | | | | "
                         f"{ours['seconds'] / base['seconds']:.2f}x | | | "
                         f"{ours['cpu_seconds'] / base['cpu_seconds']:.2f}x | {_with_pool(ours, base)} | |")
    lines += ["", "Continuous mode, domain call (pair one arrival into the pool kept in memory, with the live "
              "pairs of a published round; a mentor arriving fills its free seats): ms per event.", "",
              "| generator | pool | event | p50 | p99 | max | CPU p99 |", "|---|---|---|---|---|---|---|"]
    for generator, n_e, n_m, r in latency:
        if "skipped" in r:
            lines.append(f"| {generator} | {n_e:,} x {n_m:,} | — | {r['skipped']} | | | |")
            continue
        for kind in ("mentee", "mentor", "both", "departure"):
            k = r[kind]
            lines.append(f"| {generator} | {n_e:,} x {n_m:,} | {kind} | {k['p50_ms']:.2f} | {k['p99_ms']:.2f} | "
                         f"{k['max_ms']:.2f} | {k['cpu_p99_ms']:.2f} |")
    return "\n".join(lines) + "\n"


def _range(r: dict) -> str:
    return f"{r['wall_min']:.2f}-{r['wall_max']:.2f}" if "wall_min" in r else "—"


def _with_pool(ours: dict, base: dict) -> str:
    """The CPU ratio with the pool build counted on both sides."""
    if "pool_cpu_seconds" not in ours or "pool_cpu_seconds" not in base:
        return ""
    mine, theirs = (r["cpu_seconds"] + r["pool_cpu_seconds"] for r in (ours, base))
    return f"{mine / theirs:.2f}x with it"


def write_section(section: str) -> None:
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    start = text.find("## Matching\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1:] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text)


if __name__ == "__main__":
    main()
