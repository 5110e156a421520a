"""The tests' topic reader keeps each record once, even when its consumer reads the topic again."""

from aiokafka.structs import ConsumerRecord

from tests.kafka_probe import TopicReader


def _record(partition: int, offset: int, value: bytes) -> ConsumerRecord:
    return ConsumerRecord("t", partition, offset, 0, 0, b"k", value, None, 1, len(value), [])


async def test_a_record_read_again_after_a_rejoin_is_kept_once_and_a_republished_one_is_kept():
    reader = TopicReader("127.0.0.1:9", ["t"])  # never started: no broker involved
    first = [_record(0, 0, b'{"n": 1}'), _record(0, 1, b'{"n": 2}'), _record(1, 0, b'{"n": 3}')]
    reader.add(first)
    reader.add([*first, _record(0, 2, b'{"n": 1}')])  # read again from the earliest, then a republished event
    assert [r.json()["n"] for r in reader.records] == [1, 2, 3, 1]
