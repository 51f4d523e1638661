"""Who may do what with feedback: every URL of the area, for every role.

Rows are (url name, method, target, maya, ravi, olga, ada, otto) like
tests/meetings/test_permissions.py; target "" is the shared case that
tests/growth/test_urls_covered.py requires for both methods of every URL.

In the world, Maya praised Ravi and Ravi gave Maya (his manager) constructive
feedback, both in their current meeting. Feedback is seen by its giver and its
receiver only: another manager (Olga), the org admin (Ada) and someone from another
organization (Otto) get 404 like for feedback that does not exist. The receiver sees
the feedback but cannot delete it (403); the giver cannot decide where praise shows (403).
"""

import pytest
from django.urls import reverse

from growth.models import Feedback
from growth.services.feedback import feedback_delete, feedback_share
from meetings.occurrences import key_slug
from meetings.services.relationships import relationship_end
from people.models import Person
from tests.conftest import client_for
from tests.growth.feedback_world import CURRENT, World
from tests.growth.feedback_world import clock as clock
from tests.growth.feedback_world import world as world
from tests.permissions import ARGS, DENY, GO, NO, OK, WRONG_METHOD, Row, cases, check

W = WRONG_METHOD

# Targets: "" Maya's praise to Ravi (shared first for consent and hide, deleted first
# for restore); "upward" Ravi's feedback to Maya; "deleted" the praise deleted by Maya
# (after the request to share it, for consent and hide); "ended" the 1:1 ended first.
TABLE: list[Row] = [
    # name                method  target     maya  ravi  olga  ada   otto
    ("feedback_give",     "GET",  "",        OK,   OK,   NO,   NO,   NO),
    ("feedback_give",     "POST", "",        GO,   GO,   NO,   NO,   NO),
    ("feedback_log",      "GET",  "",        OK,   OK,   OK,   OK,   OK),
    ("feedback_log",      "POST", "",        W,    W,    W,    W,    W),
    ("recognition",       "GET",  "",        OK,   OK,   OK,   OK,   OK),
    ("recognition",       "POST", "",        W,    W,    W,    W,    W),
    ("feedback_delete",   "GET",  "",        W,    W,    W,    W,    W),
    ("feedback_delete",   "POST", "",        GO,   DENY, NO,   NO,   NO),
    # Deleted feedback is gone for its receiver: 404, not 403.
    ("feedback_restore",  "GET",  "",        W,    W,    W,    W,    W),
    ("feedback_restore",  "POST", "",        GO,   NO,   NO,   NO,   NO),
    ("feedback_share",    "GET",  "",        W,    W,    W,    W,    W),
    ("feedback_share",    "POST", "",        GO,   DENY, NO,   NO,   NO),
    ("feedback_consent",  "GET",  "",        W,    W,    W,    W,    W),
    ("feedback_consent",  "POST", "",        DENY, GO,   NO,   NO,   NO),
    ("feedback_hide",     "GET",  "",        W,    W,    W,    W,    W),
    ("feedback_hide",     "POST", "",        DENY, GO,   NO,   NO,   NO),
    # Upward feedback: Ravi gave it, Maya received it.
    ("feedback_delete",   "POST", "upward",  DENY, GO,   NO,   NO,   NO),
    ("feedback_share",    "POST", "upward",  DENY, GO,   NO,   NO,   NO),
    # Deleted feedback is gone for its receiver, also for the praise's pending request; its
    # giver still finds it (to undo) but cannot ask to share it (a message says why).
    ("feedback_consent",  "POST", "deleted", DENY, NO,   NO,   NO,   NO),
    ("feedback_hide",     "POST", "deleted", DENY, NO,   NO,   NO,   NO),
    ("feedback_share",    "POST", "deleted", GO,   NO,   NO,   NO,   NO),
    ("feedback_delete",   "POST", "deleted", GO,   NO,   NO,   NO,   NO),
    # An ended 1:1 is read-only history, except that the receiver may always hide praise.
    ("feedback_give",     "GET",  "ended",   DENY, DENY, NO,   NO,   NO),
    ("feedback_give",     "POST", "ended",   DENY, DENY, NO,   NO,   NO),
    ("feedback_delete",   "POST", "ended",   DENY, DENY, NO,   NO,   NO),
    ("feedback_restore",  "POST", "ended",   DENY, NO,   NO,   NO,   NO),
    ("feedback_share",    "POST", "ended",   DENY, DENY, NO,   NO,   NO),
    ("feedback_consent",  "POST", "ended",   DENY, DENY, NO,   NO,   NO),
    ("feedback_hide",     "POST", "ended",   DENY, GO,   NO,   NO,   NO),
    ("feedback_log",      "GET",  "ended",   OK,   OK,   OK,   OK,   OK),
]  # fmt: skip

# Ravi's feedback is constructive and deleted praise cannot be shared: asking is refused with a
# message.
REFUSED = {("feedback_share", "upward"), ("feedback_share", "deleted")}

CASES = cases(TABLE)


def target_feedback(world: World, target: str) -> Feedback:
    return world.upward if target == "upward" else world.praise


def prepare(world: World, name: str, target: str) -> None:
    """Bring the feedback to the state the URL acts on, then end the 1:1 if asked."""
    if name in ("feedback_consent", "feedback_hide"):
        feedback_share(actor=world.maya, feedback=world.praise)
    if name == "feedback_restore" or target == "deleted":
        feedback_delete(actor=world.maya, feedback=world.praise)
    if target == "ended":
        relationship_end(actor=world.maya, relationship=world.relationship)


def url_for(world: World, name: str, target: str) -> str:
    if name in ("feedback_log", "recognition"):
        return reverse(f"growth:{name}")
    if name == "feedback_give":
        return reverse(f"growth:{name}", args=[world.relationship.uuid, key_slug(CURRENT)])
    return reverse(f"growth:{name}", args=[target_feedback(world, target).uuid])


POST_DATA = {"feedback_give": {"kind": "praise", "text": "Thanks for covering the on-call."}}


@pytest.mark.parametrize(ARGS, CASES)
def test_permission(
    world: World, name: str, method: str, target: str, role: str, expected: int
) -> None:
    prepare(world, name, target)
    url = url_for(world, name, target)
    actor: Person | None = getattr(world, role, None)
    data = POST_DATA.get(name, {})
    check(actor, method, url, data, expected, refused=(name, target) in REFUSED)


def test_a_missing_feedback_answers_like_a_hidden_one(world: World) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    client = client_for(world.maya)
    for name in ("feedback_delete", "feedback_restore", "feedback_share", "feedback_consent"):
        assert client.post(reverse(f"growth:{name}", args=[missing])).status_code == NO
    bad_key = reverse("growth:feedback_give", args=[world.relationship.uuid, "yesterday"])
    assert client.get(bad_key).status_code == NO
