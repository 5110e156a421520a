"""Shows a lost update on FerretDB v1 that the outbox-in-document design must account for.

`uv run python -m bench.feedback_ferretdb_lost_update` (MONGODB_URL or 127.0.0.1:$BINOME_MONGO_PORT).
Two version-checked update_one calls race on one document, as a handler's write and the outbox
relay's removal of published events do: A matches version 1 and sets a=1, version=2; B matches
version 1 and sets b=1. Whatever the order, `a` must end as 1 (MongoDB guarantees it: each
update is atomic on its document). The baseline runs them one after the other.
"""

import asyncio
import os
import uuid

from pymongo import AsyncMongoClient

ROUNDS = 200


async def lost_updates(db, concurrent: bool) -> int:
    lost = 0
    for i in range(ROUNDS):
        await db.d.insert_one({"_id": i, "a": 0, "b": 0, "version": 1})

        def handler(i: int = i):
            return db.d.update_one({"_id": i, "version": 1}, {"$set": {"a": 1, "version": 2}})

        def relay(i: int = i):
            return db.d.update_one({"_id": i, "version": 1}, {"$set": {"b": 1}})

        if concurrent:
            await asyncio.gather(handler(), relay())
        else:
            await relay()
            await handler()
        lost += (await db.d.find_one({"_id": i}))["a"] != 1
    await db.d.drop()
    return lost


async def main() -> None:
    url = os.getenv("MONGODB_URL") or f"mongodb://127.0.0.1:{os.getenv('BINOME_MONGO_PORT', '27117')}"
    client = AsyncMongoClient(url)
    db = client[f"bench_race_{uuid.uuid4().hex[:6]}"]
    try:
        sequential, concurrent = await lost_updates(db, False), await lost_updates(db, True)
    finally:
        await client.drop_database(db.name)
        await client.close()
    print(f"{url}: lost handler updates, sequential {sequential}/{ROUNDS}, concurrent {concurrent}/{ROUNDS}")


if __name__ == "__main__":
    asyncio.run(main())
