"""Start the test identity provider on loopback for a test session, and sign in through it.

`identity_provider` migrates a fresh SQLite database for the provider, registers
Rapport's redirect URI for the test organization (whose uuid is fixed, so the URI is
known before any test runs), starts `python -m django runserver` in a subprocess and
waits until its discovery document answers; it stops the process at the end.
"""

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from pytest_django.live_server_helper import LiveServer

from tests.idp.seed import CLIENT_ID, CLIENT_SECRET, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
# The organization the SSO tests sign in to; fixed so its redirect URI can be registered.
SSO_ORG_UUID = uuid.UUID("6c0e3f2a-1b7d-4c55-9a0e-5d1f8e2b7a41")
SSO_PROVIDER_ID = f"org-{SSO_ORG_UUID.hex}"
STARTUP_SECONDS = 30


@dataclass(frozen=True)
class IdentityProvider:
    base_url: str
    issuer: str
    client_id: str
    client_secret: str
    password: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def callback_uri(live_server_url: str) -> str:
    return f"{live_server_url}/accounts/oidc/{SSO_PROVIDER_ID}/login/callback/"


@pytest.fixture(scope="session")
def identity_provider(
    live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IdentityProvider]:
    workdir = tmp_path_factory.mktemp("idp")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.idp.settings",
        "IDP_DB": str(workdir / "idp.sqlite3"),
        "IDP_ISSUER": f"{base_url}/o",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    # Both host spellings: the live server answers on localhost, a browser may use either.
    uris = [
        callback_uri(live_server.url),
        callback_uri(live_server.url.replace("localhost", "127.0.0.1")),
    ]
    # Fixed arguments: this interpreter and our own modules.
    subprocess.run([sys.executable, "-m", "tests.idp.seed", *uris], cwd=ROOT, env=env, check=True)  # noqa: S603
    log = (workdir / "idp.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "django",
            "runserver",
            "--noreload",
            "--skip-checks",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(f"{base_url}/o/.well-known/openid-configuration", process, workdir)
        yield IdentityProvider(
            base_url=base_url,
            issuer=f"{base_url}/o",
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            password=PASSWORD,
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_until_up(url: str, process: "subprocess.Popen[bytes]", workdir: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The test identity provider exited:\n{(workdir / 'idp.log').read_text()}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    pytest.fail(f"The test identity provider did not start:\n{(workdir / 'idp.log').read_text()}")


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sso_round_trip(
    live_server_url: str, idp: IdentityProvider, *, email: str, idp_user: str | None = None
) -> tuple[requests.Session, requests.Response]:
    """Drive the whole authorization-code flow like a browser; return the session and the
    last page (Rapport's, after the callback)."""
    session = requests.Session()
    start = session.get(f"{live_server_url}/sso/", timeout=10)
    assert start.status_code == 200
    at_idp = session.post(
        f"{live_server_url}/sso/",
        data={"csrfmiddlewaretoken": csrf_token(start.text), "email": email},
        timeout=10,
    )
    # Rapport sent the browser to the provider, which asks who is signing in.
    assert at_idp.url.startswith(f"{idp.base_url}/login/"), (at_idp.status_code, at_idp.url)
    back = session.post(
        at_idp.url,
        data={
            "csrfmiddlewaretoken": csrf_token(at_idp.text),
            "username": idp_user or email,
            "password": idp.password,
            "next": _next_param(at_idp.url),
        },
        timeout=20,
    )
    return session, back


def _next_param(url: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(url).query)["next"][0]
