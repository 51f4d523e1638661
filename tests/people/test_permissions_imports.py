"""Who may use the CSV import: only an org admin, for their own organization.

Rows are (url name, method, target, maya, ravi, olga, ada, otto) like
tests/growth/test_permissions_*.py. Everyone but Ada, Acme's org admin, gets 404,
exactly like a page that does not exist: the import is never admitted to exist.
"""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.models import Person
from tests.permissions import ARGS, NO, OK, WRONG_METHOD, Row, cases, check

TABLE: list[Row] = [
    # name              method  target  maya  ravi  olga  ada  otto
    ("import",          "GET",  "",     NO,   NO,   NO,   OK,  NO),
    ("import",          "POST", "",     NO,   NO,   NO,   OK,  NO),
    ("import_template", "GET",  "",     NO,   NO,   NO,   OK,  NO),
    ("import_template", "POST", "",     WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
]  # fmt: skip

CASES = cases(TABLE)


@pytest.mark.parametrize(ARGS, CASES)
def test_permission(
    maya: Person,
    ravi: Person,
    olga: Person,
    ada: Person,
    otto: Person,
    name: str,
    method: str,
    target: str,
    role: str,
    expected: int,
) -> None:
    people = {"maya": maya, "ravi": ravi, "olga": olga, "ada": ada, "otto": otto}
    actor = people.get(role)
    data: dict[str, Any] = {}
    if method == "POST":
        rows = b"email,name,manager_email\nnia@acme.test,Nia New,ravi@acme.test\n"
        data = {"file": SimpleUploadedFile("people.csv", rows, content_type="text/csv")}
    check(actor, method, reverse(f"people:{name}"), data, expected)

    imported = Person.objects.filter(email="nia@acme.test").first()
    if name == "import" and method == "POST" and expected == OK:
        assert imported is not None
        assert imported.manager == ravi
    else:
        assert imported is None
