"""A real CalDAV server (Radicale) on loopback, started as a subprocess for the tests.

Radicale keeps its collections in a temporary folder and checks passwords against an
htpasswd file in plain text (test accounts only). `RadicaleServer.calendar(user)`
creates a calendar collection with MKCALENDAR and returns its URL; `stop()` and
`start()` let a test take the server away and bring it back on the same port.
"""

import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from tests.support.smtp import free_port

USERS = {"alice": "alice-secret", "bob": "bob-secret"}

CONFIG = """\
[server]
hosts = 127.0.0.1:{port}

[auth]
type = htpasswd
htpasswd_filename = {htpasswd}
htpasswd_encryption = plain
# Tests try wrong passwords on purpose: no delay after a failed login.
delay = 0

[rights]
type = owner_only

[storage]
filesystem_folder = {storage}

[logging]
level = warning
mask_passwords = True
"""

MKCALENDAR = """<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop><D:displayname>{name}</D:displayname></D:prop></D:set>
</C:mkcalendar>
"""


@dataclass
class RadicaleServer:
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def config_path(self) -> Path:
        return self.folder / "config"

    def write_config(self) -> None:
        htpasswd = self.folder / "users"
        htpasswd.write_text("".join(f"{user}:{password}\n" for user, password in USERS.items()))
        (self.folder / "collections").mkdir(exist_ok=True)
        self.config_path.write_text(
            CONFIG.format(port=self.port, htpasswd=htpasswd, storage=self.folder / "collections")
        )

    def start(self) -> None:
        """Start Radicale and wait until it answers HTTP (at most 15 s)."""
        if self.process is not None:
            return
        self.write_config()
        log = (self.folder / "radicale.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 (this interpreter, our config)
            [sys.executable, "-m", "radicale", "--config", str(self.config_path)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Radicale exited; see {self.folder / 'radicale.log'}")
            try:
                requests.get(self.base_url + "/.web/", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("Radicale did not answer within 15 seconds.")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def calendar(self, user: str, name: str) -> str:
        """Create (or reuse) the calendar `name` of `user`; return its collection URL."""
        url = f"{self.base_url}/{user}/{name}/"
        auth = (user, USERS[user])
        if requests.request("PROPFIND", url, auth=auth, headers={"Depth": "0"}, timeout=5).ok:
            return url
        response = requests.request(
            "MKCALENDAR", url, data=MKCALENDAR.format(name=name), auth=auth, timeout=5
        )
        response.raise_for_status()
        return url

    def principal(self, user: str) -> str:
        """The user's own collection: WebDAV, but not a calendar."""
        return f"{self.base_url}/{user}/"

    def resources(self, url: str, user: str) -> dict[str, str]:
        """Every .ics resource in the calendar at `url`: name → its text."""
        auth = (user, USERS[user])
        listing = requests.request(
            "PROPFIND",
            url,
            auth=auth,
            headers={"Depth": "1"},
            data='<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop>'
            "<D:getetag/></D:prop></D:propfind>",
            timeout=5,
        )
        listing.raise_for_status()
        from xml.etree import ElementTree

        tree = ElementTree.fromstring(listing.content)  # noqa: S314 (our own test server)
        found: dict[str, str] = {}
        for href in tree.iter("{DAV:}href"):
            path = href.text or ""
            if path.endswith(".ics"):
                name = path.rsplit("/", 1)[-1]
                found[name] = requests.get(url + name, auth=auth, timeout=5).text
        return found


def start_radicale() -> RadicaleServer:
    server = RadicaleServer(Path(tempfile.mkdtemp(prefix="rapport-radicale-")))
    server.start()
    return server


def remove(server: RadicaleServer) -> None:
    server.stop()
    shutil.rmtree(server.folder, ignore_errors=True)
