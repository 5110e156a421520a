"""The 256-page programme index on the real store (matching's pairs): a write rewrites one small page
and its group's counts, lists are complete and in id order across pages, groups and cursors, a small
programme's list reads only the pages holding entries (and a lost counts update is repaired by the
entry's next write), concurrent writers of one page lose nothing, and the 16-page layout is moved
once at start-up; a write vouched for by its programme's version reads no page, and one whose
memory is stale (another instance wrote, a journal was written again, a write failed) reads again."""

import asyncio
import random
import uuid

from pymongo import AsyncMongoClient

from matching.adapters.journal import pairs_index, pairs_index_before
from shared.mongo.index_move import move_entries
from tests.integration.index_listing import every_page, expected, reads_of

STATUSES, COUNTRIES = ("active", "dissolved"), ("FR", "DE", "ES")


def pairs(n: int, seed: int = 5) -> dict[str, dict[str, str]]:
    rng = random.Random(seed)
    return {str(uuid.UUID(int=rng.getrandbits(128))): {
        "status": rng.choice(STATUSES), "country": rng.choice(COUNTRIES)} for _ in range(n)}


async def test_ten_thousand_entries_list_in_order_across_cursors_and_a_write_touches_one_small_page(db):
    index, programme = pairs_index(db), uuid.uuid4()
    entries = pairs(10_000)
    await index.put(programme, entries)
    await index.put(uuid.uuid4(), pairs(30, seed=6))  # another programme's entries stay out
    assert await index.count(programme) == 10_000
    assert await index.count(programme, status="active") == len(expected(entries, status="active"))
    for where in ({}, {"status": "active", "country": "FR"}):
        assert await every_page(index, programme, 500, **where) == expected(entries, **where), where
    assert await index.ids(programme, 3, 4, country="DE") == expected(entries, country="DE")[3:7]

    read = reads_of(index)
    assert await index.ids(programme, 0, 50) == expected(entries)[:50]
    pages_read = [r for r in read if not r.endswith(":n")]
    assert 0 < len(pages_read) <= 4, "the first page of 50 reads the first pages (~40 entries each)"
    read.clear()
    first, total = await index.listed(programme, 0, 50, status="active")
    assert (first, total) == (expected(entries, status="active")[:50], len(expected(entries, status="active")))
    assert len([r for r in read if r.endswith(":n")]) == 16, "the page and its count read the counts once"

    written = []
    bulk_write = index.pages.bulk_write
    index.pages.bulk_write = lambda writes, **kw: written.append(writes) or bulk_write(writes, **kw)
    new = "0a" + str(uuid.uuid4())[2:]
    await index.put(programme, {new: {"status": "active", "country": "FR"}})
    assert [w._filter["_id"] for w in written[0]] == [f"{programme}:10", f"{programme}:0:n"]
    page = await index.pages.find_one({"_id": f"{programme}:10"})
    assert 20 <= len(page["items"]) <= 80, "a page holds about 1/256 of the entries"
    assert await index.count(programme) == 10_001


async def test_a_small_programme_list_reads_only_its_non_empty_pages_and_follows_changes(db):
    index, programme = pairs_index(db), uuid.uuid4()
    entries = pairs(20)
    await index.put(programme, entries)
    read = reads_of(index)
    assert await index.ids(programme, 0, 50) == expected(entries)
    assert len([r for r in read if not r.endswith(":n")]) <= 20, "not the 256 pages"

    moved, gone = expected(entries)[:2]
    await index.put(programme, {moved: {"status": "dissolved", "country": "ES"}})
    await index.remove(programme, [gone])
    entries[moved] = {"status": "dissolved", "country": "ES"}
    del entries[gone]
    assert await index.entries(programme) == entries
    assert await index.ids(programme, 0, 50, status="dissolved") == expected(entries, status="dissolved")
    assert sum((await index.counts(programme)).values()) == 19
    assert await index.count(programme, status="dissolved", country="ES") == len(
        expected(entries, status="dissolved", country="ES"))

    # the store failed after a page's write and before its counts': the entry's next write lists it again
    item = expected(entries)[0]
    page = int(item[:2], 16)
    await index.pages.update_one({"_id": f"{programme}:{page >> 4}:n"}, {"$unset": {f"pages.{page}": ""}})
    assert item not in await index.ids(programme, 0, 50)
    await index.put(programme, {item: entries[item]})  # the journal written again
    assert await index.ids(programme, 0, 50) == expected(entries)


async def test_concurrent_writers_of_one_page_and_one_counts_group_lose_no_entry(db):
    index, programme = pairs_index(db), uuid.uuid4()
    same_page = [f"3c{n:02x}" for n in range(20)]  # page 0x3c
    same_group = [f"3{d}ff" for d in "0123456789abdef"]  # the other pages of group 3
    writers = [pairs_index(db) for _ in range(4)]  # separate objects, as separate handlers are
    await asyncio.gather(*(writers[n % 4].put(programme, {i: {"status": "active", "country": "FR"}})
                           for n, i in enumerate(same_page + same_group)))
    assert sorted(await index.entries(programme)) == sorted(same_page + same_group)
    assert await index.count(programme, status="active") == 35
    counts = await index.pages.find_one({"_id": f"{programme}:3:n"})
    assert counts["pages"][str(0x3c)] == 20 and sum(counts["pages"].values()) == 35


async def test_the_sixteen_page_layout_is_moved_once_keeping_later_entries(db):
    old, new, programme = pairs_index_before(db), pairs_index(db), uuid.uuid4()
    entries = pairs(300)
    await old.put(programme, entries)
    later = expected(entries)[0]
    await new.put(programme, {later: {"status": "dissolved", "country": "DE"}})  # written by this version
    assert await move_entries(old, new) == 299
    assert "pairs_by_programme" not in await db.list_collection_names()
    assert await move_entries(old, new) == 0, "moved once"
    assert await new.entries(programme) == {**entries, later: {"status": "dissolved", "country": "DE"}}
    assert await new.count(programme) == 300
    assert await every_page(new, programme, 40) == expected(entries)


async def test_a_write_vouched_for_by_the_version_reads_no_page_and_a_stale_memory_is_read_again(db, servers):
    index, programme = pairs_index(db), uuid.uuid4()
    entries = pairs(600)
    await index.put(programme, entries, versions=(0, 1))  # nothing remembered at 0: the pages are read
    read = reads_of(index)
    arrival = {"3c" + str(uuid.uuid4())[2:]: {"status": "active", "country": "FR"}}
    await index.put(programme, arrival, versions=(1, 2))
    assert read == [], "the pages written at version 1 stand for the read"
    entries.update(arrival)
    await index.remember_all(programme, 2)  # a pool load at version 2: every page read once
    assert len(read) == 256
    read.clear()
    arrivals = {f"{p:02x}" + str(uuid.uuid4())[2:]: {"status": "active", "country": "FR"} for p in (0, 0x3c, 0xff)}
    await index.put(programme, arrivals, versions=(2, 2))
    assert read == [], "no page is read, whichever it is"
    entries.update(arrivals)

    # Another instance (its own client, so its own memory) decided version 3 and wrote the same page.
    other_client = AsyncMongoClient(servers.mongodb_url)
    other = pairs_index(other_client[db.name])
    theirs = {"3c" + str(uuid.uuid4())[2:]: {"status": "dissolved", "country": "DE"}}
    await other.put(programme, theirs, versions=(2, 3))
    entries.update(theirs)
    ours = {"3c" + str(uuid.uuid4())[2:]: {"status": "active", "country": "ES"}}
    await index.put(programme, ours, versions=(3, 4))  # after our reload at 3: remembered at 2, read again
    assert read == [f"{programme}:{0x3c}"]
    entries.update(ours)
    assert await index.entries(programme) == entries
    assert await index.count(programme) == len(entries)
    assert await index.count(programme, status="dissolved", country="DE") == len(
        expected(entries, status="dissolved", country="DE"))
    counts = await index.pages.find_one({"_id": f"{programme}:3:n"})
    assert counts["pages"][str(0x3c)] == len([i for i in entries if i.startswith("3c")])

    # A journal written again (no versions) forgets, so does a failed write: the next write reads.
    read.clear()
    await index.put(programme, ours)
    await index.put(programme, {next(iter(ours)): {"status": "dissolved", "country": "ES"}}, versions=(4, 5))
    assert read == [f"{programme}:{0x3c}"] * 2
    bulk_write = index.pages.bulk_write

    async def failing(*args, **kwargs):
        raise OSError("the store went away")

    index.pages.bulk_write = failing
    try:
        await index.put(programme, ours, versions=(5, 6))
    except OSError:
        pass
    index.pages.bulk_write = bulk_write
    read.clear()
    await index.put(programme, ours, versions=(5, 6))
    assert read == [f"{programme}:{0x3c}"]
    assert await index.count(programme, status="active", country="ES") == len(
        expected(entries, status="active", country="ES"))
    await other_client.close()
