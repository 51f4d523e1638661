"""Tokens stored as digests, and secrets stored encrypted.

A token (invitation link, SCIM bearer token, calendar feed) is shown once and stored
only as its SHA-256 digest: a leaked database does not let anyone use it. A secret
Rapport must send on (an OpenID Connect client secret) is stored encrypted with a key
derived from RAPPORT_ENCRYPTION_KEY, or SECRET_KEY when that is not set.
"""

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def new_token(prefix: str = "") -> tuple[str, str]:
    """A fresh random token and its digest; only the digest should be stored."""
    token = prefix + secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    """The SHA-256 digest (hex) of a token, the form it is stored and looked up in."""
    return hashlib.sha256(token.encode()).hexdigest()


def digests_match(token: str, digest: str) -> bool:
    """Compare a presented token with a stored digest in constant time."""
    return hmac.compare_digest(token_digest(token), digest)


def _fernet() -> Fernet:
    material = settings.RAPPORT_ENCRYPTION_KEY or settings.SECRET_KEY
    key = hashlib.sha256(b"rapport-secret-encryption:" + material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(plaintext: str) -> str:
    """Encrypt a secret for storage (authenticated: tampering is detected on decrypt)."""
    return _fernet().encrypt(plaintext.encode()).decode()


class UndecryptableSecret(Exception):
    """A stored secret could not be decrypted: the key changed or the value was altered."""


def decrypt(ciphertext: str) -> str:
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise UndecryptableSecret("The stored secret cannot be decrypted with this key.") from exc
