"""Markdown to sanitised HTML, with a stable anchor on every paragraph.

One renderer for the site, the editor preview and the PDF, so partners comment on exactly what
the board reads. Anchors come from each paragraph's text (and its position among paragraphs with
the same text), so they survive edits elsewhere in the chapter.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "blockquote",
    "ul", "ol", "li", "a", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
    "sup", "sub", "div", "abbr", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "p": {"id"},
    "li": {"id"},
    "a": {"href", "title", "id"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "sup": {"id"},
    "th": {"scope", "style"},
    "td": {"style"},
    "abbr": {"title"},
    "div": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}


@dataclass
class Rendered:
    html: SafeString
    # (anchor, plain text) of each paragraph, in order: what a comment can be attached to.
    paragraphs: list[tuple[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return self.html


def paragraph_anchor(text: str, seen: dict[str, int]) -> str:
    digest = hashlib.sha1(" ".join(text.split()).encode()).hexdigest()[:8]
    seen[digest] = seen.get(digest, 0) + 1
    return f"p-{digest}" if seen[digest] == 1 else f"p-{digest}-{seen[digest]}"


# Markdown keeps raw HTML and footnote markers out of the tree as \x02…\x03 placeholders.
_PLACEHOLDER = re.compile("\x02[^\x03]*\x03")


def _plain_text(element: Element) -> str:
    text = _PLACEHOLDER.sub("", "".join(element.itertext()))
    return re.sub(r"\s+", " ", text).strip()


class _AnchorParagraphs(Treeprocessor):
    def run(self, root: Element) -> None:
        seen: dict[str, int] = {}
        paragraphs = []
        for element in root.iter("p"):
            text = _plain_text(element)
            if not text:
                continue
            anchor = paragraph_anchor(text, seen)
            element.set("id", anchor)
            paragraphs.append((anchor, text))
        self.md.paragraphs = paragraphs


class _AnchorExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        # After inline processing (priority < 20) so the text is final, before serialising.
        md.treeprocessors.register(_AnchorParagraphs(md), "paragraph_anchors", 5)


def _demote_h1(html: str) -> str:
    # The chapter title is the page's only h1; a "# heading" in a narrative becomes h2.
    return re.sub(r"<(/?)h1\b", r"<\1h2", html)


def render_markdown(text: str) -> Rendered:
    """Markdown (untrusted) → sanitised HTML and its paragraph anchors."""
    md = markdown.Markdown(
        extensions=["tables", "footnotes", "sane_lists", "smarty", _AnchorExtension()],
        output_format="html",
    )
    html = _demote_h1(md.convert(text or ""))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return Rendered(html=mark_safe(clean), paragraphs=getattr(md, "paragraphs", []))  # noqa: S308
