"""A pool load keeps its programme's data keys in the process, read in one query (keyring's
`remember_programme`), under the same erasure rules as a key read one at a time: an erased person's
key never comes back, whether erased before the read, by another process during it, or here during it
(the real key and tombstone ports over a counted in-memory database; shared/mongo/erasure_cache.py)."""

import uuid

from shared.crypto.sealing import new_data_key
from shared.mongo.erasure_cache import Bounded, cache_of
from tests.fakes.documents import FakeCollection, FakeCursor, FakeDatabase, FakeStore
from tests.fakes.key_ports import KeyPortsUow as Uow
from tests.fakes.key_ports import erase


async def deliver(db: FakeDatabase, programme_id: uuid.UUID, *people: uuid.UUID) -> dict[uuid.UUID, str]:
    """Keys as the key topic delivers them (each record names its programme)."""
    keys = {p: new_data_key() for p in people}
    uow = Uow(db)
    uow.keys.store_all(keys, dict.fromkeys(people, programme_id))
    await uow.commit()
    return keys


async def test_a_programmes_keys_are_read_in_one_query_then_answered_from_memory():
    store = FakeStore()
    enrollment_side, here = FakeDatabase(store), FakeDatabase(store)
    programme, other = uuid.uuid4(), uuid.uuid4()
    alice, bob, carol = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    keys = await deliver(enrollment_side, programme, alice, bob)
    await deliver(enrollment_side, other, carol)
    reads = store.reads["participant_keys"]
    assert await Uow(here).keys.remember_programme(programme) == 2
    assert store.reads["participant_keys"] == reads + 1
    later = Uow(here)
    assert [await later.keys.get(alice), await later.keys.get(bob)] == [keys[alice], keys[bob]]
    assert store.reads["participant_keys"] == reads + 1  # no read: both remembered
    assert cache_of(here).keys.get(carol) is None  # another programme's keys are not read
    await later.keys.get(carol)
    assert store.reads["participant_keys"] == reads + 2


async def test_the_key_of_someone_erased_before_the_load_does_not_come_back():
    store = FakeStore()
    there, here = FakeDatabase(store), FakeDatabase(store)
    programme, alice, bob = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    keys = await deliver(there, programme, alice, bob)
    assert await Uow(here).keys.remember_programme(programme) == 2  # alice's key held here
    await erase(there, alice)  # by another process
    assert await Uow(here).keys.remember_programme(programme) == 1  # the next load: the epoch moved
    later = Uow(here)
    assert await later.keys.get(alice) is None and await later.keys.get(bob) == keys[bob]
    assert cache_of(here).keys.get(alice) is None


async def test_keys_read_under_an_epoch_an_erasure_moved_meanwhile_are_not_remembered():
    store = FakeStore()
    there, here = FakeDatabase(store), FakeDatabase(store)
    programme, alice, bob = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver(there, programme, alice, bob)
    slow = Uow(here)
    await slow.tombstones.epoch.read()  # this load's unit of work started before the erasure below
    await erase(there, alice)
    await Uow(here).tombstones.epoch.read()  # a newer unit of work moved the process to the new epoch
    assert await slow.keys.remember_programme(programme) == 0
    assert cache_of(here).keys.get(alice) is None and cache_of(here).keys.get(bob) is None
    assert await Uow(here).keys.get(alice) is None


class DestroyedDuringTheRead(FakeCollection):
    """The process destroys a key while the programme's keys are on their way back from the store."""

    def __init__(self, db: FakeDatabase, name: str, victim: uuid.UUID) -> None:
        super().__init__(db.store, name)
        self.db, self.victim = db, victim

    def find(self, filter: dict, projection=None) -> FakeCursor:
        found = super().find(filter, projection)
        db, victim = self.db, self.victim

        class Late(FakeCursor):
            def limit(self, n: int) -> FakeCursor:
                return self

            async def to_list(self) -> list[dict]:
                await erase(db, victim)  # read before the deletion, returned after it
                return found.docs

        return Late(found.docs)


async def test_keys_read_while_this_process_destroys_one_are_not_remembered():
    db = FakeDatabase(FakeStore())
    programme, alice, bob = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver(db, programme, alice, bob)
    cache_of(db).keys.clear()  # as in a new process
    loading = Uow(db)
    loading.keys.collection = DestroyedDuringTheRead(db, "participant_keys", alice)  # type: ignore[assignment]
    assert await loading.keys.remember_programme(programme) == 0
    assert cache_of(db).keys.get(alice) is None
    assert await Uow(db).keys.get(alice) is None


async def test_a_programme_with_more_keys_than_the_cache_holds_keeps_none():
    db = FakeDatabase(FakeStore())
    programme = uuid.uuid4()
    await deliver(db, programme, *(uuid.uuid4() for _ in range(3)))
    cache_of(db).keys = Bounded(2)  # they would evict one another: each is read when needed, as before
    assert await Uow(db).keys.remember_programme(programme) == 0
    assert len(cache_of(db).keys) == 0
