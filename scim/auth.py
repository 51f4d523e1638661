"""Bearer-token authentication for the SCIM API."""

from datetime import timedelta

from django.http import HttpRequest
from django.utils.timezone import now

from lib.secrets import digests_match, token_digest
from people.models import Organization
from scim.errors import ScimError
from scim.models import ScimToken

# last_used_at is written at most this often, so a sync of thousands of calls does not
# write the token row on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def authenticate(request: HttpRequest) -> Organization:
    """The organization whose token the request carries; 401 otherwise.

    The token is looked up by its digest and compared in constant time; it is never
    stored, logged or echoed.
    """
    header = request.headers.get("Authorization", "")
    scheme, _, presented = header.partition(" ")
    presented = presented.strip()
    if scheme.lower() != "bearer" or not presented or len(presented) > 200:
        raise ScimError(401, "Authentication required: send Authorization: Bearer <token>.")
    token = (
        ScimToken.objects.usable()
        .filter(token_digest=token_digest(presented))
        .select_related("organization")
        .first()
    )
    if token is None or not digests_match(presented, token.token_digest):
        raise ScimError(401, "The token is not valid, or was revoked.")
    at = now()
    if token.last_used_at is None or at - token.last_used_at > LAST_USED_RESOLUTION:
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=at)
    return token.organization
