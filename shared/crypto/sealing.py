"""Crypto-shredding: a person's attributes travel in events sealed under their own data key.

AES-256-GCM with a random 96-bit nonce per seal; the participant id is the associated data, so a
sealed profile cannot be passed off as someone else's. Destroying the key (erasure) makes every
copy of the ciphertext, in Kafka, backups or a subscriber's store, unreadable.
"""

import base64
import os
from typing import TypeVar
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel

from shared.contracts.sealed import Sealed

M = TypeVar("M", bound=BaseModel)


def new_data_key() -> str:
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()


def seal(plain: BaseModel, data_key: str, participant_id: UUID) -> Sealed:
    nonce = os.urandom(12)
    sealed = AESGCM(base64.b64decode(data_key)).encrypt(nonce, plain.model_dump_json().encode(),
                                                        str(participant_id).encode())
    return Sealed(nonce=base64.b64encode(nonce).decode(), ciphertext=base64.b64encode(sealed).decode())


def unseal(sealed: Sealed, data_key: str, participant_id: UUID, model: type[M]) -> M:
    """Raises cryptography's InvalidTag when the key is not this participant's."""
    plain = AESGCM(base64.b64decode(data_key)).decrypt(base64.b64decode(sealed.nonce),
                                                       base64.b64decode(sealed.ciphertext),
                                                       str(participant_id).encode())
    return model.model_validate_json(plain)
