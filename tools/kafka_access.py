"""Kafka identities and ACLs, derived from the code: who publishes, consumes and dead-letters what is
read from each service's app (its `publishes`/`consumes`), so there is no second list to keep.

    python -m tools.kafka_access show                  # the grants, principal by principal
    python -m tools.kafka_access apply                 # create users (SCRAM), topics and ACLs; drop stale ACLs

`apply` connects with KAFKA_BOOTSTRAP_SERVERS, KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM and an admin's
KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD; the users and their passwords come from BINOME_KAFKA_USERS
(`name:password,...`; leave it empty on a managed Kafka whose users are made elsewhere).
"""

import argparse
import importlib
import os
import sys
from dataclasses import dataclass
from functools import cache

from shared.contracts import TOPICS, dlq_topic
from shared.contracts.topics import SERVICES_ONLY
from tools.dlq.actions import ACTIONS_TOPIC
from tools.dlq.topics import OPERATOR  # reads dead letters, replays them to their source, records the action

SERVICES = ("enrollment", "matching", "scheduling", "feedback")
SUBSCRIBER = "enterprise-subscriber"
ADMIN = "admin"
PRINCIPALS = (ADMIN, *SERVICES, SUBSCRIBER, OPERATOR)
SUBSCRIBER_GROUPS = "enterprise-"  # a subscribing system's consumer groups start with this


@dataclass(frozen=True, order=True)
class AclGrant:
    principal: str
    resource: str  # topic | group
    name: str
    operation: str  # read | write | describe | create
    prefixed: bool = False


@cache
def _app(service: str):
    config = importlib.import_module(f"{service}.config")
    return importlib.import_module(f"{service}.entrypoints.app").create_app(config.Settings())


def grants() -> list[AclGrant]:
    found: list[AclGrant] = []
    for service in SERVICES:
        state = _app(service).state
        own = [*state.publishes, *(dlq_topic(service, t) for t in state.consumes)]
        found += [AclGrant(service, "topic", t, op) for t in own for op in ("write", "describe", "create")]
        found += [AclGrant(service, "topic", t, op) for t in state.consumes for op in ("read", "describe")]
        if state.consumes:
            found.append(AclGrant(service, "group", service, "read"))
    # Subscribers read every event topic but the data keys: those open sealed attributes and are for
    # the services only (docs/events.md, crypto-shredding); a system that needs attributes gets its own grant.
    found += [AclGrant(SUBSCRIBER, "topic", t, op) for t in TOPICS.values() if t not in SERVICES_ONLY
              for op in ("read", "describe")]
    found.append(AclGrant(SUBSCRIBER, "group", SUBSCRIBER_GROUPS, "read", prefixed=True))
    return sorted(set(found) | set(operator_grants()))


def operator_grants() -> list[AclGrant]:
    """The dead-letter operator reads every dead-letter topic (group-less: no group), writes only the
    topics those letters came from (a replay), and reads and writes its record of actions."""
    found = [AclGrant(OPERATOR, "topic", ACTIONS_TOPIC, op) for op in ("read", "write", "describe")]
    for service in SERVICES:
        for source in _app(service).state.consumes:
            found += [AclGrant(OPERATOR, "topic", dlq_topic(service, source), op) for op in ("read", "describe")]
            found += [AclGrant(OPERATOR, "topic", source, op) for op in ("write", "describe")]
    return found


def consumes(service: str) -> list[str]:
    """The topics `service`'s consumer group reads (its app's subscriptions)."""
    return sorted(_app(service).state.consumes)


def catalogue() -> list[str]:
    """Every topic the services publish to or dead-letter to, and the operations' record of dead-letter
    actions (deploy/kafka/topics.yaml lists the same)."""
    return sorted({t for s in SERVICES for t in _app(s).state.topics} | {ACTIONS_TOPIC})


def _client_config() -> dict[str, str]:
    config = {"bootstrap.servers": os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
              "security.protocol": os.environ.get("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")}
    if config["security.protocol"].startswith("SASL"):
        config |= {"sasl.mechanism": os.environ.get("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"),
                   "sasl.username": os.environ.get("KAFKA_SASL_USERNAME", ADMIN),
                   "sasl.password": os.environ["KAFKA_SASL_PASSWORD"]}
    return config


def users_from(text: str) -> dict[str, str]:
    return dict(item.split(":", 1) for item in text.split(",") if ":" in item)


def apply(partitions: int = 3, replication: int = 1) -> None:
    from tools.kafka_admin import KafkaAdmin

    admin = KafkaAdmin(_client_config())
    users = users_from(os.environ.get("BINOME_KAFKA_USERS", ""))
    admin.upsert_users({name: password for name, password in users.items() if name != ADMIN})
    admin.create_topics(catalogue(), partitions, replication)
    admin.set_acls(grants(), principals=[p for p in PRINCIPALS if p != ADMIN])


def show() -> None:
    for g in grants():
        print(f"User:{g.principal:<22} {g.operation:<9} {g.resource:<6} {g.name}{'*' if g.prefixed else ''}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["show", "apply"])
    args = parser.parse_args()
    show() if args.command == "show" else apply()
    return 0


if __name__ == "__main__":
    sys.exit(main())
