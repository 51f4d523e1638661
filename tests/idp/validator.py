"""Which claims the test provider releases about a user."""

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

# Users in this group have an address the provider has not verified.
UNVERIFIED_GROUP = "unverified"


class Validator(OAuth2Validator):  # type: ignore[misc]
    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "email": user.email,
            "email_verified": not user.groups.filter(name=UNVERIFIED_GROUP).exists(),
            "name": user.get_full_name(),
            "given_name": user.first_name,
            "family_name": user.last_name,
        }
