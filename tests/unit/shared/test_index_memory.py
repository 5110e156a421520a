"""The index pages a process remembers stand for a read only at the version they were written at."""

from shared.mongo.index_memory import PageMemory


def page(*ids: str) -> dict:
    return {"items": {i: {"status": "active"} for i in ids}}


def test_pages_are_remembered_at_the_version_written_and_accumulate_while_it_follows():
    memory = PageMemory()
    memory.keep("p", 0, 1, {"p:01": page("01a")})
    memory.keep("p", 1, 2, {"p:02": page("02a")})
    assert memory.at("p", 2) == ({"p:01": page("01a"), "p:02": page("02a")}, False)
    memory.keep("p", 2, 3, {"p:01": page("01a", "01b")})
    assert memory.at("p", 3)[0]["p:01"] == page("01a", "01b")


def test_every_page_read_once_stays_complete_while_the_writes_follow_the_version():
    memory = PageMemory()
    memory.know_all("p", 7, {"p:01": page("01a")})
    memory.keep("p", 7, 8, {"p:ff": page("ffa")})
    assert memory.at("p", 8) == ({"p:01": page("01a"), "p:ff": page("ffa")}, True), "a page absent is empty"
    memory.keep("p", 7, 9, {"p:02": page("02a")})  # written from a version the memory is not at
    assert memory.at("p", 9) == ({"p:02": page("02a")}, False)


def test_another_version_forgets_the_programme_and_keeps_only_what_was_just_written():
    memory = PageMemory()
    memory.keep("p", 0, 1, {"p:01": page("01a")})
    assert memory.at("p", 2) == ({}, False), "another writer moved the version: read the store"
    assert memory.at("p", 1) == ({}, False), "forgotten, not only hidden"
    memory.keep("p", 4, 5, {"p:02": page("02a")})  # a write from a version never remembered
    assert memory.at("p", 5) == ({"p:02": page("02a")}, False)
    memory.forget("p")
    assert memory.at("p", 5) == ({}, False)


def test_the_least_recently_written_programmes_are_dropped_beyond_the_bound():
    memory = PageMemory(max_programmes=2)
    for n, programme in enumerate(("a", "b", "c")):
        memory.keep(programme, 0, 1, {f"{programme}:0{n}": page()})
    assert memory.at("a", 1) == ({}, False) and memory.at("b", 1)[0] and memory.at("c", 1)[0]


def test_a_version_moved_without_a_page_written_carries_the_pages_along():
    memory = PageMemory()
    memory.know_all("p", 3, {"p:01": page("01a")})
    memory.follow("p", 3, 4)  # a decision that made no pair
    assert memory.at("p", 4) == ({"p:01": page("01a")}, True)
    memory.keep("p", 4, 5, {"p:02": page("02a")})
    memory.follow("p", 4, 5)  # after its pages were written: already there
    assert memory.at("p", 5)[1]
    memory.follow("p", 7, 8)  # from a version it is not at: forgotten
    assert memory.at("p", 8) == ({}, False)
