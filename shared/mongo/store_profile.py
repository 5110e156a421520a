"""What the store can serve without scanning, asked once per client.

FerretDB v1 pushes down to SQL only a filter that is exactly `{_id: <string or ObjectId>}`; any other
filter (even `{_id, version}`) reads and decodes every document of the collection. On it, code that
must stay O(1) addresses documents by `_id` alone. MongoDB serves any filter from its indexes.
"""

import weakref

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection

_id_only: "weakref.WeakKeyDictionary[AsyncMongoClient, bool]" = weakref.WeakKeyDictionary()


async def filters_only_by_id(collection: AsyncCollection) -> bool:
    client = collection.database.client
    if client not in _id_only:
        info = await client.admin.command("buildInfo")
        _id_only[client] = "ferretdbVersion" in info
    return _id_only[client]
