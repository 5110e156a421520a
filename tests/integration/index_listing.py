"""What the programme-index tests list against: the expected ids, every page of a list, and the page
documents a call reads."""

from shared.mongo.programme_index import ProgrammeIndex


def expected(entries: dict[str, dict[str, str]], **where: str) -> list[str]:
    return sorted(i for i, s in entries.items() if all(s[k] == v for k, v in where.items()))


async def every_page(index: ProgrammeIndex, programme: object, limit: int, **where: str) -> list[str]:
    seen: list[str] = []
    while page := await index.ids(programme, 0, limit, seen[-1] if seen else None, **where):
        seen += page
    return seen


def reads_of(index: ProgrammeIndex) -> list[str]:
    read: list[str] = []
    find_one = index.pages.find_one
    index.pages.find_one = lambda query, *a: read.append(query["_id"]) or find_one(query, *a)
    return read
