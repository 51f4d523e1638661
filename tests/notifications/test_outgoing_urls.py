"""lib.outgoing: which addresses Rapport's server may call (webhooks, CalDAV).

Host names resolve through a stand-in for socket.getaddrinfo, so no test needs DNS.
"""

import socket
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lib.outgoing import (
    OutgoingRefused,
    check_outgoing_url,
    is_private_address,
    public_session,
    resolve_public,
)
from notifications.outbox import DeliveryError
from tests.support.receiver import Receiver

PUBLIC = "93.184.215.14"
NAMES = {
    "hooks.example.com": [PUBLIC],
    "localhost": ["127.0.0.1", "::1"],
    "sneaky.example.com": [PUBLIC, "10.0.0.8"],  # one private answer is enough to refuse
    "metadata.example.com": ["169.254.169.254"],
}


def fake_getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
    if host.startswith("[") or ":" in host or host.replace(".", "").isdigit():
        address = host.strip("[]")
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]
    if host not in NAMES:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return [
        (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
        for a in NAMES[host]
    ]


@pytest.fixture(autouse=True)
def dns(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    settings.RAPPORT_ALLOW_PRIVATE_URLS = False


def refusal(url: str, what: str = "The webhook URL") -> str:
    with pytest.raises(ValidationError) as refused:
        check_outgoing_url(url, what=what)
    (message,) = refused.value.messages
    return message


class TestWhenSaving:
    def test_a_public_https_address_is_accepted(self) -> None:
        check_outgoing_url("https://hooks.example.com/services/T000/B000/XXXX")
        check_outgoing_url("https://hooks.example.com:8443/x?token=1")
        check_outgoing_url(f"https://{PUBLIC}/hook")

    @pytest.mark.parametrize(
        "url",
        [
            "https://127.0.0.1/",
            "https://127.1.2.3/",
            "https://10.0.0.1/",
            "https://172.16.5.4/",
            "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data/",
            "https://100.64.0.1/",
            "https://0.0.0.0/",
            "https://224.0.0.1/",
            "https://240.0.0.1/",
            "https://[::1]/",
            "https://[::]/",
            "https://[fe80::1]/",
            "https://[fc00::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://localhost/",
            "https://sneaky.example.com/",
            "https://metadata.example.com/",
        ],
    )
    def test_private_and_local_addresses_are_refused(self, url: str) -> None:
        assert refusal(url) == (
            "The webhook URL points to a private or local network address, "
            "which Rapport does not call."
        )

    def test_they_are_allowed_when_the_operator_says_so(self, settings: Any) -> None:
        settings.RAPPORT_ALLOW_PRIVATE_URLS = True
        check_outgoing_url("http://127.0.0.1:8000/hook")
        check_outgoing_url("https://localhost/hook")
        check_outgoing_url("http://unknown.invalid/hook")  # not even resolved

    @pytest.mark.parametrize(
        ("url", "message"),
        [
            (
                "http://hooks.example.com/x",
                "must start with https:// so that the messages are encrypted",
            ),
            ("ftp://hooks.example.com/x", "must start with https://"),
            ("javascript:alert(1)", "is not a complete web address"),
            ("https://", "is not a complete web address"),
            ("//hooks.example.com/x", "is not a complete web address"),
            ("hooks.example.com", "is not a complete web address"),
            ("https://hooks.example.com:port/", "is not a complete web address"),
            ("https://user:secret@hooks.example.com/", "may not contain a user name or password"),
            ("https://user@hooks.example.com/", "may not contain a user name or password"),
            ("https://hooks.example.com/" + "a" * 500, "is too long (at most 500 characters)"),
            ("https://nowhere.example.com/", "host nowhere.example.com cannot be found"),
        ],
    )
    def test_bad_addresses_get_a_clear_message(self, url: str, message: str) -> None:
        assert message in refusal(url)

    def test_ftp_is_refused_even_when_private_addresses_are_allowed(self, settings: Any) -> None:
        settings.RAPPORT_ALLOW_PRIVATE_URLS = True
        assert "must start with https://" in refusal("ftp://127.0.0.1/")
        assert "user name" in refusal("http://a:b@127.0.0.1/")

    def test_the_message_names_what_is_checked(self) -> None:
        assert refusal("ftp://x.example.com/", what="The calendar address").startswith(
            "The calendar address must"
        )


class TestWhenSending:
    def test_a_public_address_passes(self) -> None:
        resolve_public("https://hooks.example.com/x")

    def test_a_name_that_now_points_inside_is_refused_for_good(self) -> None:
        with pytest.raises(OutgoingRefused) as refused:
            resolve_public("https://sneaky.example.com/secret-path")
        assert refused.value.permanent
        assert "secret-path" not in str(refused.value)
        assert isinstance(refused.value, DeliveryError)

    def test_a_name_that_does_not_resolve_is_retried(self) -> None:
        with pytest.raises(OutgoingRefused) as refused:
            resolve_public("https://nowhere.example.com/x")
        assert not refused.value.permanent
        assert "nowhere" not in str(refused.value)

    def test_plain_http_is_refused_unless_allowed(self, settings: Any) -> None:
        with pytest.raises(OutgoingRefused):
            resolve_public("http://hooks.example.com/x")
        settings.RAPPORT_ALLOW_PRIVATE_URLS = True
        resolve_public("http://127.0.0.1:9/x")


@pytest.mark.parametrize(
    ("address", "private"),
    [
        ("8.8.8.8", False),
        ("2001:4860:4860::8888", False),
        ("127.0.0.1", True),
        ("::ffff:10.0.0.1", True),
        ("fe80::1%eth0", True),
        ("ff02::1", True),
    ],
)
def test_is_private_address(address: str, private: bool) -> None:
    assert is_private_address(address) is private


class TestTheConnection:
    """The address connected to is checked too, before a byte is sent (DNS rebinding)."""

    def test_a_private_peer_is_refused_before_the_request(self) -> None:
        with Receiver() as receiver, public_session() as session:
            with pytest.raises(OutgoingRefused) as refused:
                session.post(receiver.url, data=b"{}", timeout=5)
            assert refused.value.permanent
            assert receiver.calls == []

    def test_it_connects_when_private_addresses_are_allowed(self, settings: Any) -> None:
        settings.RAPPORT_ALLOW_PRIVATE_URLS = True
        with Receiver() as receiver, public_session() as session:
            assert session.post(receiver.url, data=b"{}", timeout=5).status_code == 200
            assert len(receiver.calls) == 1
