"""Sealed attributes: what a person's events carry instead of their attributes in clear."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Sealed(BaseModel):
    """AES-256-GCM ciphertext of a JSON object, under the participant's data key
    (`enrollment.participant-key.v1`), with the participant id as associated data. See docs/events.md."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    alg: Literal["A256GCM"] = "A256GCM"
    nonce: str = Field(description="base64, 12 bytes")
    ciphertext: str = Field(description="base64, ciphertext followed by the 16-byte tag")
