"""Writes for invitations: create (and email), revoke, accept."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.timezone import now

from accounts.models import Invitation
from activity.services import activity_record
from lib.secrets import new_token, token_digest
from notifications.emails import message_queue
from people.models import Person


@dataclass(frozen=True)
class SentInvitation:
    invitation: Invitation
    # The link's token, known only until the email is sent; never stored.
    token: str


def _record(actor: Person, verb: str, invitation: Invitation) -> None:
    activity_record(actor=actor, verb=verb, object_type="invitation", object_uuid=invitation.uuid)


def _require_org_admin(actor: Person, person: Person) -> None:
    if not actor.is_org_admin or actor.organization_id != person.organization_id:
        raise PermissionDenied("Only an admin of the person's organization can invite them.")


def invitation_url(token: str, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/invite/{token}/"


@transaction.atomic
def invitation_create(*, actor: Person, person: Person, base_url: str) -> SentInvitation:
    """Invite `person` (already in the organization) and email them the link.

    Earlier pending invitations of the person are revoked: only the newest link works.
    """
    _require_org_admin(actor, person)
    if not person.is_active:
        raise ValidationError(f"{person.name} has left; reactivate them before inviting them.")
    at = now()
    Invitation.objects.filter(person=person).pending(at).update(revoked_at=at)
    token, digest = new_token()
    invitation = Invitation.objects.create(
        organization_id=person.org_id,
        person=person,
        email=person.email,
        token_digest=digest,
        invited_by=actor,
        created_at=at,
        expires_at=at + timedelta(days=settings.RAPPORT_INVITATION_DAYS),
    )
    _record(actor, "invitation.create", invitation)
    url = invitation_url(token, base_url)
    context = {"invitation": invitation, "person": person, "actor": actor, "url": url}
    subject = f"{actor.name} invited you to Rapport"
    text = render_to_string("accounts/email/invitation.txt", context)
    html = render_to_string("accounts/email/invitation.html", context)
    message_queue(
        to=[invitation.email],
        subject=subject,
        text=text,
        html=html,
        organization_id=person.org_id,
        person_id=person.pk,
        summary="Invitation to Rapport",
    )
    return SentInvitation(invitation, token)


@transaction.atomic
def invitation_revoke(*, actor: Person, invitation: Invitation) -> None:
    _require_org_admin(actor, invitation.person)
    if invitation.state() != "pending":
        raise ValidationError("Only a pending invitation can be revoked.")
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=now())
    _record(actor, "invitation.revoke", invitation)


def invitation_by_token(token: str) -> Invitation | None:
    """The pending invitation a link's token opens, or None (unknown, used, revoked, expired)."""
    if not token or len(token) > 200:
        return None
    return (
        Invitation.objects.pending()
        .filter(token_digest=token_digest(token), person__is_active=True)
        .select_related("person", "organization")
        .first()
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> Person:
    """Set the invited person's first password; the link proves their email address."""
    person = invitation.person
    password_validation.validate_password(password, user=person)
    person.set_password(password)
    person.save(update_fields=["password"])
    invitation_mark_accepted(invitation)
    return person


def invitation_mark_accepted(invitation: Invitation) -> None:
    """Close the invitation and mark the person's address verified (also after SSO)."""
    from allauth.account.models import EmailAddress

    at = now()
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=at)
    EmailAddress.objects.update_or_create(
        user=invitation.person,
        email=invitation.person.email,
        defaults={"verified": True, "primary": True},
    )
    _record(invitation.person, "invitation.accept", invitation)
