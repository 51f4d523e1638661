"""A per-viewer cache of the heavy part of the relationship page and of My 1:1s.

The part a view caches is keyed by everything it shows that can change: the viewer,
the relationship's shared version and the viewer's own private version (every write
bumps one of them, see services/common.py), the viewer's time zone, the page and
search, and the viewer's CSRF secret (the forms inside carry a token). What changes
with the clock alone (the meeting that is "next", overdue marks) or outside the 1:1
(a name, the organization's templates) shows within RAPPORT_PAGE_CACHE_SECONDS.

The entry is only ever served to the same viewer after the access helper has let
them in, so a cached page can hold what only that viewer may read. Each process
keeps its own cache in memory (Django's local-memory backend); nothing goes to disk.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from lib.http import PersonRequest

ALIAS = "pages"


def _digest(value: str) -> str:
    return hashlib.blake2b(value.encode(), digest_size=12).hexdigest()


def viewer_key(request: PersonRequest, kind: str, *parts: object) -> str:
    """The key of one viewer's `kind` part, from the versions and inputs in `parts`."""
    get_token(request)  # makes sure the CSRF secret exists before we key on it
    secret = str(request.META.get("CSRF_COOKIE", ""))
    fields = [
        kind,
        str(request.user.pk),
        timezone.get_current_timezone_name(),
        _digest(secret),
        *(str(part) for part in parts),
    ]
    return _digest("|".join(fields))


def cached_part(
    request: PersonRequest, key: str, template: str, context: Callable[[], dict[str, Any]]
) -> SafeString:
    """The rendered `template` for this key, rendering (and keeping) it on a miss."""
    timeout = settings.RAPPORT_PAGE_CACHE_SECONDS
    cache = caches[ALIAS]
    html = cache.get(key) if timeout else None
    if html is None:
        html = render_to_string(template, context(), request=request)
        if timeout:
            cache.set(key, html, timeout)
    return mark_safe(html)  # noqa: S308 - our own template output
