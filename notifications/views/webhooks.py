"""Webhook pages: a person's own under /account/webhooks/, the organization's under /org/webhooks/.

Both sets share one implementation through a `Scope` (whose webhooks, which frame,
which URL names). Webhooks and deliveries load only through `_webhook` and
`_delivery`, scoped to the owner: anyone else's answer 404, like a missing one. The
organization's pages exist only for its admins (people.access.org_admin_of).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lib.http import PersonRequest
from notifications.forms_webhooks import WebhookForm
from notifications.models import Delivery, Webhook
from notifications.webhooks import (
    MAX_ORG_WEBHOOKS,
    MAX_PERSON_WEBHOOKS,
    secret_hint,
    webhook_create,
    webhook_delete,
    webhook_delivery_resend,
    webhook_secret_regenerate,
    webhook_test,
    webhook_update,
)
from people.access import org_admin_of
from people.models import Organization, Person

RECENT_DELIVERIES = 25


@dataclass(frozen=True)
class Scope:
    """Whose webhooks a page shows: a person's own, or their organization's (person None)."""

    organization: Organization
    person: Person | None
    prefix: str  # of the URL names: "" or "org_"
    frame: str
    title: str
    limit: int

    def url_name(self, name: str) -> str:
        return f"notifications:{self.prefix}{name}"

    @property
    def names(self) -> dict[str, str]:
        return {
            name: self.url_name(name)
            for name in (
                "webhooks",
                "webhook_new",
                "webhook",
                "webhook_delete",
                "webhook_test",
                "webhook_secret",
                "delivery_resend",
            )
        }


def _own(request: PersonRequest) -> Scope:
    person = request.user
    if person.organization is None:
        raise Http404("No such page.")
    return Scope(
        organization=person.organization,
        person=person,
        prefix="",
        frame="notifications/webhook_frame.html",
        title="My webhooks",
        limit=MAX_PERSON_WEBHOOKS,
    )


def _org(request: PersonRequest) -> Scope:
    return Scope(
        organization=org_admin_of(request.user),
        person=None,
        prefix="org_",
        frame="notifications/webhook_frame_org.html",
        title="Organization webhooks",
        limit=MAX_ORG_WEBHOOKS,
    )


def _webhook(scope: Scope, webhook_uuid: UUID) -> Webhook:
    """A webhook of this scope's owner; 404 for anyone else's."""
    webhook = Webhook.objects.filter(
        uuid=webhook_uuid, organization=scope.organization, person=scope.person
    ).first()
    if webhook is None:
        raise Http404("No such webhook.")
    return webhook


def _delivery(scope: Scope, delivery_uuid: UUID) -> Delivery:
    """A delivery to a webhook of this scope's owner; 404 for anyone else's."""
    delivery = (
        Delivery.objects.filter(
            uuid=delivery_uuid,
            channel=Delivery.Channel.WEBHOOK,
            webhook__organization=scope.organization,
            webhook__person=scope.person,
        )
        .select_related("webhook")
        .first()
    )
    if delivery is None or delivery.webhook is None:
        raise Http404("No such delivery.")
    return delivery


def _form_errors(form: WebhookForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _page(
    request: PersonRequest,
    scope: Scope,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        f"notifications/{template}",
        {"scope": scope, "names": scope.names, "frame": scope.frame, **context},
        status=status,
    )


def _list_context(scope: Scope, form: WebhookForm) -> dict[str, Any]:
    webhooks = list(Webhook.objects.filter(organization=scope.organization, person=scope.person))
    return {"webhooks": webhooks, "form": form, "full": len(webhooks) >= scope.limit}


def _detail(
    request: PersonRequest,
    scope: Scope,
    webhook: Webhook,
    *,
    form: WebhookForm | None = None,
    secret: str = "",
    status: int = 200,
) -> HttpResponse:
    deliveries = Delivery.objects.filter(webhook=webhook).order_by("-created_at", "-pk")[
        :RECENT_DELIVERIES
    ]
    return _page(
        request,
        scope,
        "webhook.html",
        {
            "webhook": webhook,
            "form": form or WebhookForm.for_webhook(webhook),
            "secret": secret,
            "secret_hint": "" if secret else secret_hint(webhook),
            "deliveries": list(deliveries),
        },
        status=status,
    )


# The views, written once for both scopes ---------------------------------------------


def list_page(request: PersonRequest, scope: Scope) -> HttpResponse:
    """The webhooks of the scope's owner, and the form to add one."""
    form = WebhookForm(show_active=False)
    return _page(request, scope, "webhooks.html", _list_context(scope, form))


def new_page(request: PersonRequest, scope: Scope) -> HttpResponse:
    """Add a webhook; a signed one shows its new secret on the answer, once."""
    form = WebhookForm(request.POST or None, show_active=False)
    if request.method == "POST" and form.is_valid():
        try:
            webhook, secret = webhook_create(
                actor=request.user,
                organization=scope.organization,
                person=scope.person,
                data=form.input(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"The webhook “{webhook.name}” was added.")
            if secret:
                return _detail(request, scope, webhook, secret=secret)
            return redirect(scope.url_name("webhook"), webhook.uuid)
    status = 400 if form.errors else 200
    return _page(request, scope, "webhook_new.html", _list_context(scope, form), status=status)


def detail_page(request: PersonRequest, scope: Scope, webhook_uuid: UUID) -> HttpResponse:
    """A webhook's settings and its recent deliveries; POST saves the settings."""
    webhook = _webhook(scope, webhook_uuid)
    if request.method != "POST":
        return _detail(request, scope, webhook)
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            webhook, secret = webhook_update(actor=request.user, webhook=webhook, data=form.input())
        except ValidationError as exc:
            _form_errors(form, exc)
            webhook = _webhook(scope, webhook_uuid)  # show what is stored, not the refused input
        else:
            messages.success(request, "Your changes were saved.")
            if secret:
                return _detail(request, scope, webhook, secret=secret)
            return redirect(scope.url_name("webhook"), webhook.uuid)
    return _detail(request, scope, webhook, form=form, status=400)


def delete_page(request: PersonRequest, scope: Scope, webhook_uuid: UUID) -> HttpResponse:
    """Ask, then delete a webhook with its delivery log."""
    webhook = _webhook(scope, webhook_uuid)
    if request.method == "POST":
        webhook_delete(actor=request.user, webhook=webhook)
        messages.success(request, f"The webhook “{webhook.name}” was deleted.")
        return redirect(scope.url_name("webhooks"))
    return _page(request, scope, "webhook_delete.html", {"webhook": webhook})


def send_test_action(request: PersonRequest, scope: Scope, webhook_uuid: UUID) -> HttpResponse:
    """Queue a test message; the worker sends it and the log shows the answer."""
    webhook = _webhook(scope, webhook_uuid)
    if not webhook.is_active:
        messages.error(request, "Turn the webhook on before sending a test message.")
    else:
        webhook_test(actor=request.user, webhook=webhook)
        messages.success(request, "A test message is on its way; its result appears below.")
    return redirect(scope.url_name("webhook"), webhook.uuid)


def secret_action(request: PersonRequest, scope: Scope, webhook_uuid: UUID) -> HttpResponse:
    """Replace the signing secret and show the new one, once."""
    webhook = _webhook(scope, webhook_uuid)
    try:
        secret = webhook_secret_regenerate(actor=request.user, webhook=webhook)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(scope.url_name("webhook"), webhook.uuid)
    messages.success(request, "A new secret was made; the old one no longer verifies.")
    return _detail(request, scope, webhook, secret=secret)


def resend_action(request: PersonRequest, scope: Scope, delivery_uuid: UUID) -> HttpResponse:
    """Send a delivery again, as a new delivery with a new id."""
    delivery = _delivery(scope, delivery_uuid)
    assert delivery.webhook is not None
    webhook_delivery_resend(actor=request.user, delivery=delivery)
    messages.success(request, "It is being sent again, as a new delivery.")
    return redirect(scope.url_name("webhook"), delivery.webhook.uuid)


# URL wiring: one decorated view per scope and page -----------------------------------

View = Callable[..., HttpResponse]


def _bind(
    implementation: View, scope_of: Callable[[PersonRequest], Scope], methods: list[str]
) -> View:
    if methods == ["GET"]:
        method_guard = require_GET
    elif methods == ["POST"]:
        method_guard = require_POST
    else:
        method_guard = require_http_methods(methods)

    @login_required
    @method_guard
    def view(request: PersonRequest, **kwargs: Any) -> HttpResponse:
        return implementation(request, scope_of(request), **kwargs)

    view.__name__ = f"{implementation.__name__}_{scope_of.__name__.strip('_')}"
    view.__doc__ = implementation.__doc__
    return view


GET_POST = ["GET", "POST"]


def _patterns(base: str, prefix: str, scope_of: Callable[[PersonRequest], Scope]) -> list[URLPattern]:  # fmt: skip
    hook = base + "<uuid:webhook_uuid>/"
    return [
        path(base, _bind(list_page, scope_of, ["GET"]), name=f"{prefix}webhooks"),
        path(base + "new/", _bind(new_page, scope_of, GET_POST), name=f"{prefix}webhook_new"),
        path(hook, _bind(detail_page, scope_of, GET_POST), name=f"{prefix}webhook"),
        path(
            hook + "delete/", _bind(delete_page, scope_of, GET_POST), name=f"{prefix}webhook_delete"
        ),
        path(
            hook + "test/",
            _bind(send_test_action, scope_of, ["POST"]),
            name=f"{prefix}webhook_test",
        ),
        path(
            hook + "secret/",
            _bind(secret_action, scope_of, ["POST"]),
            name=f"{prefix}webhook_secret",
        ),
        path(
            base + "deliveries/<uuid:delivery_uuid>/again/",
            _bind(resend_action, scope_of, ["POST"]),
            name=f"{prefix}delivery_resend",
        ),
    ]


urlpatterns: list[URLPattern] = [
    *_patterns("account/webhooks/", "", _own),
    *_patterns("org/webhooks/", "org_", _org),
]
