"""The app's static files as the PDF documents see them: the stylesheet inlined, images loaded
from BASE_URL. No WeasyPrint here, so that building a document's HTML does not load it."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation

# Relative URLs in the documents resolve against this origin; `.invalid` can never reach the
# network (RFC 2606), and the PDF renderer's fetcher answers for it from the static files only.
BASE_URL = "https://safermk.invalid/"


def static_file_for(url: str) -> Path | None:
    """The static file that `url` names under BASE_URL + STATIC_URL, or None."""
    prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
    if not url.startswith(prefix):
        return None
    parts = urlsplit(url)
    relative = unquote(parts.path).removeprefix("/" + settings.STATIC_URL.strip("/") + "/")
    if posixpath.normpath(relative) != relative or relative.startswith(("/", "..")):
        return None
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    return Path(found) if found else None


def static_text(path: str) -> str:
    """A static file's text, for inlining (the print stylesheet)."""
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"No static file {path}")
    return Path(found).read_text(encoding="utf-8")
