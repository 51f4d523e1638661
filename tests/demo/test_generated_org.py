"""demo_load on an empty database: the --if-empty path and generated organizations."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from demo.generator import DEMO_ORG_NAME, load
from demo.growth import has_growth
from demo.org import DEMO_PASSWORD
from growth.models import (
    CareerProfile,
    CareerProfileRevision,
    CheckIn,
    Feedback,
    Goal,
    GoalUpdate,
)
from meetings.models import Meeting, Relationship, TalkingPoint
from meetings.occurrences import occurrence_exists
from people.models import Organization, Person, Team


def run(*args: str) -> str:
    out = StringIO()
    call_command("demo_load", *args, stdout=out)
    return out.getvalue()


def test_if_empty_loads_the_demo_once(db: None) -> None:
    first = run("--if-empty")
    meetings = Meeting.objects.count()
    second = run("--if-empty")
    assert "Loaded" in first
    assert "already loaded" in second
    assert "jonas@northwind.example" in second
    assert Organization.objects.filter(name=DEMO_ORG_NAME).count() == 1
    assert Meeting.objects.count() == meetings > 0


def test_it_generates_an_organization_of_any_size(db: None) -> None:
    output = run("--people", "60", "--months", "3", "--org-name", "Globex Test")
    org = Organization.objects.get(name="Globex Test")
    people = Person.objects.filter(organization=org)
    assert people.count() == 60
    assert Team.objects.filter(organization=org).count() == 4
    assert people.filter(manager__isnull=True).count() == 1
    assert people.filter(is_org_admin=True, reports__isnull=True).count() == 1
    assert all(p.check_password(DEMO_PASSWORD) for p in people[:2])
    managers = Relationship.objects.filter(organization=org, kind=Relationship.Kind.MANAGER)
    assert managers.count() == 59
    assert all(r.lead_id == r.member.manager_id for r in managers.select_related("member"))
    meetings = Meeting.objects.filter(organization=org)
    # 59 series over 13 weeks, most weekly: several hundred past meetings.
    assert 400 < meetings.count() < 900
    assert TalkingPoint.objects.filter(organization=org).count() > 2 * meetings.count()
    assert "@globex-test.example" in output
    relationship = managers.first()
    assert relationship is not None
    schedules = list(relationship.schedules.all())
    assert all(
        occurrence_exists(schedules, m.occurrence_start) for m in relationship.meetings.all()
    )


def test_the_same_seed_gives_the_same_history(db: None) -> None:
    now = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)

    def fingerprint(name: str) -> list[tuple[object, ...]]:
        org = load(people=20, months=2, org_name=name, seed=7, now=now).organization
        return list(
            TalkingPoint.objects.filter(organization=org)
            .order_by("created_at", "position", "text")  # ties in time differ in text
            .values_list("text", "theme", "is_private", "status", "created_at")
        )

    first, second = fingerprint("First"), fingerprint("Second")
    assert first == second
    assert len(first) > 50


def growth_counts() -> dict[str, int]:
    models = (CheckIn, Goal, GoalUpdate, Feedback, CareerProfile, CareerProfileRevision)
    counts = {model.__name__: model.objects.count() for model in models}
    counts["blocker points"] = TalkingPoint.objects.filter(
        source=TalkingPoint.Source.CHECKIN
    ).count()
    return counts


def test_if_empty_adds_growth_to_an_organization_loaded_without_it_once(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A demo loaded before growth existed gets its growth content on the next start only."""
    with monkeypatch.context() as patch:
        patch.setattr("demo.generator.seed_growth", lambda *args, **kwargs: {})
        run()
    organization = Organization.objects.get(name=DEMO_ORG_NAME)
    assert not has_growth(organization)
    assert set(growth_counts().values()) == {0}

    first = run("--if-empty")
    seeded = growth_counts()
    second = run("--if-empty")

    assert "Added growth content" in first
    assert all(seeded.values()), seeded
    assert "Added growth content" not in second
    assert "already loaded" in second
    assert growth_counts() == seeded
