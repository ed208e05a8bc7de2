"""The published report served like static files to people who are not signed in.

On publication day a local paper links the report and hundreds of residents open it at once.
Their pages are the same for everyone and built from the published edition alone, which never
changes (reporting/models.py Edition). So an anonymous request is answered from the cache: one
query to find the assessment and its edition, none to build the page. The `ETag` comes from the
edition (its sha256 and status, the latest published edition, the page's address and the
release), so a conditional request is answered `304 Not Modified` before anything is rendered.
`Cache-Control: public` with a short max-age lets a proxy or CDN in front absorb a spike;
`Vary: Cookie` keeps a signed-in reader's page (which differs by user) out of them.

Where the cache is shared by every process (Redis), `PublicPageMiddleware`, just inside
WhiteNoise, answers a request without a session cookie before the session, user, CSRF and CSP
middleware, with one query: that the stored page's edition is still the one the address shows.
A take-down clears the assessment's public edition in the database, so the next request, in any
process, whatever the cache holds (even a cache restored from an old snapshot), misses and gets
the taken-down page. With a per-process cache it stands aside, and the decorator's own query
does the same.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage import default_storage
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag

from assessments.core.cache_version import KEEP
from assessments.core.models import Assessment
from assessments.core.selectors import assessment_by_url
from assessments.reporting.editions import readable_edition
from assessments.reporting.models import Edition

# How many public pages a process keeps unpickled (a chapter page is 30 to 100 kB).
RECENT_PAGES = 64
# Short, so that a proxy in front re-asks soon after republishing or taking down; the answer is
# then a 304 or a cached page, cheap either way.
PUBLIC_MAX_AGE = 60
# Long enough to outlive any release; should it go, the release seems new and pages are sent
# again once, which is harmless.
RELEASE_SEEN_KEPT = 90 * 24 * 60 * 60


@functools.cache
def _release_seen_at(release: str) -> dt.datetime:
    """When this release first answered, the same for every process that shares the cache: the
    pages may have changed then without their data changing."""
    shared = caches["shared"]
    shared.add(f"release-seen:{release}", timezone.now(), timeout=RELEASE_SEEN_KEPT)
    return shared.get(f"release-seen:{release}") or timezone.now()


@dataclass(frozen=True)
class Served:
    """The edition a public address shows, and how it is checked before a stored page is used:
    an address of the assessment shows its public edition while it stays so; an edition's own
    address (`number`) shows that edition while it stays readable, replaced or not."""

    assessment_id: int
    edition_id: int
    edition_status: str
    pinned: bool

    def is_current(self) -> bool:
        """One query: is this still what the address shows?"""
        if self.pinned:
            return _column(Edition, "status", self.edition_id) == self.edition_status
        return _column(Assessment, "public_edition", self.assessment_id) == self.edition_id


def _column(model, field: str, pk: int):
    """One column of one row, in plain SQL: on the public pages' busiest path, building the
    ORM's query cost three times as long as the query itself (docs/benchmarks.md)."""
    quote = connection.ops.quote_name
    table, column = model._meta.db_table, model._meta.get_field(field).column
    sql = f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote('id')} = %s"  # noqa: S608 (names from the models, the value a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    return row[0] if row else None


def _served(assessment: Assessment, number: int | None) -> tuple[Served, Edition] | None:
    edition = assessment.public_edition if number is None else readable_edition(assessment, number)
    if edition is None:
        return None
    served = Served(assessment.pk, edition.pk, edition.status, pinned=number is not None)
    return served, edition


def _stamp(assessment: Assessment, edition: Edition, path: str) -> tuple[str, int]:
    """The page's ETag and last-modified time, from the edition it shows."""
    public = assessment.public_edition
    changed = max(
        public.published_at if public else edition.published_at,
        _release_seen_at(settings.RELEASE),
    )
    # The release too: a deploy that changes a template changes the page (settings.RELEASE);
    # the public edition too: a correction marks the edition it replaces.
    inputs = (
        f"{path}|{edition.sha256}|{edition.status}|{assessment.public_edition_id}"
        f"|{settings.RELEASE}"
    )
    etag = quote_etag(hashlib.sha256(inputs.encode()).hexdigest()[:32])
    return etag, int(changed.timestamp())  # HTTP dates are in whole seconds


def _private(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["Cookie"])
    return response


def carries_personal_state(request: HttpRequest) -> bool:
    """Whether the request brings anything of one person's: a session (even one that ran out)
    or a message left for them. Other cookies (the CSRF token, a browser's own) do not count,
    or they would keep readers from the stored pages on publication day."""
    personal = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)
    return any(name in request.COOKIES for name in personal)


def impersonal(request: HttpRequest) -> HttpRequest:
    """The request as anybody would make it: no cookies, nobody signed in, an empty session that
    is never saved, no messages and no CSRF token to print. A page stored for everyone is
    rendered from this, so nothing of the reader who happened to cause it can be in it."""
    anybody = copy.copy(request)
    anybody.COOKIES = {}
    anybody.META = {
        key: value
        for key, value in request.META.items()
        if key not in ("HTTP_COOKIE", "CSRF_COOKIE", "CSRF_COOKIE_NEEDS_UPDATE")
    }
    anybody.user = AnonymousUser()
    anybody.session = _NoSession()
    anybody._messages = default_storage(anybody)
    return anybody


class _NoSession(SessionBase):
    """A session with nothing in it that refuses to be written."""

    def load(self) -> dict:
        return {}

    def exists(self, session_key) -> bool:
        return False

    def create(self) -> None:
        raise RuntimeError("a page stored for everyone must not write a session")

    save = delete = create


def cached_for_the_public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a published edition's page to anonymous readers from the cache, with 304s.

    A request that carries a session or a message is answered with its own page: it is neither
    served from the cache nor stored, and what is stored is rendered from `impersonal(request)`."""

    @wraps(view)
    def serve(request: HttpRequest, slug: str, year: int, **kwargs) -> HttpResponse:
        # A query string (e.g. "?as=partner") is not cached, so that nobody can fill the cache.
        if (
            request.user.is_authenticated
            or request.method not in ("GET", "HEAD")
            or request.GET
            or carries_personal_state(request)
        ):
            return _private(view(request, slug, year, **kwargs))
        assessment = assessment_by_url(slug, year)
        found = assessment and _served(assessment, kwargs.get("number"))
        if not found:
            return _private(view(request, slug, year, **kwargs))
        served, edition = found
        etag, last_modified = _stamp(assessment, edition, request.path)
        unchanged = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if unchanged is not None:
            return _public(unchanged, etag, last_modified)
        key = f"public-page:{etag}"
        stored = cache.get(key)
        if stored is None:
            response = view(impersonal(request), slug, year, **kwargs)
            if response.status_code != 200:
                return _private(response)
            stored = (response.content, response["Content-Type"])
            cache.set(key, stored, timeout=KEEP)
        content, content_type = stored
        response = _public(HttpResponse(content, content_type=content_type), etag, last_modified)
        response.public_stamp = Stamp(served, etag, last_modified)
        return response

    return serve


@dataclass(frozen=True)
class Stamp:
    """What the middleware needs to keep a public response: what it shows."""

    served: Served
    etag: str
    last_modified: int


@dataclass(frozen=True)
class StoredResponse:
    served: Served
    etag: str
    last_modified: int
    headers: dict
    content: bytes

    def answer(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(self.content, headers=self.headers)
        return get_conditional_response(
            request, etag=self.etag, last_modified=self.last_modified, response=response
        )


class PublicPageMiddleware:
    """Published pages for requests without a session, from the shared cache (see above)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.shared = not isinstance(caches["default"], LocMemCache)
        # The process keeps the pages it answered last too, so that a reader costs the one
        # query and no trip to Redis: an edition's page never changes, and the query says
        # whether it is still the one to show.
        self.recent: OrderedDict[str, StoredResponse] = OrderedDict()
        self.lock = threading.Lock()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (self.shared and self._anonymous_read(request)):
            return self.get_response(request)
        key = f"public-response:{request.path}"
        # Kept under the release too, as the cache's keys are (KEY_PREFIX): pages are built from
        # the code as well as the edition.
        recent_key = f"{settings.RELEASE}:{key}"
        stored = self._recent(recent_key) or cache.get(key)
        if isinstance(stored, StoredResponse) and stored.served.is_current():
            self._remember(recent_key, stored)
            return stored.answer(request)
        # The reader's own cookies (a CSRF token, a browser's) must not reach what is stored.
        response = self.get_response(impersonal(request))
        stamp = getattr(response, "public_stamp", None)
        if stamp is not None and response.status_code == 200:
            headers = {k: v for k, v in response.items() if k.lower() != "content-length"}
            stored = StoredResponse(
                stamp.served, stamp.etag, stamp.last_modified, headers, response.content
            )
            cache.set(key, stored, timeout=KEEP)
            self._remember(recent_key, stored)
        return response

    def _recent(self, key: str) -> StoredResponse | None:
        with self.lock:
            return self.recent.get(key)

    def _remember(self, key: str, stored: StoredResponse) -> None:
        with self.lock:
            self.recent[key] = stored
            self.recent.move_to_end(key)
            while len(self.recent) > RECENT_PAGES:
                self.recent.popitem(last=False)

    @staticmethod
    def _anonymous_read(request: HttpRequest) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and not request.GET
            and not carries_personal_state(request)
            and request.path.startswith("/assessments/")
        )


def _public(response: HttpResponse, etag: str, last_modified: int) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    patch_vary_headers(response, ["Cookie"])
    return response
