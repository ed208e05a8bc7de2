"""The same-site links a page shows, one per URL pattern: the pattern, not the row, decides
whether a view serves the person, so one link of each is enough. Shared by the test-client
crawler (tests/journeys/test_no_dead_ends.py) and the browser crawler
(tests/browser/test_crawler.py)."""

from __future__ import annotations

import re

from django.urls import Resolver404, resolve

HREF = re.compile(r'href="(/[^"#]*)')
# Sign-out is a POST form; downloads of files a worker has not rendered are not pages.
NOT_FOLLOWED = {"logout", "export_download"}


def pattern_of(href: str) -> str | None:
    """The URL pattern's name (with its namespace: "admin:assessments_chapter_change") or None
    for a path the project does not route."""
    try:
        match = resolve(href.split("?")[0])
    except Resolver404:
        return None
    return match.view_name


def links_by_pattern(html: str) -> dict[str, str]:
    """One link of each URL pattern the page links to, but sign-out and unrendered downloads."""
    links: dict[str, str] = {}
    for href in HREF.findall(html):
        name = pattern_of(href)
        if name is not None and name not in NOT_FOLLOWED:
            links.setdefault(name, href.replace("&amp;", "&"))
    return links
