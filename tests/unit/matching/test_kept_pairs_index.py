"""The pairs index object the units of work share is kept per database object, not per database
name: pymongo finds two clients of one server equal, and a closed client's index must not serve."""

from pymongo import AsyncMongoClient

from matching.adapters.journal import kept_pairs_index


async def test_each_client_of_one_server_gets_its_own_kept_pairs_index():
    first, second = AsyncMongoClient("mongodb://127.0.0.1:1/"), AsyncMongoClient("mongodb://127.0.0.1:1/")
    try:
        ours, theirs = first["matching"], second["matching"]
        assert ours == theirs  # pymongo's equality: same server, same name
        assert kept_pairs_index(ours).pages.database is ours
        assert kept_pairs_index(theirs).pages.database is theirs
        assert kept_pairs_index(ours) is kept_pairs_index(ours)  # built once for that database object
    finally:
        await first.close()
        await second.close()
