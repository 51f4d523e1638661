"""Single sign-on pages: the admin's settings (/org/sso/) and the sign-in entry (/sso/)."""

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.utils import build_absolute_uri
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_http_methods

from lib.http import PersonRequest, safe_next
from people.access import org_admin_of
from people.models import Organization
from sso.forms import SettingsForm, StartForm
from sso.models import SsoConfig, provider_id_for
from sso.services import CheckFailed, sso_config_for_email, sso_config_save, sso_discovery_fetch

logger = logging.getLogger(__name__)


def _domains_url() -> str:
    try:
        return reverse("people:org_settings")
    except NoReverseMatch:
        return reverse("people:org_home")


def callback_url(request: HttpRequest, organization: Organization) -> str:
    """The redirect URI to register at the identity provider, exactly as allauth sends it."""
    path = reverse(
        "openid_connect_callback", kwargs={"provider_id": provider_id_for(organization.uuid.hex)}
    )
    return str(build_absolute_uri(request, path))


def _settings_page(
    request: PersonRequest,
    organization: Organization,
    config: SsoConfig | None,
    form: SettingsForm,
    *,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    context = {
        "organization": organization,
        "config": config,
        "form": form,
        "redirect_uri": callback_url(request, organization),
        "domains": organization.domains(),
        "domains_url": _domains_url(),
        **extra,
    }
    return render(request, "sso/settings.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: PersonRequest) -> HttpResponse:
    """An org admin connects their organization's identity provider."""
    organization = org_admin_of(request.user)
    config = SsoConfig.objects.filter(organization=organization).first()
    has_secret = bool(config and config.has_secret)
    if request.method == "GET":
        initial = (
            {
                "issuer": config.issuer,
                "client_id": config.client_id,
                "enabled": config.enabled,
                "allow_jit": config.allow_jit,
            }
            if config
            else {}
        )
        return _settings_page(
            request, organization, config, SettingsForm(initial=initial, has_secret=has_secret)
        )
    form = SettingsForm(request.POST, has_secret=has_secret)
    if request.POST.get("action") == "check":
        return _check(request, organization, config, form)
    if not form.is_valid():
        return _settings_page(request, organization, config, form, status=400)
    data = form.cleaned_data
    try:
        sso_config_save(
            actor=request.user,
            organization=organization,
            issuer=data["issuer"],
            client_id=data["client_id"],
            client_secret=data["client_secret"] or None,
            enabled=data["enabled"],
            allow_jit=data["allow_jit"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _settings_page(request, organization, config, form, status=400)
    messages.success(request, "Single sign-on settings saved.")
    return redirect("sso:settings")


def _check(
    request: PersonRequest, organization: Organization, config: SsoConfig | None, form: SettingsForm
) -> HttpResponse:
    """Fetch the typed (or saved) issuer's discovery document and show what it says."""
    form.is_valid()  # only to show the fields again; nothing is saved
    issuer = form.cleaned_data.get("issuer") or (config.issuer if config else "")
    if "issuer" in form.errors or not issuer:
        return _settings_page(request, organization, config, form, status=400)
    try:
        discovery = sso_discovery_fetch(issuer)
    except CheckFailed as failed:
        return _settings_page(request, organization, config, form, check_error=str(failed))
    return _settings_page(request, organization, config, form, discovery=discovery)


def _forms_may_leave(
    view: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Let this page's form end at the identity provider.

    Browsers apply CSP form-action to where a form submission is redirected, and the
    POST of /sso/ is redirected to the provider's origin, which the page cannot know
    before the address is typed. The page holds nothing but that address, so it may
    submit towards any https origin (http too where private URLs are allowed).
    """

    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        response = view(request)
        schemes = ["https:", "http:"] if settings.RAPPORT_ALLOW_PRIVATE_URLS else ["https:"]
        config: dict[str, Any] = {**settings.SECURE_CSP, "form-action": [CSP.SELF, *schemes]}
        overridden: HttpResponse = csp_override(config)(lambda _request: response)(request)
        return overridden

    return wrapped


@require_http_methods(["GET", "POST"])
@_forms_may_leave
def start_view(request: HttpRequest) -> HttpResponse:
    """Sign in with single sign-on: the work email's domain picks the organization."""
    if request.method == "GET":
        form = StartForm(initial={"email": request.GET.get("email", "")[:254]})
        return _start_page(request, form)
    form = StartForm(request.POST)
    if not form.is_valid():
        return _start_page(request, form, status=400)
    email = form.cleaned_data["email"]
    config = sso_config_for_email(email)
    if config is None:
        # Says only that this domain has no SSO, nothing about who has an account.
        form.add_error(
            "email",
            "No organization uses single sign-on for this address. "
            "Sign in with your password instead, or ask your administrator.",
        )
        return _start_page(request, form, status=400)
    provider = get_adapter(request).get_provider(request, config.provider_id)
    try:
        response: HttpResponse = provider.redirect(
            request,
            process="login",
            next_url=safe_next(request),
            auth_params={"login_hint": email},
        )
    except requests.RequestException as exc:
        logger.warning(
            "SSO issuer of organization %s unreachable: %s",
            config.organization_id,
            type(exc).__name__,
        )
        form.add_error(
            None,
            f"{config.organization.name}'s identity provider cannot be reached right now. "
            "Try again in a moment, or sign in with your password.",
        )
        return _start_page(request, form, status=502)
    return response


def _start_page(request: HttpRequest, form: StartForm, *, status: int = 200) -> HttpResponse:
    next_url = request.GET.get("next") or request.POST.get("next", "")
    return render(request, "sso/start.html", {"form": form, "next": next_url}, status=status)
