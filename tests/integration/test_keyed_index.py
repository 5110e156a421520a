"""The keyed programme index on the real store: a filtered page reads small combination documents,
is complete and in id order across cursors, and follows status changes, erasures and removals."""

import random
import uuid

from shared.mongo.keyed_index import KeyedProgrammeIndex
from shared.mongo.programme_index import ProgrammeIndex
from tests.integration.index_listing import every_page, expected, reads_of

COUNTED = ("role", "country", "status")


def people(n: int, seed: int = 3) -> dict[str, dict[str, str]]:
    rng = random.Random(seed)
    return {uuid.UUID(int=rng.getrandbits(128)).hex: {
        "role": rng.choice(["mentor", "mentee"]), "country": rng.choice(["FR", "DE", "ES"]), "status": "enrolled"}
        for _ in range(n)}


async def test_filtered_pages_are_complete_in_order_across_cursors_and_read_combination_documents(db):
    index, programme = KeyedProgrammeIndex(db, "participants", counted=COUNTED), uuid.uuid4()
    entries = people(300)
    await index.put(programme, entries)
    await index.put(uuid.uuid4(), people(20, seed=4))  # another programme's entries stay out
    for where in ({}, {"country": "FR", "role": "mentor"}, {"role": "mentee"}, {"status": "enrolled", "country": "ES"}):
        assert await every_page(index, programme, 7, **where) == expected(entries, **where), where
    assert await index.ids(programme, 2, 3, country="DE") == expected(entries, country="DE")[2:5]

    read = reads_of(index)
    first = await index.ids(programme, 0, 5, country="FR", role="mentor")
    assert first == expected(entries, country="FR", role="mentor")[:5]
    assert not [r for r in read if r.count(":") == 1], "no whole index page read"
    assert [r for r in read if ":k:" in r], "the combination documents of the first pages"


async def test_a_status_change_an_erasure_and_a_removal_move_entries_and_counts(db):
    index, programme = KeyedProgrammeIndex(db, "participants", counted=COUNTED), uuid.uuid4()
    entries = people(60)
    await index.put(programme, entries)
    withdrawn, erased, removed = sorted(expected(entries, role="mentor"))[:3]
    await index.put(programme, {withdrawn: {**entries[withdrawn], "status": "withdrawn"}})
    await index.put(programme, {erased: {"role": "erased", "country": "-", "status": "erased"}})
    await index.remove(programme, [removed])
    entries[withdrawn]["status"] = "withdrawn"
    entries[erased] = {"role": "erased", "country": "-", "status": "erased"}
    del entries[removed]

    for where in ({"role": "mentor"}, {"status": "withdrawn"}, {"status": "erased"},
                  {"role": "mentor", "status": "enrolled"}):
        assert await every_page(index, programme, 4, **where) == expected(entries, **where), where
        assert await index.count(programme, **where) == len(expected(entries, **where)), where
    assert await index.count(programme) == 59


async def test_pages_written_before_the_keyed_index_are_read_whole_until_written_again(db):
    programme, entries = uuid.uuid4(), people(80)
    await ProgrammeIndex(db, "participants", counted=COUNTED).put(programme, entries)  # an older store
    index = KeyedProgrammeIndex(db, "participants", counted=COUNTED)
    read = reads_of(index)
    assert await every_page(index, programme, 6, country="FR") == expected(entries, country="FR")
    assert [r for r in read if r.count(":") == 1] and not [r for r in read if ":k:" in r], "unkeyed: read whole"

    newcomer = {"0" + uuid.uuid4().hex[1:]: {"role": "mentor", "country": "FR", "status": "enrolled"}}
    await index.put(programme, newcomer)  # page 0 written again: its combination documents filled
    entries |= newcomer
    read.clear()
    assert await index.ids(programme, 0, 3, country="FR") == expected(entries, country="FR")[:3]
    assert f"{programme}:0" not in read and f"{programme}:0:k:mentor|FR|enrolled" in read
