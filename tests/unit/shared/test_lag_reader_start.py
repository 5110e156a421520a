import asyncio

import pytest
from aiokafka.errors import KafkaConnectionError

from shared.observability.consumer_lag import ConsumerLagReader


def test_a_lag_reader_that_cannot_start_closes_its_clients():
    """Otherwise aiokafka logs 'Unclosed AIOKafkaConsumer' when the reader is collected."""
    async def start_on_a_closed_port() -> ConsumerLagReader:
        reader = ConsumerLagReader("127.0.0.1:1", "matching", ["a.topic"], request_timeout_ms=1000)
        with pytest.raises(KafkaConnectionError):
            await reader.start()
        return reader

    reader = asyncio.run(start_on_a_closed_port())
    assert reader._reader._closed, "the group-less consumer was stopped"
