"""Who may use My data: everyone signed in, for their own data only (there is no other).

Rows are (url name, method, target, maya, ravi, olga, ada, otto) like
tests/growth/test_permissions_*.py. The URLs take no argument: each person can only
ever reach their own export, so every role gets 200 and anonymous visitors are sent
to sign in.
"""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from people.models import Person
from tests.people.test_mydata import World
from tests.people.test_mydata import world as world
from tests.permissions import ARGS, OK, WRONG_METHOD, Row, cases, check

W = WRONG_METHOD

TABLE: list[Row] = [
    # name               method  target  maya  ravi  olga  ada   otto
    ("mydata",           "GET",  "",     OK,   OK,   OK,   OK,   OK),
    ("mydata",           "POST", "",     W,    W,    W,    W,    W),
    ("mydata_download",  "GET",  "",     W,    W,    W,    W,    W),
    ("mydata_download",  "POST", "",     OK,   OK,   OK,   OK,   OK),
]  # fmt: skip

CASES = cases(TABLE)


@pytest.mark.parametrize(ARGS, CASES)
def test_permission(
    world: World, name: str, method: str, target: str, role: str, expected: int
) -> None:
    actor: Person | None = getattr(world, role, None)
    response = check(actor, method, reverse(f"people:{name}"), {}, expected)
    if actor is not None and name == "mydata_download" and expected == OK:
        # Their own data and nobody else's: the export names them.
        assert response["Content-Disposition"].startswith("attachment;")
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        data = json.loads(zipfile.ZipFile(io.BytesIO(body)).read("data.json"))
        assert data["person"]["uuid"] == str(actor.uuid)
