"""A saved write answers as saved, once: forms that create rows carry an idempotency key, and
work after the commit cannot turn the answer into an error.

Every form that creates something (a comment or reply, a response to a recommendation, an
invitation, a data return, a chapter's figure) carries a hidden key drawn when the form is
drawn (`key_field`, the `{% idempotency_key %}` tag). Its view is wrapped in `idempotent`, which
records the key, with where the answer sent the person, in the same transaction as what the view
writes. The same form sent again (a double click; a second try after an error page whose first
try had in fact been saved) finds the key and is sent to the same place, storing nothing; sent
at the same moment, the second waits on the key's unique index for the first to commit. A form
sent back with errors leaves its key free. Keys are the sender's own: someone else's key is
just an unknown key to them.

The work Django runs after a commit (publishing the outbox) and the session's save, which both
come after the write is safe, are logged when they fail, never answered as an error (the outbox
relay publishes what was not published; the next request saves the session).
"""

from __future__ import annotations

import logging
import re
import uuid
from functools import wraps

from django.contrib.messages import info
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.safestring import SafeString

from assessments.core.models import FormSubmission
from assessments.core.storage import atomic_with_files

logger = logging.getLogger(__name__)

FIELD = "idempotency_key"
KEY = re.compile(r"^[0-9a-f]{32}$")
ALREADY_SAVED = "This had already been saved: it has not been saved twice."


def key_field() -> SafeString:
    """The hidden field of a new key, drawn each time a form is."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4().hex)


def located(response: HttpResponse, location: str) -> HttpResponse:
    """Mark an answer given in place (htmx) with where its result is, as a redirect names it:
    a repeat of the request is sent there."""
    response["Content-Location"] = location
    return response


def refusal(response: HttpResponse) -> HttpResponse:
    """Mark a redirect that takes a refused form to the page showing why: its key stays free,
    and sent again the form is taken afresh."""
    response.refused = True
    return response


def idempotent(view):
    """Store a POST's writes once per key (see the module's docstring). A POST without a key
    (a page drawn before keys, a script) is taken as it always was."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not KEY.match(key) or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        earlier = _earlier(request, key)
        if earlier is None:
            claimed = []
            try:
                return _first(view, request, key, claimed, args, kwargs)
            except IntegrityError:
                if claimed:  # the view's own, not the key's
                    raise
            # Sent twice at once: the first committed while this one waited for the key.
            earlier = _earlier(request, key)
            if earlier is None:
                raise IntegrityError(f"The form's key {key} was taken and then let go")
        return _replay(request, earlier)

    return wrapper


def _earlier(request: HttpRequest, key: str) -> FormSubmission | None:
    return FormSubmission.objects.filter(user=request.user, key=key).first()


def _first(view, request, key, claimed, args, kwargs) -> HttpResponse:
    committed = []
    try:
        with atomic_with_files():  # files the view writes go if its transaction does
            submission = FormSubmission.objects.create(user=request.user, key=key)
            claimed.append(submission)
            transaction.on_commit(lambda: committed.append(True))  # runs before the view's hooks
            response = view(request, *args, **kwargs)
            location = _location(response)
            if location:
                submission.location = location
                submission.save(update_fields=["location"])
            else:  # refused or sent back with errors: nothing was created under this key
                submission.delete()
    except Exception:
        if not committed:
            raise
        # Django stops at the first hook that fails; the outbox relay publishes what was not.
        logger.exception("Saved, but work after the commit failed; answered as saved")
    return response


def _location(response: HttpResponse) -> str:
    if getattr(response, "refused", False):
        return ""
    if response.status_code in (301, 302, 303):
        return response["Location"]
    if response.status_code < 300:
        return response.get("Content-Location", "")
    return ""


def _replay(request: HttpRequest, earlier: FormSubmission) -> HttpResponse:
    info(request, ALREADY_SAVED)
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=200)
        response["HX-Redirect"] = earlier.location  # the whole page, not the swapped part
        return response
    return HttpResponseRedirect(earlier.location)


class TolerantSessionMiddleware(SessionMiddleware):
    """Django's, except that a session that cannot be saved after a write was answered (the
    database gone for a moment, or the session ended by a sign-out in another tab, which
    Django answers with a bare "Bad Request (400)") leaves that answer as it is: the write is
    saved, and the next request saves the session or asks the person to sign in."""

    def process_response(self, request, response):
        if request.method in ("GET", "HEAD", "OPTIONS") or response.status_code >= 400:
            return super().process_response(request, response)
        try:
            return super().process_response(request, response)
        except Exception:
            logger.exception(
                "The session could not be saved after %s %s", request.method, request.path
            )
            patch_vary_headers(response, ("Cookie",))
            return response
