"""The SCIM settings page: the base URL and the organization's bearer tokens.

Only an org admin reaches it, for their own organization (404 for anyone else). A new
token is shown once, in the response to the POST that made it, and never again.
"""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from lib.http import PersonRequest
from people.access import org_admin_of
from people.models import Organization
from scim.models import ScimToken
from scim.services import ROTATION_GRACE, CreatedToken, token_create, token_revoke, token_rotate


def _render(
    request: PersonRequest, organization: Organization, created: CreatedToken | None = None
) -> HttpResponse:
    tokens = list(
        ScimToken.objects.filter(organization=organization).select_related("created_by")[:20]
    )
    return render(
        request,
        "scim/settings.html",
        {
            "organization": organization,
            # Without the trailing slash: clients append "/Users" to it.
            "base_url": request.build_absolute_uri(reverse("scim:root")).rstrip("/"),
            "tokens": tokens,
            "has_usable": any(token.is_usable() for token in tokens),
            "created": created,
            "grace_minutes": int(ROTATION_GRACE.total_seconds() // 60),
        },
    )


@login_required
@require_GET
def settings_page(request: PersonRequest) -> HttpResponse:
    """The base URL to give the identity provider, and the tokens with their last use."""
    return _render(request, org_admin_of(request.user))


@login_required
@require_POST
def token_create_view(request: PersonRequest) -> HttpResponse:
    """A new token, shown once on the page this POST answers with."""
    organization = org_admin_of(request.user)
    created = token_create(actor=request.user, organization=organization)
    return _render(request, organization, created)


@login_required
@require_POST
def token_rotate_view(request: PersonRequest) -> HttpResponse:
    """A new token; the old ones stop at once, or after the grace period if asked."""
    organization = org_admin_of(request.user)
    created = token_rotate(
        actor=request.user, organization=organization, grace=request.POST.get("grace") == "on"
    )
    return _render(request, organization, created)


@login_required
@require_POST
def token_revoke_view(request: PersonRequest, token_uuid: UUID) -> HttpResponse:
    """The token stops working at once."""
    organization = org_admin_of(request.user)
    token = ScimToken.objects.filter(organization=organization, uuid=token_uuid).first()
    if token is None:
        raise Http404("No such token.")
    token_revoke(actor=request.user, token=token)
    messages.success(request, f"Token {token.prefix}… revoked: it no longer works.")
    return redirect("scim:settings")
