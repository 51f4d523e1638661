"""Organizations that require two-factor authentication send people to set it up first."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

# The session remembers the person whose TOTP authenticator was found, so the check
# costs a query once per session; removing the authenticator forgets it (accounts.apps).
PASSED_KEY = "rapport_mfa_ok"

# Pages a person must reach while two-factor authentication is still missing: setting
# it up (and re-entering the password it asks for), signing out, and their addresses.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/invite/")


def mfa_required_for(user: object) -> bool:
    """Whether the signed-in person's organization requires two-factor authentication."""
    organization = getattr(user, "organization", None)
    return bool(organization is not None and organization.require_mfa)


def has_totp(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    found: bool = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return found


class RequireTwoFactorMiddleware:
    """Sends a person without TOTP to its activation page when their organization requires it.

    People of other organizations cost no query: the organization comes with the person
    (accounts.backends). An htmx request gets a 403 naming the problem (and an
    HX-Redirect to the activation page) instead of a page body swapped into a fragment.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and mfa_required_for(user)
            and request.session.get(PASSED_KEY) != user.pk
            and not request.path.startswith(_ALLOWED_PREFIXES)
        ):
            if has_totp(user):
                request.session[PASSED_KEY] = user.pk
            else:
                return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest) -> HttpResponse:
        activate = reverse("mfa_activate_totp")
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(
                "Your organization requires two-factor authentication: "
                "set it up before you continue.",
                status=403,
                content_type="text/plain; charset=utf-8",
            )
            response["HX-Redirect"] = activate
            return response
        return HttpResponseRedirect(activate)
