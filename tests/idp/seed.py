"""Create the test provider's database: its users and Rapport as a registered client.

Run as `python -m tests.idp.seed <redirect uri> [<redirect uri> ...]` with
DJANGO_SETTINGS_MODULE=tests.idp.settings (tests/sso/conftest.py does).
"""

import sys

import django

# Every user signs in at the provider with this password; the user name is the address.
PASSWORD = "idp password"
CLIENT_ID = "rapport-test-client"
CLIENT_SECRET = "rapport-test-client-secret"

# (address, first name, last name, verified by the provider)
USERS = [
    ("ravi@acme.test", "Ravi", "Report", True),
    ("newbie@acme.test", "Nina", "Newcomer", True),
    ("leaver@acme.test", "Lee", "Leaver", True),
    ("moved@acme.test", "Mo", "Moved", True),
    ("stranger@elsewhere.test", "Sam", "Stranger", True),
    ("unverified@acme.test", "Una", "Unverified", False),
]


def seed(redirect_uris: list[str]) -> None:
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    from tests.idp.validator import UNVERIFIED_GROUP

    call_command("migrate", verbosity=0)
    unverified, _ = Group.objects.get_or_create(name=UNVERIFIED_GROUP)
    for email, first, last, verified in USERS:
        user = User.objects.create_user(
            username=email, email=email, password=PASSWORD, first_name=first, last_name=last
        )
        if not verified:
            user.groups.add(unverified)
    Application.objects.create(
        name="Rapport",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(redirect_uris),
        skip_authorization=True,
        algorithm=Application.RS256_ALGORITHM,
    )


if __name__ == "__main__":
    django.setup()
    seed(sys.argv[1:])
