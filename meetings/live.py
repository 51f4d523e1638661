"""Which shared version an open relationship page may adopt after its own write.

An open page polls with the shared version it has rendered and gets fresh parts when
the version moved. When the page itself made the only change since that version, the
response to its write already holds the new parts, so it may adopt the new version
instead of fetching its own change back (which would also close any menu left open).

`bump_shared` calls `note_bump` with the version its own update produced; the middleware
tells a successful (2xx) htmx write "prior new" in the X-Rapport-Version header when its
bumps form one unbroken run for one relationship. A write that fails after bumping rolls
back and answers 4xx, so it never reports a version that did not stick. The page adopts
`new` only if it was showing `prior`.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Rapport-Version"

# (relationship pk, version after the bump), in order, for the current request.
_bumps: ContextVar[list[tuple[int, int]] | None] = ContextVar("rapport_bumps", default=None)


def note_bump(relationship_pk: int, new_version: int) -> None:
    """Record a bump made by the current request."""
    bumps = _bumps.get()
    if bumps is not None:
        bumps.append((relationship_pk, new_version))


def version_header(bumps: list[tuple[int, int]]) -> str | None:
    """ "prior new" when the bumps are one relationship's consecutive versions, else None."""
    if not bumps or len({pk for pk, _ in bumps}) != 1:
        return None
    versions = [version for _, version in bumps]
    if versions != list(range(versions[0], versions[0] + len(versions))):
        return None
    return f"{versions[0] - 1} {versions[-1]}"


def mark_incomplete(response: HttpResponse) -> None:
    """This write's response does not hold all it changed: let the page poll for the rest."""
    response.rapport_incomplete = True  # type: ignore[attr-defined]


class LiveVersionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _bumps.set([])
        try:
            response = self.get_response(request)
            header = version_header(_bumps.get() or [])
        finally:
            _bumps.reset(token)
        is_htmx = request.headers.get("HX-Request") == "true"
        complete = not getattr(response, "rapport_incomplete", False)
        if header is not None and is_htmx and complete and 200 <= response.status_code < 300:
            response[HEADER] = header
        return response
