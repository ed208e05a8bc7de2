"""Partnership.cache_version: one number per partnership that changes whenever anything its
pages show changes, so that cached figures and published pages are keyed by their inputs and
never rely on a timeout to be right.

Every model of the app that names its `partnership_path` bumps its partnership's number when a
row is saved or deleted or its many-to-many links change (a selection's comparators), except
the rows that no cached page shows and that are written while people read (a sign-in's
`last_login`, the appendix access log, comments). Observations are written in bulk by import
batches: the batch's own save bumps the number, and leaving observations unwatched keeps
Django's fast delete of a replaced batch's rows.

The number lives in the database, not in the cache, because imports run in Celery workers: a
per-process cache in the web process would never hear of them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.apps import AppConfig, apps
from django.core.cache import cache
from django.db.models import F, signals
from django.utils import timezone

if TYPE_CHECKING:
    from assessments.core.models import Partnership

UNSHOWN = {"User", "Observation", "Comment", "AppendixAccess"}
# An entry is right for as long as it lives, because its key changes with its inputs; this
# timeout only lets the entries of versions nobody asks for any more go.
KEEP = 24 * 60 * 60

T = TypeVar("T")
# How many values a process keeps unpickled (see `cached`).
RECENT = 32
_recent: OrderedDict[str, object] = OrderedDict()
_recent_lock = threading.Lock()
_MISSING = object()


def version_of(partnership: Partnership) -> str:
    """The number with the time it changed: a database restored from a backup, or made again,
    counts from an old number but never at the same moment, so it meets no stale entry."""
    return f"{partnership.cache_version}.{partnership.cache_changed_at.timestamp():.6f}"


def versioned_key(partnership: Partnership, *parts: object) -> str:
    """A cache key that changes whenever anything the partnership's pages show changes."""
    return ":".join(str(part) for part in (*parts, partnership.pk, version_of(partnership)))


def cached(partnership: Partnership, build: Callable[[], T], *parts: object) -> T:
    """What `build` returns, from the cache while the partnership's data stays the same.

    The process also keeps the last values it read, while the shared cache still holds them:
    unpickling an assessment's checked headlines took longer than the rest of a page's reading
    (issue 18). The values are shared by the requests of the process, so callers read them and
    never change them."""
    key = versioned_key(partnership, *parts)
    with _recent_lock:
        value = _recent.get(key, _MISSING)
    # A key is written once (it changes with its inputs), so a value kept here is the one the
    # shared cache holds for as long as it holds the key; cache.clear() is honoured too.
    if value is _MISSING or not cache.has_key(key):
        value = cache.get_or_set(key, build, timeout=KEEP)
    with _recent_lock:
        _recent[key] = value
        _recent.move_to_end(key)
        while len(_recent) > RECENT:
            _recent.popitem(last=False)
    return value


def partnerships_of(instance) -> list[int]:
    """The partnerships a row belongs to, by its model's `partnership_path` (one query)."""
    model = type(instance)
    rows = model._base_manager.filter(pk=instance.pk).values_list(model.partnership_path)
    return [pk for (pk,) in rows if pk is not None]


def _partnerships():
    # By name, not imported: apps.py connects the signals from here before models are loaded.
    return apps.get_model("assessments", "Partnership").objects


def bump(partnership_ids: list[int]) -> None:
    if partnership_ids:
        _partnerships().filter(pk__in=partnership_ids).update(
            cache_version=F("cache_version") + 1, cache_changed_at=timezone.now()
        )


def _changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # fixtures load raw rows; their partnerships are bumped by nothing else
        bump(partnerships_of(instance))


def _links_changed(sender, instance, action, **kwargs) -> None:
    # A row's many-to-many links (a selection's comparators) are saved after the row itself.
    if action in ("post_add", "post_remove", "pre_clear"):
        bump(partnerships_of(instance))


def watch(app_config: AppConfig) -> None:
    """Connect every shown model of the app (called from AppConfig.ready())."""
    for model in app_config.get_models():
        shown = model.__name__ not in UNSHOWN and not model.__name__.startswith("Historical")
        if shown and hasattr(model, "partnership_path"):
            signals.post_save.connect(_changed, sender=model, dispatch_uid=f"cv-save-{model}")
            # Before the delete, while the row still leads to its partnership.
            signals.pre_delete.connect(_changed, sender=model, dispatch_uid=f"cv-del-{model}")
            for field in model._meta.local_many_to_many:
                signals.m2m_changed.connect(
                    _links_changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"cv-links-{model}-{field.name}",
                )
