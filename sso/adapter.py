"""How django-allauth's social login behaves in Rapport (per-organization OpenID Connect).

Each organization's single sign-on is one allauth OpenID Connect app whose provider id is
"org-<organization uuid hex>". The apps are built from SsoConfig on the fly and never
saved to allauth's SocialApp table, so client secrets stay encrypted in one place. The
login flow is allauth's; this adapter decides who may come in (sso.services.sso_decide)
and never shows allauth's signup form.
"""

import logging
from typing import Any

import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lib.secrets import UndecryptableSecret, decrypt
from people.models import Person
from sso.models import PROVIDER_PREFIX, SsoConfig
from sso.services import (
    Refused,
    enabled_config,
    name_from_claims,
    sso_decide,
    sso_person_connected,
    sso_person_create,
    validate_outgoing_url,
)

logger = logging.getLogger(__name__)

OIDC = "openid_connect"


def social_app(config: SsoConfig) -> SocialApp:
    """The unsaved allauth app of an organization's single sign-on."""
    try:
        secret = decrypt(config.client_secret_encrypted) if config.client_secret_encrypted else ""
    except UndecryptableSecret:
        # The key changed: the provider will refuse the empty secret and the person sees
        # the connection error page; the admin must enter the secret again.
        logger.warning(
            "SSO client secret of organization %s cannot be decrypted", config.organization_id
        )
        secret = ""
    return SocialApp(
        provider=OIDC,
        provider_id=config.provider_id,
        name=f"{config.organization.name} single sign-on",
        client_id=config.client_id,
        secret=secret,
        settings={
            "server_url": config.issuer,
            # PKCE as well as the client secret: a stolen authorization code is useless.
            "oauth_pkce_enabled": True,
        },
    )


def _claims(sociallogin: SocialLogin) -> dict[str, Any]:
    """The identity provider's claims: userinfo first (it has more), else the ID token's."""
    data = sociallogin.account.extra_data or {}
    picked = data.get("userinfo") or data.get("id_token") or {}
    if isinstance(data.get("id_token"), dict) and picked is not data["id_token"]:
        # A claim only the ID token carries (Entra's xms_edov) still counts.
        return {**data["id_token"], **picked}
    return dict(picked)


def refusal_page(request: HttpRequest, message: str, *, status: int = 403) -> HttpResponse:
    return render(request, "sso/refused.html", {"message": message}, status=status)


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    def list_apps(
        self, request: HttpRequest | None, provider: str | None = None, client_id: str | None = None
    ) -> list[SocialApp]:
        # Organizations' apps are found only by their own provider id: listing every
        # provider (allauth's login page does) must not reveal which companies use Rapport.
        if provider and provider.startswith(PROVIDER_PREFIX):
            config = enabled_config(provider)
            if config is None or (client_id and client_id != config.client_id):
                return []
            return [social_app(config)]
        apps: list[SocialApp] = super().list_apps(request, provider=provider, client_id=client_id)
        return apps

    def get_requests_session(self) -> requests.Session:
        """allauth's HTTP session, refusing private addresses and redirects.

        The issuer was checked when saved, but its discovery document names the token,
        userinfo and key URLs Rapport then calls: each is checked before it is sent.
        """
        session: requests.Session = super().get_requests_session()
        send = session.request

        def guarded(method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:
            try:
                validate_outgoing_url(url)
            except ValidationError as exc:
                raise requests.exceptions.InvalidURL(exc.messages[0]) from exc
            kwargs["allow_redirects"] = False
            response: requests.Response = send(method, url, *args, **kwargs)
            return response

        session.request = guarded  # type: ignore[method-assign,assignment]
        return session

    def _config(self, sociallogin: SocialLogin) -> SsoConfig | None:
        return enabled_config(sociallogin.account.provider)

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Let the login through only as the right person of the provider's organization."""
        config = self._config(sociallogin)
        if config is None:
            raise ImmediateHttpResponse(
                refusal_page(request, "Single sign-on is not available for this organization.")
            )
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            # Accounts are connected by signing in with SSO, which checks the address;
            # attaching a provider account to whoever is signed in would skip that.
            raise ImmediateHttpResponse(
                refusal_page(
                    request, "Sign out first, then sign in with single sign-on to connect it."
                )
            )
        linked = sociallogin.user if sociallogin.is_existing else None
        try:
            decision = sso_decide(config=config, claims=_claims(sociallogin), linked=linked)
        except Refused as refused:
            logger.info(
                "SSO login refused for organization %s: %s", config.organization_id, refused.reason
            )
            raise ImmediateHttpResponse(refusal_page(request, refused.message)) from refused
        if decision.person is not None and not sociallogin.is_existing:
            with transaction.atomic():
                sociallogin.connect(request, decision.person)
                sso_person_connected(person=decision.person)
        elif decision.person is not None:
            sso_person_connected(person=decision.person)

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        # pre_social_login already refused everyone who may not be created just in time.
        config = self._config(sociallogin)
        return bool(config and config.allow_jit)

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        # allauth's signup form never appears: the provider vouches for name and address.
        return True

    def populate_user(
        self, request: HttpRequest, sociallogin: SocialLogin, data: dict[str, Any]
    ) -> Person:
        user: Person = sociallogin.user
        email = data.get("email") or ""
        user.email = email.strip().lower()
        user.name = name_from_claims(data, user.email) if user.email else ""
        return user

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Person:
        """Create the person just in time, in the provider's organization only."""
        config = self._config(sociallogin)
        if config is None or not config.allow_jit:
            raise ImmediateHttpResponse(
                refusal_page(request, "Single sign-on is not available for this organization.")
            )
        claims = _claims(sociallogin)
        try:
            # Decided in pre_social_login already; checked again where the row is written.
            decision = sso_decide(config=config, claims=claims, linked=None)
        except Refused as refused:
            raise ImmediateHttpResponse(refusal_page(request, refused.message)) from refused
        with transaction.atomic():
            person = sso_person_create(config=config, email=decision.email, claims=claims)
            sociallogin.user = person
            # Saves the connection and the verified address (the provider vouched for it).
            sociallogin.save(request)
        return person

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: str | None = None,
        exception: BaseException | None = None,
        extra_context: dict[str, Any] | None = None,
    ) -> None:
        """Show what went wrong in words, and log the kind of failure (never a secret)."""
        if error == "cancelled":
            return  # allauth's "sign-in cancelled" page
        logger.warning(
            "SSO authentication error with %s: %s %s",
            getattr(getattr(provider, "app", None), "provider_id", "?"),
            error,
            type(exception).__name__ if exception else "",
        )
        raise ImmediateHttpResponse(
            render(request, "sso/error.html", {"provider": provider}, status=400)
        )
