"""How a process proves who it is to Kafka: one description, for FastStream's broker and for plain
aiokafka clients (topic creation, probes, tools) alike."""

import ssl
from dataclasses import dataclass, field
from typing import Any

from faststream.kafka.security import parse_security
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

SASL = {"PLAIN": SASLPlaintext, "SCRAM-SHA-256": SASLScram256, "SCRAM-SHA-512": SASLScram512}


@dataclass(frozen=True)
class KafkaCredentials:
    protocol: str = "PLAINTEXT"
    mechanism: str = "SCRAM-SHA-512"
    username: str = ""
    password: str = field(default="", repr=False)
    cafile: str = ""

    @classmethod
    def of(cls, settings: Any) -> "KafkaCredentials":
        return cls(settings.kafka_security_protocol, settings.kafka_sasl_mechanism, settings.kafka_username,
                   settings.kafka_sasl_password, settings.kafka_ssl_cafile)

    def security(self) -> BaseSecurity | None:
        use_ssl = self.protocol in ("SSL", "SASL_SSL")
        context = ssl.create_default_context(cafile=self.cafile or None) if use_ssl else None
        if self.protocol.startswith("SASL_"):
            return SASL[self.mechanism](self.username, self.password, ssl_context=context, use_ssl=use_ssl)
        return BaseSecurity(ssl_context=context, use_ssl=use_ssl) if use_ssl else None

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for AIOKafkaProducer/Consumer/AdminClient."""
        return parse_security(self.security())
