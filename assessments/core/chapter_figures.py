"""A chapter's narrative with its uploaded figures placed, for the site and the PDF.

The figures are placed by the Markdown renderer as it renders (see core/markdown.py); this module
builds each figure's HTML and chooses where its image comes from.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from assessments.core.markdown import Rendered, render_markdown
from assessments.core.models import Chapter, ChapterFigure

# The narrative with its figures -------------------------------------------------------------


def figure_html(figure: ChapterFigure, src: str) -> SafeString:
    return format_html(
        '<figure class="app-workspace-figure" id="figure-{number}">'
        '<img src="{src}" alt="{alt}" width="{width}" height="{height}">'
        '<figcaption class="govuk-body-s">Figure {number}: {caption}{source}</figcaption>'
        "</figure>",
        number=figure.number,
        src=src,
        alt=figure.alt_text,
        width=figure.width,
        height=figure.height,
        caption=figure.caption,
        source=format_html("<br>Source: {}", figure.source) if figure.source else "",
    )


def narrative_with_figures(text: str, figures: Mapping[int, str]) -> Rendered:
    """The narrative with each `[[figure:N]]` paragraph replaced by the figure, as it renders.

    `figures` maps a number to the figure's HTML (site URL or data: URI, chosen by the caller):
    built here with figure_html, never from the text.
    """
    return render_markdown(text, figures=figures)


def site_narrative(
    chapter: Chapter, text: str | None = None, *, after_paragraph: Mapping[str, str] | None = None
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
