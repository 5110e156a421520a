"""What one programme index write sends: a page update per page touched, one counts update per
counts document (pages of one group merged, each page's size set), nothing more for a 16-page
write that changes no count."""

from collections import Counter

from shared.mongo.index_writes import counts_writes, page_change


def key(summary):
    return f"{summary['status']}|{summary['country']}"


def test_a_replaced_entry_moves_its_count_and_a_removed_one_leaves_it():
    before = {"a1": {"status": "active", "country": "FR"}, "a2": {"status": "active", "country": "DE"}}
    update, delta = page_change("P", key, before, {"a1": {"status": "dissolved", "country": "FR"}}, ["a2"], {})
    assert update == {"$setOnInsert": {"programme_id": "P"},
                      "$set": {"items.a1": {"status": "dissolved", "country": "FR"}}, "$unset": {"items.a2": ""}}
    assert +delta == Counter({"dissolved|FR": 1}) and -delta == Counter({"active|FR": 1, "active|DE": 1})


def test_pages_of_one_group_make_one_counts_update_setting_their_sizes():
    writes = counts_writes([("P:3:n", 0x3a, Counter({"active|FR": 1}), {}, 7),
                            ("P:3:n", 0x3b, Counter({"active|FR": 1, "active|DE": 1}), {}, 2),
                            ("P:4:n", 0x40, Counter({"active|FR": 1, "dissolved|FR": -1}), {}, 5),  # status change
                            ("P:5:n", 0x50, Counter({"active|FR": 0}), {}, 3)], page_sizes=True)  # a rewrite
    assert [(w._filter, w._doc) for w in writes] == [
        ({"_id": "P:3:n"}, {"$set": {"pages.58": 7, "pages.59": 2},
                            "$inc": {"counts.active|FR": 2, "counts.active|DE": 1}}),
        ({"_id": "P:4:n"}, {"$set": {"pages.64": 5}, "$inc": {"counts.active|FR": 1, "counts.dissolved|FR": -1}}),
        ({"_id": "P:5:n"}, {"$set": {"pages.80": 3}})], "a rewrite sets its size again, counts nothing"


def test_the_sixteen_page_layout_writes_no_counts_for_a_rewrite():
    assert counts_writes([("P:3:n", 3, Counter({"active|FR": 0}), {}, 9)], page_sizes=False) == []


def test_the_sixteen_page_layout_keeps_no_page_sizes_and_sets_marks_on_its_counts():
    [write] = counts_writes([("P:3:n", 3, Counter(), {"keyed": True}, 4)], page_sizes=False)
    assert write._doc == {"$set": {"keyed": True}}
