"""Markdown to sanitised HTML, with a stable anchor on every paragraph.

One renderer for the site, the editor preview and the PDF, so partners comment on exactly what
the board reads. Anchors come from each paragraph's text (and its position among paragraphs with
the same text), so they survive edits elsewhere in the chapter.

An extension to Python-Markdown does the work while it renders, on the tree rather than on the
HTML: it anchors the paragraphs, puts the site's own HTML in place (figures, the consultation's
comment links under paragraphs) and sanitises what came from the text.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.extensions.tables import TableExtension
from markdown.postprocessors import Postprocessor
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
    "th": {"scope"},
    "abbr": {"title"},
    "div": {"class"},
}
# No `style` anywhere: one on a table cell could lay a fixed box over the page, the DRAFT or
# restricted marking of a PDF included. Column alignment (`|--:|`) comes as `align`, which can
# only say left, right or centre.
ALIGNMENT = {"left", "right", "center"}
ATTRIBUTE_VALUES = {"th": {"align": ALIGNMENT}, "td": {"align": ALIGNMENT}}
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


# `[[figure:N]]`, where figure N goes. One definition for the renderer (which replaces a paragraph
# that is only a reference) and for the readiness check (which looks for figures not uploaded).
FIGURE_REFERENCE = re.compile(r"\[\[figure:(\d+)\]\]")

# The HTML the page puts after a paragraph, given the paragraph's anchor and number (from 1).
AfterParagraph = Callable[[str, int], str | None]

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


class _PlaceSiteHtml(Treeprocessor):
    """Each figure in place of its `[[figure:N]]` paragraph, and after an anchored paragraph
    whatever the page asks for, by its anchor and number (the consultation's comment links).

    This HTML is built by the site, never from the text, and needs what the text must not get
    (<img>, data: URIs, classes), so it does not go through the sanitiser: it enters the tree as a
    placeholder and is put back after sanitising. The placeholder holds a secret drawn for this
    render, so the text cannot forge one (nh3 turns an entity such as &#2; back into a control
    character, so \\x02…\\x03 alone would not do).
    """

    def __init__(self, md, figures: Mapping[int, str], after_paragraph: AfterParagraph | None):
        super().__init__(md)
        self.figures, self.after_paragraph = figures, after_paragraph
        self.secret = secrets.token_hex(8)
        self.stash: dict[str, str] = {}

    def _placeholder(self, html: str) -> str:
        placeholder = f"\x02site-html:{self.secret}:{len(self.stash)}\x03"
        self.stash[placeholder] = html
        return placeholder

    def _figure(self, paragraph: Element) -> str | None:
        reference = FIGURE_REFERENCE.fullmatch(paragraph.text or "")
        if reference is None or len(paragraph):
            return None
        return self.figures.get(int(reference[1]))

    def _after(self, paragraph: Element, numbers: dict[str, int]) -> str | None:
        anchor = paragraph.get("id")
        if self.after_paragraph is None or anchor not in numbers:
            return None
        return self.after_paragraph(anchor, numbers[anchor])

    def run(self, root: Element) -> None:
        numbers = {anchor: n for n, (anchor, _) in enumerate(self.md.paragraphs, start=1)}
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag != "p":
                    continue
                if (figure := self._figure(child)) is not None:
                    _replace_with_text(parent, child, self._placeholder(figure))
                elif html := self._after(child, numbers):
                    child.tail = self._placeholder(html) + (child.tail or "")


def _replace_with_text(parent: Element, child: Element, text: str) -> None:
    """Take `child` out of the tree and leave `text` where it was: ElementTree keeps the text
    between elements in the previous sibling's tail, or in the parent's text."""
    index = list(parent).index(child)
    text += child.tail or ""
    if index:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(child)


def _demote_h1(html: str) -> str:
    # The chapter title is the page's only h1; a "# heading" in a narrative becomes h2.
    return re.sub(r"<(/?)h1\b", r"<\1h2", html)


class _Sanitise(Postprocessor):
    """Everything that came from the text through the allow-list; with an `id_scope`, every id
    the text makes (paragraph anchors, footnotes, its own) and every link to one is prefixed, so
    that narratives printed together in one document neither repeat ids nor take the document's
    own (a contents entry, another chapter's footnote)."""

    def __init__(self, md, id_scope: str):
        super().__init__(md)
        self.id_scope = id_scope

    def run(self, text: str) -> str:
        return nh3.clean(
            _demote_h1(text),
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            tag_attribute_values=ATTRIBUTE_VALUES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer",
            strip_comments=True,
            attribute_filter=self._scoped if self.id_scope else None,
        )

    def _scoped(self, tag: str, attribute: str, value: str) -> str:
        if attribute == "id":
            return f"{self.id_scope}-{value}"
        if attribute == "href" and value.startswith("#"):
            return f"#{self.id_scope}-{value[1:]}"
        return value


class _RestoreSiteHtml(Postprocessor):
    def __init__(self, md, placing: _PlaceSiteHtml):
        super().__init__(md)
        self.placing = placing

    def run(self, text: str) -> str:
        for placeholder, html in self.placing.stash.items():
            text = text.replace(placeholder, html)
        return text


class _NarrativeExtension(Extension):
    def __init__(
        self, figures: Mapping[int, str], after_paragraph: AfterParagraph | None, id_scope: str
    ):
        super().__init__()
        self.figures, self.after_paragraph, self.id_scope = figures, after_paragraph, id_scope

    def extendMarkdown(self, md):  # Markdown's API names it so
        placing = _PlaceSiteHtml(md, self.figures, self.after_paragraph)
        # After inline processing (priority < 20) so the text is final, before serialising.
        # Anchors first: a figure's paragraph keeps its anchor and number, as it always had.
        md.treeprocessors.register(_AnchorParagraphs(md), "paragraph_anchors", 5)
        md.treeprocessors.register(placing, "site_html", 4)
        # After Markdown's own postprocessors (raw HTML back at 30, footnotes 25, "&" 20).
        md.postprocessors.register(_Sanitise(md, self.id_scope), "sanitise", 5)
        md.postprocessors.register(_RestoreSiteHtml(md, placing), "site_html", 1)


def render_markdown(
    text: str,
    *,
    figures: Mapping[int, str] | None = None,
    after_paragraph: AfterParagraph | None = None,
    id_scope: str = "",
) -> Rendered:
    """Markdown (untrusted) → sanitised HTML and its paragraph anchors.

    `figures` maps a figure's number to the HTML that replaces a paragraph `[[figure:N]]`;
    `after_paragraph(anchor, number)` gives the HTML to put right after a paragraph, or nothing.
    Both are built by the site (never from the text) and are not sanitised. `id_scope` prefixes
    the ids the text makes, for a document that prints several narratives.
    """
    md = markdown.Markdown(
        extensions=[
            TableExtension(use_align_attribute=True),
            "footnotes",
            "sane_lists",
            "smarty",
            _NarrativeExtension(figures or {}, after_paragraph, id_scope),
        ],
        output_format="html",
    )
    html = md.convert(text or "")
    # Safe: the extension sanitised the text with nh3 before it put the site's own HTML back.
    return Rendered(html=mark_safe(html), paragraphs=getattr(md, "paragraphs", []))
