"""Where `make test`'s time goes, read from the output of a run with `--durations=0`.

    PYTEST_ADDOPTS="--durations=0 -p no:cacheprovider" make test 2>&1 | tee suite.log
    uv run python -m bench.suite_time suite.log [--top 30]

Per tier: the summed setup, call and teardown seconds of its tests (a session fixture's start, such as
the shared servers or the fault tier's own, counts in the setup of the first test that needs it), and
the slowest tests. With the fault tier in a second process (tools/test_tiers.sh), the tiers' sums add
up to more than the wall time: the fault tier's overlaps the others'.
"""

import argparse
import re
from collections import defaultdict
from pathlib import Path

LINE = re.compile(r"^(\d+\.\d+)s (setup|call|teardown)\s+tests/(\w+)/(\S+)")
WALL = re.compile(r"=+ .*? in (\d+\.\d+)s")


def summarize(text: str, top: int) -> str:
    tiers: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    tests: dict[str, float] = defaultdict(float)
    for line in text.splitlines():
        if found := LINE.match(line.strip()):
            seconds, phase, tier, node = float(found[1]), found[2], found[3], found[4]
            tiers[tier][phase] += seconds
            tests[f"{tier}/{node}"] += seconds
    rows = ["| tier | setup s | call s | teardown s | total s |", "|---|---:|---:|---:|---:|"]
    for tier, phases in sorted(tiers.items(), key=lambda item: -sum(item[1].values())):
        rows.append(f"| {tier} | {phases['setup']:.1f} | {phases['call']:.1f} | {phases['teardown']:.1f}"
                    f" | {sum(phases.values()):.1f} |")
    rows += ["", "pytest sessions (wall s): " + ", ".join(WALL.findall(text)), "",
             "| slowest tests (setup + call + teardown) | s |", "|---|---:|"]
    rows += [f"| {name} | {seconds:.1f} |" for name, seconds in sorted(tests.items(), key=lambda t: -t[1])[:top]]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("logs", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    print(summarize("\n".join(p.read_text(errors="replace") for p in args.logs), args.top))


if __name__ == "__main__":
    main()
