"""Helpers for the account tests: verified addresses, real TOTP codes, signing in by form."""

import base64
import hashlib
import hmac
import re
import struct
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.cache import cache
from django.test import Client

from people.models import Person
from tests.conftest import PASSWORD

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """allauth counts attempts (and used TOTP codes) in the default cache: start each test empty."""
    cache.clear()
    yield
    cache.clear()


def verify(person: Person) -> Person:
    """Give the person a confirmed primary address, as an accepted invitation does."""
    EmailAddress.objects.update_or_create(
        user=person, email=person.email, defaults={"verified": True, "primary": True}
    )
    return person


def sign_in(client: Client, email: str, password: str = PASSWORD, **extra: str) -> "TestResponse":
    return client.post("/accounts/login/", {"login": email, "password": password, **extra})


def totp_code(secret: str, *, step: int = 0) -> str:
    """The RFC 6238 code of `secret` now (or `step` periods away), as an authenticator app shows.

    Computed here rather than with allauth's helpers, so the test checks allauth's side.
    """
    counter = int(time.time()) // 30 + step
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def stored_secret(person: Person) -> str:
    """The TOTP secret Rapport stored (encrypted) for the person."""
    authenticator = Authenticator.objects.get(user=person, type=Authenticator.Type.TOTP)
    secret: str = get_mfa_adapter().decrypt(authenticator.data["secret"])
    return secret


def link_in_last_mail(pattern: str) -> str:
    """The first URL path in the last email that matches `pattern`."""
    found = re.search(r"https?://[^/\s]+(" + pattern + r")", str(mail.outbox[-1].body))
    assert found, mail.outbox[-1].body
    return found.group(1)
