"""What each collection costs the store in bytes: what a run left stored and what its commands make FerretDB
decode and re-encode (bench only).

FerretDB v1 reads a whole stored document for every command that touches it (whatever the projection)
and writes it whole again on every update, so a collection's mean stored size times its commands is what
the store decodes and re-encodes for it (bench/round_trips.py `--by-collection`).
"""

from collections import Counter

import bson
from pymongo import AsyncMongoClient


async def stored_sizes(mongodb_url: str, prefix: str) -> dict[str, tuple[int, int]]:
    """`database.collection` -> (documents, total BSON bytes), for the databases whose name starts with `prefix`."""
    client = AsyncMongoClient(mongodb_url)
    try:
        sizes: dict[str, tuple[int, int]] = {}
        for database in await client.list_database_names():
            if not database.startswith(prefix):
                continue
            for collection in await client[database].list_collection_names():
                count = total = 0
                async for doc in client[database][collection].find({}):
                    count, total = count + 1, total + len(bson.encode(doc))
                sizes[f"{database}.{collection}"] = (count, total)
        return sizes
    finally:
        await client.close()


def mean_kb(sizes: dict[str, tuple[int, int]], key: str) -> float:
    count, total = sizes.get(key, (0, 0))
    return total / count / 1024 if count else 0.0


def handled_kb(command: str, target: str, commands: int, sent: int, received: int,
               sizes: dict[str, tuple[int, int]]) -> float:
    """KB FerretDB decodes or encodes for these commands: a find or delete reads each stored document whole
    (or what it returned, if more: a document larger than at the end), an update reads it and writes it whole
    again, an insert encodes what was sent. The stored size is the mean at the end of the run, without the
    outboxes the relay has cleared meanwhile: a lower bound."""
    stored = mean_kb(sizes, target)
    if command in ("find", "delete"):
        return max(commands * stored, received / 1024)
    if command == "update":
        return commands * 2 * stored
    return (sent if command == "insert" else received) / 1024


def by_collection(name: str, counts: dict, participants: int, top: int, sizes: dict[str, tuple[int, int]]) -> list[str]:
    """A service's costliest collections for the store, per participant, by the KB FerretDB handles for them."""
    seen = counts.get("by collection", {})
    sent, received, commands = (Counter(seen.get(k, {})) for k in ("bytes sent", "bytes received", "commands"))
    handled = {key: handled_kb(*key.split(" ", 1), commands[key], sent[key], received[key], sizes) for key in commands}
    lines = [f"| {name}: command database.collection | commands / participant | KB sent / participant | "
             "KB received / participant | stored documents (mean KB) | KB decoded + re-encoded / participant |",
             "|---|---|---|---|---|---|"]
    for key in sorted(handled, key=handled.get, reverse=True)[:top]:
        target = key.split(" ", 1)[1]
        lines.append(f"| {key} | {commands[key] / participants:.2f} | {sent[key] / participants / 1024:.2f} | "
                     f"{received[key] / participants / 1024:.2f} | {sizes.get(target, (0, 0))[0]:,} "
                     f"({mean_kb(sizes, target):.2f}) | {handled[key] / participants:.2f} |")
    per = {k: sum(v.values()) / participants for k, v in (("commands", commands), ("sent", sent),
                                                           ("received", received), ("handled", handled))}
    lines.append(f"| **all** | {per['commands']:.1f} | {per['sent'] / 1024:.1f} | {per['received'] / 1024:.1f} | | "
                 f"**{per['handled']:.1f}** |")
    return lines
