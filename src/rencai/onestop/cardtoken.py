"""The 人才码 payload: a short-lived JSON claim signed with Ed25519, verifiable with the public key alone.

    RC1.<base64url(JSON)>.<base64url(signature)>

The JSON holds the key id (kid), the card number (cid), a code id (jti), masked name (n), tier (t), the
entitlement codes (e), issued-at and expiry (iat, exp; Unix seconds). This module touches no database, so a
partner's own tool (or a phone with no network) can run `verify` with the published public key.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

PREFIX = "RC1"
LIFETIME_SECONDS = 300  # a code on the phone is good for five minutes


class CardRefused(Exception):  # noqa: N818 - a refusal, shown to the partner as its Chinese message
    pass


def b64e(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_key_pair() -> tuple[str, str]:
    """(private, public) as base64url of the raw 32 bytes."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return b64e(private), b64e(public)


def sign(claims: dict[str, Any], private_key: str) -> str:
    body = json.dumps(claims, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    key = Ed25519PrivateKey.from_private_bytes(b64d(private_key))
    return f"{PREFIX}.{b64e(body)}.{b64e(key.sign(body))}"


def peek_kid(token: str) -> str:
    """The key id a token names (unverified), to pick the public key; '' if it is not a card code."""
    try:
        return str(json.loads(b64d(token.strip().split(".")[1])).get("kid", ""))
    except (ValueError, IndexError, AttributeError):
        return ""


def verify(token: str, public_key: str, *, now: float | None = None) -> dict[str, Any]:
    """The claims of a genuine, unexpired code; raises CardRefused with the reason otherwise."""
    parts = token.strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise CardRefused("不是有效的人才码")
    try:
        body, signature = b64d(parts[1]), b64d(parts[2])
        Ed25519PublicKey.from_public_bytes(b64d(public_key)).verify(signature, body)
    except (InvalidSignature, ValueError):
        raise CardRefused("人才码签名校验失败（可能被篡改或伪造）") from None
    claims = json.loads(body)
    if (now if now is not None else time.time()) > claims.get("exp", 0):
        raise CardRefused("人才码已过期，请让人才刷新后重新出示")
    return claims
