"""Dead-letter redrive on the real broker and store, through the real CLI (`python -m tools.dlq`) connected
as the dlq-operator principal: poison -> DLQ -> fix -> replay -> the effect exactly once; a second replay
changes nothing; an undecodable letter is archived; every action is recorded."""

import os
import subprocess
import sys
import uuid

from pymongo import AsyncMongoClient

import feedback.bootstrap
import feedback.config
import feedback.entrypoints.app
from shared.contracts import dlq_topic, topic_for
from shared.runtime import Services
from tests import factories
from tests.integration.conftest import serving
from tests.kafka_probe import TopicReader, eventually, publish_raw
from tests.prometheus_text import counter
from tools.dlq.topics import OPERATOR
from tools.servers import ROOT, Servers


def dlq(servers: Servers, *args: str) -> str:
    operator = servers.kafka_as(OPERATOR)  # its ACLs only: tools/kafka_access.py
    env = {**{k: v for k, v in os.environ.items() if k != "BINOME_KAFKA_USERS"},
           "KAFKA_BOOTSTRAP_SERVERS": servers.kafka_bootstrap_servers, "KAFKA_SECURITY_PROTOCOL": operator.protocol,
           "KAFKA_SASL_MECHANISM": operator.mechanism, "KAFKA_SASL_USERNAME": operator.username,
           "KAFKA_SASL_PASSWORD": operator.password}
    result = subprocess.run([sys.executable, "-m", "tools.dlq", *args], cwd=ROOT, env=env, text=True,
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


async def test_poison_then_fix_then_replay_stores_the_effect_exactly_once(servers: Servers, settings_kwargs):
    prefix = f"dlq_{uuid.uuid4().hex[:6]}_"
    settings = feedback.config.Settings(**{**settings_kwargs, "mongodb_database_prefix": prefix})
    services = feedback.bootstrap.bootstrap(settings)
    broken = {"store": False}
    real_uow = services.uow

    def uow_with_a_bug():  # a fault in this service's code or store, fixed later by a deploy
        if broken["store"]:
            raise RuntimeError("bug: completed_sessions rejects the write")
        return real_uow()

    app = feedback.entrypoints.app.create_app(settings, Services(services.runtime, uow_with_a_bug))
    db = AsyncMongoClient(servers.mongodb_url)[settings.database_name]
    event = factories.session_completed()
    source = topic_for(event)
    dead_topic = dlq_topic("feedback", source)
    poison_key = f"poison-{uuid.uuid4()}".encode()

    async with serving(app) as http, TopicReader(servers, [dead_topic]) as reader:
        broken["store"] = True  # a release with a bug, once the service runs
        await publish_raw(servers, source, event.partition_key.encode(), event.model_dump_json().encode())
        await publish_raw(servers, source, poison_key, b"{not an event")
        letters = await reader.wait_for(lambda r: r.key in (event.partition_key.encode(), poison_key), count=2)
        assert len(letters) == 2, "both messages reach the dead-letter topic"
        assert await db.completed_sessions.count_documents({"_id": str(event.session_id)}) == 0

        listed = dlq(servers, "list")
        assert any(line.startswith(f"{dead_topic}\t") for line in listed.splitlines())
        shown = dlq(servers, "show", dead_topic)
        assert f"SessionCompleted {event.event_id}" in shown and "handler failed after" in shown
        assert "undecodable SessionCompleted" in shown

        broken["store"] = False  # the fix is deployed
        ours = next(r for r in reader.records if r.key == event.partition_key.encode())
        ref = _ref(shown, str(event.event_id))
        assert "1 replayed" in dlq(servers, "replay", dead_topic, "--offset", ref, "--note", "fix deployed")
        stored = await eventually(lambda: db.completed_sessions.find_one({"_id": str(event.session_id)}), timeout=60)
        assert stored is not None, "the replayed event's effect is stored"

        assert "0 replayed" in dlq(servers, "replay", dead_topic, "--offset", ref), "already replayed: skipped"
        again = dlq(servers, "replay", dead_topic, "--offset", ref, "--again", "--note", "double check")
        assert "1 replayed" in again
        metrics = await eventually(lambda: _duplicates(http, source), timeout=60)
        assert metrics >= 1, "the second replay reached the service, and the inbox skipped it"
        assert await db.completed_sessions.count_documents({"_id": str(event.session_id)}) == 1
        assert ours.headers["x-dlq-source-topic"] == source

        poison_ref = _ref(shown, poison_key.decode())
        assert "1 archived" in dlq(servers, "archive", dead_topic, "--offset", poison_ref, "--note", "not JSON")
        pending = dlq(servers, "show", dead_topic)
        assert str(event.event_id) not in pending and poison_key.decode() not in pending

    history = dlq(servers, "history").splitlines()
    ours = [line for line in history if f"{dead_topic}:{ref} " in line]
    assert [" replayed " in line for line in ours] == [True, True]
    assert any(f"{dead_topic}:{poison_ref} " in line and " archived " in line and "not JSON" in line
               for line in history)


def _ref(shown: str, event_id: str) -> str:
    """The PARTITION:OFFSET line that precedes the event's line in `show`."""
    current = ""
    for line in shown.splitlines():
        if line and line[0].isdigit():
            current = line.split()[0]
        if event_id in line:
            return current
    raise AssertionError(f"{event_id} not shown:\n{shown}")


async def _duplicates(http, topic: str) -> float:
    return counter((await http.get("/metrics")).text, "binome_duplicate_deliveries_total", topic=topic)
