"""Authentication backends that load a person together with their organization.

Every signed-in request needs `request.user.organization` (whether the organization
requires two-factor authentication, and most pages' own scoping): loading it in the
same query as the person keeps that check free.
"""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from people.models import Person


def _person(user_id: Any) -> Person | None:
    try:
        return Person.objects.select_related("organization").get(pk=user_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        return None


class AuthenticationBackend(AllauthBackend):  # type: ignore[misc]
    """allauth's email-and-password backend; sessions it starts load the organization too."""

    def get_user(self, user_id: Any) -> Person | None:
        person = _person(user_id)
        return person if person is not None and self.user_can_authenticate(person) else None


class ModelBackend(DjangoModelBackend):
    """Django's backend (the admin site's sign-in), loading the organization like the above."""

    def get_user(self, user_id: Any) -> Person | None:
        person = _person(user_id)
        return person if person is not None and self.user_can_authenticate(person) else None
