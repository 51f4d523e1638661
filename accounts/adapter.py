"""How django-allauth behaves in Rapport: nobody signs up alone, and messages in Rapport's voice."""

import time
from io import BytesIO
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest

from lib.secrets import decrypt, encrypt

# One message for an unknown address, a wrong password and a person who has left, so
# the sign-in page never tells who has an account here.
SIGN_IN_REFUSED = (
    "That email address and password do not match an active Rapport account. "
    "Check them and try again; if you have left your organization or still cannot "
    "sign in, ask your organization's admin."
)


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": SIGN_IN_REFUSED,
        "account_inactive": SIGN_IN_REFUSED,
        "too_many_login_attempts": (
            "Too many failed sign-in attempts for this account. For your safety, wait "
            "five minutes before you try again, or reset your password."
        ),
        "rate_limited": "Too many requests in a short time: wait a minute and try again.",
    }

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Hand allauth's emails (password reset, confirmation…) to the worker.

        The request never waits for the mail server, and a message is retried until
        it is delivered; its failure shows in the delivery log.
        """
        from notifications.emails import message_queue
        from people.models import Person

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html = next(
            (
                str(body)
                for body, mime in getattr(message, "alternatives", [])
                if mime == "text/html"
            ),
            "",
        )
        person = Person.objects.filter(email__iexact=email).only("pk", "organization_id").first()
        message_queue(
            to=list(message.to),
            subject=str(message.subject),
            text=str(message.body),
            html=html,
            organization_id=person.organization_id if person else None,
            person_id=person.pk if person else None,
            summary=template_prefix.rsplit("/", 1)[-1].replace("_", " ").capitalize(),
        )

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # People arrive by invitation, single sign-on or SCIM, never by signing up.
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Signing in within the reauthentication timeout counts as having just confirmed it.

        Otherwise someone who just signed in (or whose organization just sent them to
        set up two-factor authentication) would be asked for their password again.
        """
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = getattr(self, "request", None)
        if request is None or not request.user.is_authenticated:
            return True
        records = get_authentication_records(request, request.user)
        timeout = account_settings.REAUTHENTICATION_TIMEOUT
        return not any(time.time() - record.get("at", 0) < timeout for record in records)

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        """Refuse a person who has left exactly like a wrong password (no "inactive" page)."""
        user: AbstractBaseUser | None = super().authenticate(request, **credentials)
        if user is not None and not user.is_active:
            return None
        return user


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": (
            "Your organization requires two-factor authentication, so it cannot be "
            "turned off. You can download new recovery codes instead."
        ),
        "incorrect_code": "That code is not right. Enter the current 6-digit code from your app.",
        "unverified_email": (
            "Confirm your email address first: Rapport sends the confirmation link from "
            "the Email page of your account."
        ),
    }

    def build_totp_svg(self, url: str) -> str:
        """The QR code on a white background, so phones can scan it in dark mode too."""
        import qrcode  # type: ignore[import-untyped]
        from qrcode.image.svg import SvgPathFillImage  # type: ignore[import-untyped]

        buffer = BytesIO()
        qrcode.make(url, image_factory=SvgPathFillImage).save(buffer)
        return buffer.getvalue().decode()

    def encrypt(self, text: str) -> str:
        """TOTP secrets and recovery-code seeds are stored encrypted (lib/secrets.py)."""
        return encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt(encrypted_text)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        organization = getattr(authenticator.user, "organization", None)
        return not (
            authenticator.type == Authenticator.Type.TOTP
            and organization is not None
            and organization.require_mfa
        )
