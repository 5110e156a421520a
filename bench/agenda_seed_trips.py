"""Profile: an older database's first tick, which files every active pair in the ticker's agenda (issue 14).

On a real FerretDB (BINOME_MONGO_PORT, a throwaway database): `--pairs` planned pairs stored as a version
before the agenda left them (no agenda, not seeded), then one tick with `--batch` at an instant when
nothing is due yet, so the tick only seeds. Prints the store commands by (command, collection), the
tick's wall time and, with `--store-pid` (FerretDB's process: `bash deploy/local/infra.sh pid ferretdb`),
the store's CPU seconds during the tick (from /proc).

    PYTHONPATH=.:services uv run python -m bench.agenda_seed_trips --pairs 3000 [--batch 200] [--store-pid PID]
"""

import argparse
import asyncio
import time
import uuid
from collections import Counter
from datetime import timedelta

from bench.pipeline_cpu import cpu_seconds
from bench.store_trips import throwaway_database
from scheduling import handlers
from scheduling.adapters.mongo_unit_of_work import MongoSchedulingUnitOfWork, ensure_indexes
from scheduling.adapters.pair_documents import pair_to_doc
from scheduling.domain.commands import Tick
from scheduling.domain.model import Timing
from tests.fakes.scheduling import FakeSchedulingUnitOfWork
from tests.unit.scheduling.builders import MONDAY, planned, programme


async def run(pairs: int, batch: int, store_pid: int | None) -> None:
    uow = FakeSchedulingUnitOfWork()
    programme_id = await programme(uow)
    docs = [{**pair_to_doc(await planned(uow, programme_id, not_before=MONDAY + timedelta(minutes=15 * n))),
             "version": 1, "outbox": []} for n in range(pairs)]
    async with throwaway_database() as (db, trips):
        await ensure_indexes(db)
        await db.tick_agenda.delete_many({})  # as before the agenda: not seeded
        for start in range(0, len(docs), 1000):
            await db.pairs.insert_many(docs[start:start + 1000])
        trips.log.clear()
        now = MONDAY - timedelta(days=7)  # nothing due: the tick only seeds
        cpu = cpu_seconds(store_pid) if store_pid else 0.0
        started = time.monotonic()
        await handlers.tick(Tick(now, Timing(), uuid.uuid4(), batch=batch),
                            MongoSchedulingUnitOfWork(db, lambda: None, clock=lambda: now))
        wall = time.monotonic() - started
        cpu = cpu_seconds(store_pid) - cpu if store_pid else float("nan")
        counts = Counter(f"{command} {collection}" for command, collection, _ in trips.log)
        print(f"{pairs} older pairs, batch {batch}: tick {wall:.2f} s, store CPU {cpu:.2f} s; "
              f"{len(trips.log)} commands {dict(counts)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--store-pid", type=int)
    args = parser.parse_args()
    asyncio.run(run(args.pairs, args.batch, args.store_pid))


if __name__ == "__main__":
    main()
