"""How django-allauth behaves in Rapport: nobody signs up alone."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # People arrive by invitation, single sign-on or SCIM, never by signing up.
        return False
