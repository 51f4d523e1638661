"""Accepting an invitation, and the signed-in person's account and security hub."""

from allauth.account.models import EmailAddress
from allauth.account.utils import perform_login
from allauth.mfa.models import Authenticator
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import InvitationPasswordForm
from accounts.services import invitation_accept, invitation_by_token
from lib.http import PersonRequest


@login_required
@require_GET
def security(request: PersonRequest) -> HttpResponse:
    """One page that leads to everything about signing in: password, email, 2FA, sessions."""
    person = request.user
    kinds = set(Authenticator.objects.filter(user=person).values_list("type", flat=True))
    verified = EmailAddress.objects.filter(user=person, email__iexact=person.email, verified=True)
    context = {
        "has_totp": Authenticator.Type.TOTP in kinds,
        "email_verified": verified.exists(),
    }
    return render(request, "accounts/security.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: the invitee chooses a password and is signed in.

    Unknown, used, revoked and expired links all answer the same 404. Signing in goes
    through allauth's login flow, so two-factor authentication (and an organization's
    requirement of it) applies as for any sign-in.
    """
    invitation = invitation_by_token(token)
    if invitation is None:
        return render(request, "accounts/invite_invalid.html", status=404)
    person = invitation.person
    form = InvitationPasswordForm(person, request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            invitation_accept(invitation=invitation, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            response: HttpResponse = perform_login(
                request, person, email_verification="none", redirect_url=reverse("meetings:home")
            )
            return response
    organization = invitation.organization
    context = {
        "invitation": invitation,
        "person": person,
        "organization": organization,
        "form": form,
        "sso_url": reverse("sso:start") if organization.domains() else "",
    }
    return render(request, "accounts/invite.html", context)
