"""Addresses Rapport's server calls on someone's behalf (webhooks, CalDAV calendars).

Whoever saves such an address could otherwise make the server reach into the network
it runs in (server-side request forgery): only https to public addresses is allowed.
The check runs when the address is saved and again just before each call, because a
host name may resolve to something else later (DNS rebinding). The operator allows
plain http and private addresses with RAPPORT_ALLOW_PRIVATE_URLS (tests, a receiver
on the same network).
"""

import ipaddress
import socket
from typing import Any
from urllib.parse import SplitResult, urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from notifications.outbox import DeliveryError

MAX_URL_LENGTH = 500


class OutgoingRefused(DeliveryError):
    """The address may not be called now; the message is safe for a delivery log (no URL)."""


def _allow_private() -> bool:
    return bool(getattr(settings, "RAPPORT_ALLOW_PRIVATE_URLS", False))


def is_private_address(address: str) -> bool:
    """True for loopback, private, link-local, multicast, reserved or unspecified addresses."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def _parts(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    return parts


def _addresses(parts: SplitResult) -> list[str]:
    """Every address the host resolves to; OSError or UnicodeError when it does not."""
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


def check_outgoing_url(url: str, *, what: str = "The address") -> None:
    """Refuse, with a clear message, a URL that Rapport's server must not call."""
    allow_private = _allow_private()
    example = "for example https://hooks.example.com/…"
    if len(url) > MAX_URL_LENGTH:
        raise ValidationError(f"{what} is too long (at most {MAX_URL_LENGTH} characters).")
    parts = _parts(url)
    if parts is None or not parts.scheme or not parts.hostname:
        raise ValidationError(f"{what} is not a complete web address; enter it {example}.")
    scheme = parts.scheme.lower()
    if scheme == "http" and not allow_private:
        raise ValidationError(
            f"{what} must start with https:// so that the messages are encrypted."
        )
    if scheme not in ("https", "http"):
        raise ValidationError(f"{what} must start with https://, {example}.")
    if parts.username or parts.password:
        raise ValidationError(
            f"{what} may not contain a user name or password before the host name."
        )
    if allow_private:
        return
    try:
        addresses = _addresses(parts)
    except (OSError, UnicodeError) as exc:
        raise ValidationError(f"{what}'s host {parts.hostname} cannot be found.") from exc
    if not addresses or any(is_private_address(address) for address in addresses):
        raise ValidationError(
            f"{what} points to a private or local network address, which Rapport does not call."
        )


def resolve_public(url: str) -> None:
    """Just before a call: refuse an address that now resolves to a private network.

    Raises OutgoingRefused (a DeliveryError, so the outbox logs its safe message): a
    host that cannot be resolved is retried, a private address gives up at once.
    """
    parts = _parts(url)
    if parts is None or parts.scheme not in ("https", "http") or not parts.hostname:
        raise OutgoingRefused("The saved address is not a valid web address.", permanent=True)
    if parts.scheme == "http" and not _allow_private():
        raise OutgoingRefused("The saved address does not use https.", permanent=True)
    if _allow_private():
        return
    try:
        addresses = _addresses(parts)
    except (OSError, UnicodeError) as exc:
        raise OutgoingRefused("The receiver's host name cannot be resolved right now.") from exc
    if not addresses or any(is_private_address(address) for address in addresses):
        raise OutgoingRefused(
            "The receiver's host name resolves to a private or local network address, "
            "which Rapport does not call.",
            permanent=True,
        )


# The connection itself: the address actually connected to is checked before a byte is
# sent, so a name that resolves differently between the check and the call (DNS
# rebinding) still cannot reach a private address.


def _check_peer(sock: socket.socket) -> None:
    if _allow_private():
        return
    address = str(sock.getpeername()[0])
    if is_private_address(address):
        sock.close()
        raise OutgoingRefused(
            "The receiver's host name resolves to a private or local network address, "
            "which Rapport does not call.",
            permanent=True,
        )


class _CheckedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _check_peer(sock)
        return sock


class _CheckedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _check_peer(sock)
        return sock


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _PublicOnlyAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _CheckedHTTPPool,
            "https": _CheckedHTTPSPool,
        }


def public_session() -> requests.Session:
    """A requests session that connects only to public addresses (unless allowed).

    It ignores proxy settings from the environment, so the address checked is the one
    connected to. Close it after use (a `with` block).
    """
    session = requests.Session()
    session.trust_env = False
    adapter = _PublicOnlyAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
