from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest


def _forget_mfa_check(sender: object, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """A removed authenticator must be checked again (RequireTwoFactorMiddleware)."""
    from accounts.middleware import PASSED_KEY

    if request is not None and hasattr(request, "session"):
        request.session.pop(PASSED_KEY, None)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and invitations"

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_removed

        authenticator_removed.connect(_forget_mfa_check, dispatch_uid="accounts_forget_mfa")
