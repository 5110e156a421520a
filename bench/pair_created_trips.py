"""Profile: the store commands one polled batch of PairCreated costs scheduling, in order (issue 14).

On a real FerretDB (BINOME_MONGO_PORT, a throwaway database), scheduling's real consumer and unit of
work: a programme is registered and the members' keys stored, then `--pairs` PairCreated are delivered
in one polled batch and the outbox relay runs once. Every store command is listed (command,
collection, how many were in flight when it started: 1 = it waited alone) and counted per pair.

    PYTHONPATH=.:services uv run python -m bench.pair_created_trips [--pairs 1] [--list]

With `--batches K`, K such batches of one programme one after the other (each relayed), the counts those
of the last; `--store-pid` (FerretDB's process: `bash deploy/local/infra.sh pid ferretdb`) adds the store's
CPU per pair over all K batches (from /proc): what a programme of K × pairs costs as it grows.
"""

import argparse
import asyncio
import time

from bench.pipeline_cpu import cpu_seconds
from bench.store_trips import counted_service
from scheduling.adapters.mongo_unit_of_work import MongoSchedulingUnitOfWork, ensure_indexes
from scheduling.entrypoints.consumers import build_kafka_router
from tests import factories


async def run(pairs: int, listing: bool, batches: int = 1, store_pid: int | None = None) -> None:
    async with counted_service("scheduling", ensure_indexes, ["pairs"], build_kafka_router,
                               MongoSchedulingUnitOfWork) as service:
        programme = factories.programme_launched()
        runs = [[factories.pair_created(programme.programme_id) for _ in range(pairs)] for _ in range(batches)]
        await service.deliver([programme])
        for created in runs:
            await service.deliver(factories.keys_for(*created))
        cpu, started = cpu_seconds(store_pid) if store_pid else 0.0, time.monotonic()
        for created in runs:
            handled = await service.batch_then_relay(created)
        if store_pid:
            print(f"{batches} batches of {pairs}: {(time.monotonic() - started) / batches:.2f} s a batch, "
                  f"store CPU {1000 * (cpu_seconds(store_pid) - cpu) / (pairs * batches):.2f} ms per pair")
        if listing:
            service.listing(handled)
        log = service.trips.log
        waits = sum(1 for _, _, f in log if f == 1)
        print(f"{pairs} PairCreated in one batch: {len(log) / pairs:.1f} store commands per pair "
              f"({handled / pairs:.1f} consumer, {(len(log) - handled) / pairs:.1f} relay; {service.counts()}); "
              f"{waits} started with nothing else in flight")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=1)
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--batches", type=int, default=1)
    parser.add_argument("--store-pid", type=int)
    args = parser.parse_args()
    asyncio.run(run(args.pairs, args.list, args.batches, args.store_pid))


if __name__ == "__main__":
    main()
