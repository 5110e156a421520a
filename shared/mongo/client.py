"""One AsyncMongoClient per service process (pymongo's native async API; motor is end-of-life)."""

from pymongo import AsyncMongoClient


def make_client(url: str) -> AsyncMongoClient:
    # tz_aware: datetimes come back as aware UTC, as they went in.
    return AsyncMongoClient(url, tz_aware=True, serverSelectionTimeoutMS=5000, uuidRepresentation="standard")


async def ping(client: AsyncMongoClient) -> bool:
    await client.admin.command("ping")
    return True
