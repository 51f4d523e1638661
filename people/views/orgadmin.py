from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path


def _placeholder(request: HttpRequest) -> HttpResponse:
    # Replaced by the real view while issue 4 is built.
    raise Http404("Not built yet.")


urlpatterns = [path("org/", _placeholder, name="org_home")]
