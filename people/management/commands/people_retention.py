"""Erase what only a person who left could see, and their identity, after the retention period.

When someone has been deactivated for longer than their organization's `retention_days`:

- erased, because nobody but them could ever read it: their private talking points,
  their private notes, their ratings, their career profile with every revision, their
  goals that belong to no 1:1 (owner-only) and their deleted goals and deleted feedback
  (seen by them alone, to undo); meetings others shared with them (unreadable since they
  left);
- anonymised, because it names them: name "Former colleague", email
  left-<uuid>@invalid.example (still unique), title and external id cleared, an unusable
  password; their sign-in addresses, SSO links, two-factor devices, browser sessions and
  invitations (which hold the old address) are deleted;
- kept, because it belongs to their partners as much as to them: shared notes, shared
  talking points, action items, check-ins, shared feedback, goals of a 1:1 and meetings
  they chose to share; those now show "Former colleague".

Idempotent (an anonymised person is skipped) and safe to run daily; `--dry-run` reports
the counts and changes nothing.
"""

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from activity.services import activity_record
from growth.models import CareerProfile, Feedback, Goal
from meetings.models import MeetingShare, PrivateNote, Rating, TalkingPoint
from people.models import Person

FORMER_NAME = "Former colleague"
ANONYMOUS_DOMAIN = "invalid.example"


def anonymous_email(person: Person) -> str:
    return f"left-{person.uuid}@{ANONYMOUS_DOMAIN}"


def is_anonymised(person: Person) -> bool:
    return person.email == anonymous_email(person)


def due_for_erasure(now: datetime) -> list[Person]:
    """People who left more than their organization's retention period ago, not yet erased."""
    left = Person.objects.filter(
        is_active=False, deactivated_at__isnull=False, organization__isnull=False
    ).select_related("organization")
    return [
        person
        for person in left.order_by("pk")
        if person.organization is not None
        and person.deactivated_at is not None
        and person.deactivated_at <= now - timedelta(days=person.organization.retention_days)
        and not is_anonymised(person)
    ]


def _erase(counts: Counter[str], label: str, rows: QuerySet[Any]) -> None:
    counts[label] += rows.count()
    rows.delete()


def person_erase(person: Person) -> Counter[str]:
    """Erase the person's private content and identity (see the module docstring)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount
    from allauth.usersessions.models import UserSession

    from accounts.models import Invitation

    counts: Counter[str] = Counter()
    _erase(
        counts,
        "private talking points",
        TalkingPoint.objects.filter(author=person, is_private=True),
    )
    _erase(counts, "private notes", PrivateNote.objects.filter(author=person))
    _erase(counts, "ratings", Rating.objects.filter(rater=person))
    # Revisions go with the profile (on_delete=CASCADE).
    _erase(counts, "career profiles", CareerProfile.objects.filter(person=person))
    # Goals of no 1:1 and deleted goals are seen by their owner alone; updates go with them.
    _erase(counts, "own goals", Goal.objects.filter(owner=person).filter(
        Q(relationship__isnull=True) | Q(deleted_at__isnull=False)
    ))  # fmt: skip
    _erase(
        counts, "deleted feedback", Feedback.objects.filter(giver=person, deleted_at__isnull=False)
    )
    # Meetings shared with them can never be read again (an inactive reader sees no share).
    _erase(counts, "shares to them", MeetingShare.objects.filter(shared_with=person))
    EmailAddress.objects.filter(user=person).delete()
    SocialAccount.objects.filter(user=person).delete()
    Authenticator.objects.filter(user=person).delete()
    UserSession.objects.filter(user=person).delete()
    Invitation.objects.filter(person=person).delete()
    person.name = FORMER_NAME
    person.email = anonymous_email(person)
    person.title = ""
    person.external_id = ""
    person.set_unusable_password()
    person.save(update_fields=["name", "email", "title", "external_id", "password"])
    activity_record(
        actor=None,
        verb="person.anonymise",
        object_type="person",
        object_uuid=person.uuid,
        organization_id=person.organization_id,
    )
    counts["people"] += 1
    return counts


class Command(BaseCommand):
    help = "Erase the private content and identity of people who left longer ago than retention."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be erased; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        totals: Counter[str] = Counter()
        with transaction.atomic():
            for person in due_for_erasure(timezone.now()):
                totals += person_erase(person)
            if dry_run:
                transaction.set_rollback(True)
        kinds = ("private talking points", "private notes", "ratings", "career profiles",
                 "own goals", "deleted feedback", "shares to them")  # fmt: skip
        details = ", ".join(f"{totals[kind]} {kind}" for kind in kinds)
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(f"{verb} {totals['people']} people; erased {details}.")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
