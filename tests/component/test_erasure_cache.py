"""A process remembers tombstones and data keys between units of work, and an erasure anywhere makes it
ask the store again: the real tombstone and key ports over a counted in-memory database, two
processes of a service over one store (shared/mongo/erasure_cache.py)."""

import uuid

import pytest
from pydantic import BaseModel

from shared.crypto.keyring import ParticipantForgotten, opened
from shared.crypto.sealing import new_data_key, seal
from shared.mongo.erasure_cache import Bounded, ErasureCache, cache_of
from shared.mongo.tombstones import digest
from tests.fakes.documents import FakeDatabase, FakeStore
from tests.fakes.key_ports import KeyPortsUow as Uow
from tests.fakes.key_ports import erase


class Note(BaseModel):
    text: str


async def test_a_person_erased_by_another_process_is_refused_at_the_next_unit_of_work():
    store = FakeStore()
    here, there = FakeDatabase(store), FakeDatabase(store)
    alice, bob = uuid.uuid4(), uuid.uuid4()
    assert not await Uow(here).tombstones.erased(alice, bob)
    reads = store.reads["erasures"]
    assert not await Uow(here).tombstones.erased(alice, bob)
    assert store.reads["erasures"] == reads + 1  # the epoch only: both answers remembered
    await erase(there, alice)
    assert await Uow(here).tombstones.erased(alice)
    assert not await Uow(here).tombstones.erased(bob)  # asked again, still not erased
    reads = store.reads["erasures"]
    assert not await Uow(here).tombstones.erased(bob) and await Uow(here).tombstones.erased(alice)
    assert store.reads["erasures"] == reads + 1  # remembered again at the new epoch; alice for ever


async def test_a_key_remembered_is_forgotten_when_its_person_is_erased_anywhere():
    store = FakeStore()
    here, there = FakeDatabase(store), FakeDatabase(store)
    alice, data_key = uuid.uuid4(), new_data_key()
    stored = Uow(here)
    assert not await stored.tombstones.erased(alice)
    stored.keys.store(alice, data_key)
    await stored.commit()
    reads = store.reads["participant_keys"]
    assert await Uow(here).keys.get(alice) == data_key
    assert store.reads["participant_keys"] == reads  # remembered since it was stored
    await erase(there, alice)
    later = Uow(here)
    assert await later.keys.get(alice) is None
    with pytest.raises(ParticipantForgotten):
        await opened(later.keys, alice, seal(Note(text="hi"), data_key, alice), Note)


async def test_a_process_forgets_the_key_it_destroys_at_once():
    db = FakeDatabase(FakeStore())
    alice, data_key = uuid.uuid4(), new_data_key()
    uow = Uow(db)
    uow.keys.store(alice, data_key)
    await uow.commit()
    assert await Uow(db).keys.get(alice) == data_key
    erasing = Uow(db)
    erasing.keys.destroy(alice)
    assert cache_of(db).keys.get(alice) is None  # before the commit, not only at the next epoch
    await erasing.commit()
    assert await Uow(db).keys.get(alice) is None


async def test_an_answer_read_under_an_older_epoch_is_not_remembered():
    store = FakeStore()
    here, there = FakeDatabase(store), FakeDatabase(store)
    alice, bob = uuid.uuid4(), uuid.uuid4()
    slow = Uow(here)
    await slow.tombstones.epoch.read()  # this unit of work started before the erasure below
    await erase(there, bob)
    await Uow(here).tombstones.epoch.read()  # a newer unit of work moved the process to the new epoch
    assert not await slow.tombstones.erased(alice)
    assert cache_of(here).alive.get(digest(alice)) is None  # what `slow` read may predate the erasure


def test_every_table_is_bounded_and_keeps_the_recently_used():
    table = Bounded(3)
    for k in "abc":
        table.put(k)
    table.get("a")
    table.put("d")
    assert len(table) == 3 and table.get("b") is None and table.get("a")
    cache = ErasureCache(size=10)
    for _ in range(100):
        cache.alive.put(uuid.uuid4().hex)
        cache.keys.put(uuid.uuid4(), "k")
    assert len(cache.alive) == len(cache.keys) == 10
