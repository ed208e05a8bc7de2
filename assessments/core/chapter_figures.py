"""A chapter's narrative with its uploaded figures placed, for the site and the PDF.

The figures are placed by the Markdown renderer as it renders (see core/markdown.py); this module
builds each figure's HTML and chooses where its image comes from.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

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


def site_narrative(
    chapter: Chapter, text: str | None = None, *, after_paragraph: AfterParagraph | None = None
) -> Rendered:
    """The narrative (or `text` being edited) as the site shows it, figures served by the
    figure view; `after_paragraph` as for render_markdown (the chapter page's comment links)."""
    figures = {
        figure.number: figure_html(
            figure, reverse("chapter_figure", args=[*chapter.url_args, figure.number])
        )
        for figure in chapter.images.all()
    }
    return render_markdown(
        chapter.narrative if text is None else text,
        figures=figures,
        after_paragraph=after_paragraph,
    )
