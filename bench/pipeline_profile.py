"""Where the services' own CPU goes: bench.pipeline with py-spy sampling each service (issue 14).

Runs `bench.pipeline` (its arguments passed through), attaches `py-spy record --nonblocking -f raw` to
each service process as soon as it starts, and when the run ends prints each service's top functions:
self (on top of the stack) and the project's own functions by cumulative samples. Samples of idle
threads, of the event loop's wait and of start-up imports are left out: what remains approximates
where the CPU goes (py-spy counts a thread that is runnable but waiting for a core as busy, so on a
loaded machine the shares, not the sample counts, are the figures to compare):

    PYTHONPATH=.:services uv run python -m bench.pipeline_profile --out /tmp/prof -- --sizes 1000 --latency-seconds 20
    PYTHONPATH=.:services uv run python -m bench.pipeline_profile --out /tmp/prof --report-only   (the tables again)

`--top` sets how many functions per service (10); `--rate` the samples per second (50).
"""

import argparse
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

SERVICES = ("enrollment", "matching", "scheduling", "feedback")
PY_SPY = str(Path(sys.executable).parent / "py-spy")  # the locked dev dependency, beside this interpreter


def service_pids(parent: int) -> dict[str, int]:
    """The `python -m shared.serve <name>` children of the benchmark's process."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == parent and b"shared.serve" in argv and argv[-2].decode() in SERVICES:
            found[argv[-2].decode()] = int(proc.name)
    return found


IDLE_LEAVES = ("EpollSelector.select", "Runner.run")  # the loop waiting (uvloop's is C: its wait shows as run)
OWN_CODE = ("shared/", "enrollment/", "matching/", "scheduling/", "feedback/")


def frame_name(frame: str) -> str:
    # "handle (shared/messaging/consumer.py:42)" -> "handle (shared/messaging/consumer.py)": one row per function
    name, _, where = frame.partition(" (")
    return f"{name} ({where.rsplit(':', 1)[0].split('/site-packages/')[-1]})" if where else name


def top(raw: Path, n: int) -> tuple[int, list[tuple[str, int]], list[tuple[str, int]]]:
    """Samples busy in the service (start-up imports and the loop's idle wait left out), the functions
    most often on top of the stack (self), and the project's functions most often on it (cumulative)."""
    own, cumulative, total = Counter(), Counter(), 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit() or "_find_and_load" in stack:
            continue  # start-up imports are not the per-event cost
        frames = [frame_name(f) for f in stack.split(";")]
        if frames[-1].startswith(IDLE_LEAVES):
            continue
        total += int(count)
        own[frames[-1]] += int(count)
        for frame in {f for f in frames[:-1] if f.partition(" (")[2].startswith(OWN_CODE) and "serve.py" not in f}:
            cumulative[frame] += int(count)
    return total, own.most_common(n), cumulative.most_common(n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/pipeline-profile"))
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--report-only", action="store_true", help="only print the tables of --out's samples")
    parser.add_argument("pipeline_args", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    returncode = 0 if args.report_only else record(args)
    report(args)
    sys.exit(returncode)


def record(args: argparse.Namespace) -> int:
    bench = subprocess.Popen([sys.executable, "-m", "bench.pipeline", *[a for a in args.pipeline_args if a != "--"]])
    spies: dict[str, subprocess.Popen] = {}
    while bench.poll() is None:
        for name, pid in service_pids(bench.pid).items():
            if name not in spies:
                spies[name] = subprocess.Popen(
                    [PY_SPY, "record", "--nonblocking", "-r", str(args.rate), "-f", "raw",
                     "-o", str(args.out / f"{name}.txt"), "--pid", str(pid)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.2)
    for spy in spies.values():
        spy.wait(timeout=60)
    return bench.returncode


def report(args: argparse.Namespace) -> None:
    for name in SERVICES:
        raw = args.out / f"{name}.txt"
        if not raw.exists():
            continue
        total, own, cumulative = top(raw, 2 * args.top)
        print(f"\n{name}: {total} busy samples at {args.rate}/s")
        print("  self:", *(f"    {c / total:5.1%} {f}" for f, c in own[:args.top]), sep="\n")
        print("  cumulative (own code):", *(f"    {c / total:5.1%} {f}" for f, c in cumulative[:2 * args.top]),
              sep="\n")


if __name__ == "__main__":
    main()
