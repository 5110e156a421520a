"""Composition root: settings -> clients -> unit of work factory, relay, metrics."""

import sys

from enrollment import handlers
from enrollment.adapters.key_topic import KeyTopicRoller
from enrollment.adapters.mongo_unit_of_work import COLLECTIONS, MongoEnrollmentUnitOfWork, ensure_indexes
from enrollment.config import Settings
from enrollment.metrics import FIGURES, read_figures
from enrollment.unit_of_work import EnrollmentUnitOfWork
from shared.messaging.kafka_security import KafkaCredentials
from shared.runtime import Services, compose


def bootstrap(settings: Settings) -> Services[EnrollmentUnitOfWork]:
    # HR exports are parsed in a worker thread; with CPython's default 5 ms GIL switch interval the
    # event loop waits up to 5 ms at every step it takes while a parse runs (the "convoy effect"),
    # so answers and Kafka heartbeats slow down. 1 ms keeps them prompt for a small throughput cost.
    sys.setswitchinterval(0.001)
    services = compose(settings, COLLECTIONS, MongoEnrollmentUnitOfWork, ensure_indexes, (FIGURES, read_figures))

    async def seed_default_curriculum() -> None:
        async with services.uow() as uow:
            await handlers.ensure_default_curriculum(uow)

    services.runtime.startup.append(seed_default_curriculum)
    roller = KeyTopicRoller(settings.kafka_bootstrap_servers, KafkaCredentials.of(settings))
    services.runtime.relay.publish = roller.watching(services.runtime.relay.publish)
    services.runtime.startup.append(roller.start)
    services.runtime.shutdown.append(roller.stop)
    return services
