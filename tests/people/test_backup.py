"""The operator's backup and restore of one organization: lossless, isolated, refused safely.

The round trip backs Acme up (the My data world: 1:1s with private content, growth,
shares, allauth rows), deletes every one of its rows, restores the file, backs it up
again and compares the two documents; Globex, in the same database, must not change.
"""

import gzip
import io
import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from accounts.models import Invitation
from activity.models import Activity
from meetings.models import Meeting, PrivateNote, TalkingPoint
from notifications.models import Delivery
from people.backup import (
    EXCLUDED,
    EXCLUDED_FIELDS,
    FORMAT,
    FORMAT_VERSION,
    BackupError,
    backup_read,
    backup_restore,
    backup_write,
    covered_models,
    organization_paths,
)
from people.models import Organization, Person, Team
from playbook.models import Question, Template, TemplatePrompt
from tests.conftest import make_person
from tests.people.test_mydata import World
from tests.people.test_mydata import world as world

WHEN = datetime(2027, 2, 1, 12, 0, tzinfo=UTC)


def backup(organization: Organization) -> dict[str, Any]:
    out = io.StringIO()
    backup_write(organization, out, now=WHEN)
    document: dict[str, Any] = json.loads(out.getvalue())
    return document


def delete_rows(document: dict[str, Any]) -> None:
    """Delete exactly the document's rows, children first (as if the organization never was)."""
    by_model: dict[type[models.Model], list[Any]] = defaultdict(list)
    for obj in document["objects"]:
        by_model[apps.get_model(obj["model"])].append(obj["pk"])
    # The organization's outgoing messages are not backed up: they go with it.
    Delivery.objects.filter(organization_id__in=by_model[Organization]).delete()
    for model in reversed(covered_models()):
        if model in by_model:
            model._default_manager.filter(pk__in=by_model[model])._raw_delete(
                model._default_manager.db
            )


def enrich(world: World) -> None:
    """Rows of the other apps: allauth, invitations, playbook, a team."""
    acme = world.maya.organization
    assert acme is not None
    team = Team.objects.create(organization=acme, name="Platform")
    Person.objects.filter(pk=world.ravi.pk).update(team=team)
    address = EmailAddress.objects.create(
        user=world.maya, email=world.maya.email, verified=True, primary=True
    )
    assert address.pk
    Authenticator.objects.create(
        user=world.maya, type=Authenticator.Type.TOTP, data={"secret": "encrypted-elsewhere"}
    )
    SocialAccount.objects.create(
        user=world.ravi, provider="openid_connect", uid="ravi-sub", extra_data={"a": 1}
    )
    Invitation.objects.create(
        organization=acme,
        person=world.ravi,
        email=world.ravi.email,
        token_digest="0" * 64,
        invited_by=world.ada,
        expires_at=WHEN,
    )
    template = Template.objects.create(organization=acme, name="Weekly")
    TemplatePrompt.objects.create(template=template, text="What went well?")
    Question.objects.create(organization=acme, theme="wellbeing", text="How are you, really?")


def without_time(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "created_at"}


def kinds(document: dict[str, Any]) -> set[str]:
    return {obj["model"] for obj in document["objects"]}


def test_a_round_trip_is_lossless_and_leaves_other_organizations_alone(world: World) -> None:
    enrich(world)
    acme, globex = world.maya.organization, world.otto.organization
    assert acme is not None
    assert globex is not None
    first = backup(acme)
    globex_before = backup(globex)
    assert {
        "people.organization",
        "people.person",
        "people.team",
        "meetings.relationship",
        "meetings.schedule",
        "meetings.meeting",
        "meetings.talkingpoint",
        "meetings.discussion",
        "meetings.privatenote",
        "meetings.actionitem",
        "meetings.rating",
        "meetings.meetingshare",
        "growth.checkin",
        "growth.goal",
        "growth.feedback",
        "growth.careerprofile",
        "growth.careerprofilerevision",
        "activity.activity",
        "playbook.template",
        "playbook.templateprompt",
        "playbook.question",
        "accounts.invitation",
        "account.emailaddress",
        "mfa.authenticator",
        "socialaccount.socialaccount",
    } <= kinds(first)
    # Nothing of Globex is in Acme's document.
    assert str(world.otto.uuid) not in json.dumps(first)

    delete_rows(first)
    assert not Organization.objects.filter(uuid=acme.uuid).exists()
    assert not Person.objects.filter(email=world.maya.email).exists()
    assert not PrivateNote.objects.filter(meeting__organization_id=acme.pk).exists()

    restored = backup_restore(json.loads(json.dumps(first)))
    assert restored.organization.uuid == acme.uuid
    assert sum(restored.counts.values()) == len(first["objects"])
    second = backup(restored.organization)
    assert without_time(second) == without_time(first)
    assert without_time(backup(globex)) == without_time(globex_before)
    # The people can sign in again with their passwords.
    maya = Person.objects.get(email=world.maya.email)
    assert maya.check_password("correct horse battery staple")


def test_restore_refuses_when_the_organization_exists_and_changes_nothing(world: World) -> None:
    acme = world.maya.organization
    assert acme is not None
    document = backup(acme)
    rows = TalkingPoint.objects.count()
    with pytest.raises(BackupError, match="already exists"):
        backup_restore(document)
    assert TalkingPoint.objects.count() == rows


def test_restore_refuses_when_an_email_exists_elsewhere(world: World) -> None:
    acme, globex = world.maya.organization, world.otto.organization
    assert acme is not None
    assert globex is not None
    document = backup(acme)
    delete_rows(document)
    make_person(globex, world.maya.email, "Maya Elsewhere")
    with pytest.raises(BackupError, match=r"already exist here \(by email\).*maya@acme.test"):
        backup_restore(document)
    assert not Organization.objects.filter(uuid=acme.uuid).exists()
    assert not Meeting.objects.filter(organization_id=acme.pk).exists()


def test_restore_refuses_when_ids_are_taken(world: World) -> None:
    acme, globex = world.maya.organization, world.otto.organization
    assert acme is not None
    assert globex is not None
    Question.objects.create(organization=acme, theme="wellbeing", text="Acme's question")
    document = backup(acme)
    question_pk = next(o["pk"] for o in document["objects"] if o["model"] == "playbook.question")
    delete_rows(document)
    Question.objects.create(pk=question_pk, organization=globex, theme="career", text="Mine")
    with pytest.raises(BackupError, match=r"playbook\.question with the backup's ids"):
        backup_restore(document)
    assert not Organization.objects.filter(uuid=acme.uuid).exists()
    assert Question.objects.get(pk=question_pk).organization_id == globex.pk


def test_a_failed_restore_writes_nothing(world: World) -> None:
    """A row that breaks a constraint half way rolls the whole restore back."""
    acme = world.maya.organization
    assert acme is not None
    document = backup(acme)
    delete_rows(document)
    broken = json.loads(json.dumps(document))
    point = next(o for o in broken["objects"] if o["model"] == "meetings.talkingpoint")
    point["fields"]["relationship"] = 999_999  # no such relationship
    with pytest.raises(BackupError, match="changed nothing"):
        backup_restore(broken)
    assert not Organization.objects.filter(uuid=acme.uuid).exists()
    assert not Person.objects.filter(organization_id=acme.pk).exists()


def test_restore_refuses_documents_it_cannot_read(tmp_path: Path) -> None:
    for text, message in [
        ("not json", "not a readable backup"),
        ('{"format": "something else"}', "not a Rapport organization backup"),
        (json.dumps({"format": FORMAT, "format_version": 99}), "format version 99"),
        (json.dumps({"format": FORMAT, "format_version": FORMAT_VERSION}), "incomplete"),
    ]:
        with pytest.raises(BackupError, match=message):
            backup_read(io.StringIO(text))


def test_restore_refuses_a_backup_from_a_newer_schema(world: World) -> None:
    acme = world.maya.organization
    assert acme is not None
    document = backup(acme)
    delete_rows(document)
    document["migrations"]["people"].append("9999_from_the_future")
    with pytest.raises(BackupError, match="9999_from_the_future"):
        backup_restore(document)


def test_restore_refuses_rows_of_unknown_models(world: World) -> None:
    acme = world.maya.organization
    assert acme is not None
    document = backup(acme)
    delete_rows(document)
    document["objects"].append({"model": "nowhere.thing", "pk": 1, "fields": {}})
    with pytest.raises(BackupError, match=r"nowhere\.thing"):
        backup_restore(document)


# -- The commands ------------------------------------------------------------------------


def test_the_commands_round_trip_through_a_gzip_file(world: World, tmp_path: Path) -> None:
    acme = world.maya.organization
    assert acme is not None
    path = tmp_path / "acme.json.gz"
    out = io.StringIO()
    call_command("org_backup", "Acme", "--output", str(path), stdout=out)
    assert "Backed up Acme" in out.getvalue()
    with gzip.open(path, "rt", encoding="utf-8") as source:
        document = json.load(source)
    assert document["organization"] == {"uuid": str(acme.uuid), "name": "Acme"}

    with pytest.raises(CommandError, match="already exists"):
        call_command("org_restore", str(path))
    delete_rows(document)
    out = io.StringIO()
    call_command("org_restore", str(path), stdout=out)
    assert f"Restored Acme ({acme.uuid})" in out.getvalue()

    again = tmp_path / "again.json"
    call_command("org_backup", str(acme.uuid), "--output", str(again), stdout=io.StringIO())
    assert without_time(json.loads(again.read_text())) == without_time(document)


def test_backup_refuses_unknown_organizations_and_existing_files(
    world: World, tmp_path: Path
) -> None:
    path = tmp_path / "out.json"
    with pytest.raises(CommandError, match="No organization"):
        call_command("org_backup", "Nobody Inc", "--output", str(path))
    Organization.objects.create(name="Acme")
    with pytest.raises(CommandError, match="Several organizations"):
        call_command("org_backup", "Acme", "--output", str(path))
    path.write_text("keep me")
    with pytest.raises(CommandError, match="--force"):
        call_command("org_backup", str(world.otto.organization.uuid), "--output", str(path))  # type: ignore[union-attr]
    assert path.read_text() == "keep me"


def test_restore_reports_a_missing_or_broken_file(tmp_path: Path, db: None) -> None:
    with pytest.raises(CommandError, match="Could not read"):
        call_command("org_restore", str(tmp_path / "missing.json"))
    broken = tmp_path / "broken.json.gz"
    broken.write_text("not gzip")
    with pytest.raises(CommandError, match="not a readable backup"):
        call_command("org_restore", str(broken))


# -- Coverage ------------------------------------------------------------------------------

PROJECT_APPS = {
    "people",
    "accounts",
    "sso",
    "scim",
    "meetings",
    "growth",
    "playbook",
    "activity",
    "demo",
}


def test_every_model_is_backed_up_or_excluded_with_a_reason() -> None:
    """A model added later is covered by its foreign keys, or this test asks for a reason."""
    covered = {m._meta.label_lower for m in organization_paths()}
    concrete = {
        m._meta.label_lower
        for m in apps.get_models()
        if not m._meta.proxy and not m._meta.auto_created
    }
    relevant = {
        label
        for label in concrete
        if label.split(".")[0] in PROJECT_APPS
        or apps.get_model(label)._meta.app_config.name.startswith("allauth")
    }
    assert relevant - covered - set(EXCLUDED) == set(), "neither backed up nor excluded"
    assert covered & set(EXCLUDED) == set()
    assert set(EXCLUDED) <= concrete, "stale exclusions"
    assert all(reason.strip() for reason in EXCLUDED.values())
    assert concrete - covered - set(EXCLUDED) == set()


def test_covered_rows_only_point_at_covered_rows() -> None:
    """Foreign keys and many-to-many fields of a covered model lead to copied rows only."""
    covered = set(organization_paths())
    for model in covered:
        for field in model._meta.concrete_fields:
            if field.is_relation:
                assert field.related_model in covered, f"{model._meta.label}.{field.name}"
        for m2m in model._meta.many_to_many:
            label = f"{model._meta.label_lower}.{m2m.name}"
            assert m2m.related_model in covered or label in EXCLUDED_FIELDS, label


def test_the_document_lists_models_parents_first(world: World) -> None:
    acme = world.maya.organization
    assert acme is not None
    order = [m._meta.label_lower for m in covered_models()]
    seen = list(dict.fromkeys(obj["model"] for obj in backup(acme)["objects"]))
    assert seen == [label for label in order if label in seen]
    assert order.index("people.organization") < order.index("people.person")
    assert order.index("meetings.meeting") < order.index("meetings.privatenote")
    assert Activity.objects.filter(organization=acme).exists()


def test_the_demo_organization_round_trips(db: None) -> None:
    """The demo's generators write every kind of 1:1 and growth row, some in bulk."""
    from demo.generator import load

    demo = load(now=WHEN).organization
    first = backup(demo)
    assert len(first["objects"]) > 1000
    delete_rows(first)
    assert not Organization.objects.filter(pk=demo.pk).exists()
    restored = backup_restore(first)
    assert without_time(backup(restored.organization)) == without_time(first)
