"""Absolute links for emails, which are read away from the site."""

from __future__ import annotations

from django.conf import settings


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
