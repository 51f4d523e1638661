"""Small helpers shared by views."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from people.models import Person


class PersonRequest(HttpRequest):
    """A request from a signed-in person (after @login_required), with htmx details."""

    user: Person
    htmx: HtmxDetails


def safe_next(request: HttpRequest) -> str | None:
    """The posted `next` if it is a path on this host, else None."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def no_content() -> HttpResponse:
    return HttpResponse(status=204)


def no_swap() -> HttpResponse:
    """A successful htmx answer that changes nothing on the page (the form still resets)."""
    response = HttpResponse(status=200)
    response["HX-Reswap"] = "none"
    return response


def attempt(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run a service call for a plain form post; tell the person how it went."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, success)
    return True
