"""The few admin calls tools/kafka_access.py needs, with confluent-kafka's AdminClient (aiokafka has no
ACL or SCRAM API). Every call is idempotent: users are upserted, existing topics kept with their settings
made equal to the code's (a setting changed in shared/contracts/topics.py reaches a running cluster),
ACLs made equal."""

from concurrent.futures import Future

from confluent_kafka.admin import (
    AclBinding,
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    AdminClient,
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    NewTopic,
    ResourcePatternType,
    ResourceType,
    ScramCredentialInfo,
    ScramMechanism,
    UserScramCredentialUpsertion,
)
from confluent_kafka.error import KafkaException

from shared.contracts.topics import topic_config

TIMEOUT = 30.0
OPERATIONS = {"read": AclOperation.READ, "write": AclOperation.WRITE, "describe": AclOperation.DESCRIBE,
              "create": AclOperation.CREATE}
RESOURCES = {"topic": ResourceType.TOPIC, "group": ResourceType.GROUP}


def _wait(futures: dict[object, Future], ignore: tuple[str, ...] = ()) -> None:
    for key, future in futures.items():
        try:
            future.result(timeout=TIMEOUT)
        except KafkaException as exc:
            if exc.args[0].name() not in ignore:
                raise RuntimeError(f"{key}: {exc}") from exc


class KafkaAdmin:
    def __init__(self, config: dict[str, str]) -> None:
        self.client = AdminClient(config)

    def upsert_users(self, users: dict[str, str]) -> None:
        if users:
            info = ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192)
            _wait(self.client.alter_user_scram_credentials(
                [UserScramCredentialUpsertion(name, info, password.encode()) for name, password in users.items()]))

    def create_topics(self, topics: list[str], partitions: int, replication: int) -> None:
        existing = set(self.client.list_topics(timeout=TIMEOUT).topics)
        # Each topic with its deliberate retention (deploy/kafka/topics.yaml, shared/contracts/topics.py).
        new = [NewTopic(t, partitions, replication, config=topic_config(t)) for t in topics if t not in existing]
        if new:
            _wait(self.client.create_topics(new, request_timeout=TIMEOUT), ignore=("TOPIC_ALREADY_EXISTS",))
        kept = [ConfigResource(ResourceType.TOPIC, t, incremental_configs=[
            ConfigEntry(k, v, incremental_operation=AlterConfigOpType.SET) for k, v in topic_config(t).items()])
            for t in topics if t in existing and topic_config(t)]
        if kept:
            _wait(self.client.incremental_alter_configs(kept, request_timeout=TIMEOUT))

    def set_acls(self, grants: list, principals: list[str]) -> None:
        wanted = {self._binding(g) for g in grants}
        present: set[AclBinding] = set()
        for principal in principals:
            found = self.client.describe_acls(AclBindingFilter(
                ResourceType.ANY, None, ResourcePatternType.ANY, f"User:{principal}", None, AclOperation.ANY,
                AclPermissionType.ANY), request_timeout=TIMEOUT).result(timeout=TIMEOUT)
            present |= set(found)
        stale = [AclBindingFilter(b.restype, b.name, b.resource_pattern_type, b.principal, b.host, b.operation,
                                  b.permission_type) for b in present - wanted]
        if stale:
            _wait(self.client.delete_acls(stale, request_timeout=TIMEOUT))
        missing = list(wanted - present)
        if missing:
            _wait(self.client.create_acls(missing, request_timeout=TIMEOUT))

    @staticmethod
    def _binding(g) -> AclBinding:
        pattern = ResourcePatternType.PREFIXED if g.prefixed else ResourcePatternType.LITERAL
        return AclBinding(RESOURCES[g.resource], g.name, pattern, f"User:{g.principal}", "*", OPERATIONS[g.operation],
                          AclPermissionType.ALLOW)
