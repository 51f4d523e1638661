"""Who may do what with career: every URL of the area, for every role.

Rows are (url name, method, target, maya, ravi, olga, ada, otto) like
tests/meetings/test_permissions.py; target "" is the shared case that
tests/growth/test_urls_covered.py requires for both methods of every URL.

Everyone has their own career page. A profile is read by the person and by their
manager through their manager 1:1 (Maya for Ravi's); everyone else gets 404, exactly
like a person who does not exist. Nobody but the person can change it: there is no
URL to change someone else's profile, so no row answers 403.
"""

import pytest
from django.urls import reverse

from growth.models import CareerProfile
from growth.services.career import career_profile_save
from meetings.models import Relationship
from people.models import Person
from tests.permissions import ARGS, GO, NO, OK, WRONG_METHOD, Row, cases, check

# Targets: "" Ravi's profile (Maya is his manager, in a manager 1:1 with him);
# "self" each person's own profile.
TABLE: list[Row] = [
    # name             method  target  maya  ravi  olga  ada   otto
    ("career",         "GET",  "",     OK,   OK,   OK,   OK,   OK),
    ("career",         "POST", "",     GO,   GO,   GO,   GO,   GO),
    ("career_person",  "GET",  "",     OK,   OK,   NO,   NO,   NO),
    ("career_person",  "POST", "",     WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("career_person",  "GET",  "self", OK,   OK,   OK,   OK,   OK),
]  # fmt: skip

CASES = cases(TABLE)


@pytest.mark.parametrize(ARGS, CASES)
def test_permission(
    one_on_one: Relationship,
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
    texts = {"strengths": "Mentoring", "skills_to_grow": "Go", "next_role": "Lead"}
    career_profile_save(actor=ravi, person=ravi, base_version=0, support_needed="Time", **texts)
    actor = people.get(role)
    if name == "career":
        url = reverse("growth:career")
    else:
        owner = actor if target == "self" and actor else ravi
        url = reverse("growth:career_person", args=[owner.uuid])
    data: dict[str, str] = {}
    if method == "POST":
        profile = CareerProfile.objects.filter(person=actor).first()
        version = profile.version if profile else 0
        data = texts | {"support_needed": "More", "version": str(version)}
    check(actor, method, url, data, expected)

    if actor is not None and expected == GO:
        assert CareerProfile.objects.get(person=actor).support_needed == "More"
