"""A chapter's narrative with its uploaded figures placed, for the site and the PDF.

The figures are placed by the Markdown renderer as it renders (see core/markdown.py); this module
builds each figure's HTML and chooses where its image comes from.
"""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from assessments.core.cache_version import cached
from assessments.core.markdown import AfterParagraph, Rendered, render_markdown
from assessments.core.models import Chapter, ChapterFigure


def figure_html(figure: ChapterFigure, src: str, id_scope: str = "") -> SafeString:
    """The figure; `id_scope` prefixes its id as render_markdown's does the narrative's."""
    return format_html(
        '<figure class="app-workspace-figure" id="{scope}figure-{number}">'
        '<img src="{src}" alt="{alt}" width="{width}" height="{height}">'
        '<figcaption class="govuk-body-s">Figure {number}: {caption}{source}</figcaption>'
        "</figure>",
        scope=f"{id_scope}-" if id_scope else "",
        number=figure.number,
        src=src,
        alt=figure.alt_text,
        width=figure.width,
        height=figure.height,
        caption=figure.caption,
        source=format_html("<br>Source: {}", figure.source) if figure.source else "",
    )


def _site_figures(chapter: Chapter) -> dict[int, SafeString]:
    return {
        figure.number: figure_html(
            figure, reverse("chapter_figure", args=[*chapter.url_args, figure.number])
        )
        for figure in chapter.images.all()
    }


def site_narrative(
    chapter: Chapter, text: str | None = None, *, after_paragraph: AfterParagraph | None = None
) -> Rendered:
    """The narrative (or `text` being edited) as the site shows it, figures served by the
    figure view; `after_paragraph` as for render_markdown (the chapter page's comment links)."""
    return render_markdown(
        chapter.narrative if text is None else text,
        figures=_site_figures(chapter),
        after_paragraph=after_paragraph,
    )


# Where a paragraph's links go in a narrative kept rendered. The sanitiser strips every comment
# from the text, so only the renderer's own markers are found.
_PARAGRAPH_END = "<!--paragraph-end {} {}-->"
_PARAGRAPH_ENDS = re.compile(r"<!--paragraph-end (\S+) (\d+)-->")


def kept_narrative(chapter: Chapter) -> Rendered:
    """The chapter's narrative as `site_narrative` renders it, rendered once per version of the
    chapter and its figures (it took a fifth of the chapter page, issue 18), with a marker where
    each paragraph's links go (`with_paragraph_links`)."""
    return cached(
        chapter.assessment.partnership,
        lambda: render_markdown(
            chapter.narrative, figures=_site_figures(chapter), after_paragraph=_PARAGRAPH_END.format
        ),
        "site-narrative",
        chapter.pk,
        chapter.updated_at.timestamp(),
    )


def with_paragraph_links(kept: Rendered, after_paragraph: AfterParagraph) -> Rendered:
    """The kept narrative with each paragraph's links, which change with every comment."""

    def links(marker: re.Match) -> str:
        return after_paragraph(marker[1], int(marker[2])) or ""

    return Rendered(
        html=mark_safe(_PARAGRAPH_ENDS.sub(links, kept.html)),  # noqa: S308 (ours, see above)
        paragraphs=kept.paragraphs,
    )
