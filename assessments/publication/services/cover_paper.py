"""The board's cover paper ("Discussion and Decision Report"), built from the assessment.

One context feeds the site page and the PDF (through reporting/documents.py's DOCUMENTS), so the
two always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.template.loader import render_to_string

from assessments.core.markdown import render_markdown
from assessments.core.models import Assessment, PurposeItem, Recommendation
from assessments.indicators.headlines import approved_headlines
from assessments.priorities.report_part import PRIORITIES_TEMPLATES, priorities_inputs, ranking_of
from assessments.publication.selectors import ChecklistItem, statutory_checklist
from assessments.reporting.documents import is_draft, page_head, pdf_head
from assessments.reporting.editions import edition_document
from assessments.reporting.report_data import as_data, recommendation_data
from assessments.reporting.report_matter import numbered_recommendations

NUMBER_WORDS = ["No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine"]

RECOMMENDATIONS_PARAGRAPH = (
    "A section features at the end of each chapter with general recommendations based on "
    "analysis of the themes and concerns identified from the previous year's data, as well as "
    "patterns emergent from wider national trends. These recommendations should be considered "
    "as provisional suggestions designed to stimulate wider partnership discussion around "
    "potential strategic priorities for the coming years."
)


@dataclass
class CoverPaper:
    assessment: Assessment
    priorities: list[PurposeItem]
    statutory: list[PurposeItem]
    ask: str
    background: list[str]
    themes: list[str]
    appendices: str
    headlines: list[str]
    checklist: list[ChecklistItem]
    ranking: dict | None = None  # the priority matrix's ranking and chart (issue 20)
    # Numbered as the report numbers them, with their leads and timescales (issue 32).
    recommendations: list[dict] | None = None

    recommendations_paragraph: str = RECOMMENDATIONS_PARAGRAPH

    @property
    def themes_number(self) -> int:
        """Paragraph numbers of section 4 follow the background's own paragraphs."""
        return len(self.background) + 1


def _ask(title: str, *, draft: bool) -> str:
    if draft:
        return f"The draft {title} is presented to the Partnership for their feedback and input."
    return f"The {title} is presented to the Partnership for approval."


def _appendices_paragraph(assessment: Assessment) -> str:
    """How many appendices there are and what they break down; never their titles or content,
    which only their grantees may read."""
    kinds = [appendix.get_kind_display().lower() for appendix in assessment.appendices.all()]
    if not kinds:
        return "No appendices are included within the report."
    count = NUMBER_WORDS[len(kinds)] if len(kinds) < len(NUMBER_WORDS) else str(len(kinds))
    noun = "appendix is" if len(kinds) == 1 else "appendices are"
    return (
        f"{count} {noun} included within the report ({'; '.join(kinds)}). It should be noted "
        "that the appendices are conceived to facilitate a discussion around the strategic "
        "priorities of the Partnership, and are therefore not for public circulation."
    )


def _recommendations(assessment: Assessment) -> list[dict]:
    """Every recommendation as the report document lists them (report_data.py)."""
    recommendations = Recommendation.objects.select_related("lead_organisation")
    chapters = (
        assessment.chapters.select_related("lead_organisation")
        .prefetch_related(Prefetch("recommendations", recommendations.order_by("order", "pk")))
        .order_by("order")
    )
    return as_data(
        [
            {
                "number": item.number,
                "chapter": {"title": item.chapter.title},
                "recommendation": recommendation_data(item.recommendation),
            }
            for item in numbered_recommendations(chapters)
        ]
    )


def cover_paper(assessment: Assessment) -> CoverPaper:
    """Everything the cover paper says, from the assessment's rows and headline wording."""
    purposes = list(assessment.purposes.all())
    return CoverPaper(
        assessment=assessment,
        priorities=[p for p in purposes if p.kind == PurposeItem.Kind.PRIORITY],
        statutory=[p for p in purposes if p.kind == PurposeItem.Kind.STATUTORY],
        ask=_ask(assessment.title, draft=is_draft(assessment)),
        background=[text for _, text in render_markdown(assessment.background).paragraphs],
        themes=[chapter.theme.name for chapter in assessment.chapters.select_related("theme")],
        appendices=_appendices_paragraph(assessment),
        headlines=approved_headlines(assessment),
        checklist=statutory_checklist(assessment),
        ranking=ranking_of(assessment),
        recommendations=_recommendations(assessment),
    )


def cover_paper_data(assessment: Assessment) -> dict:
    """What the cover paper says beyond the report document's own parts (its headlines, tick
    boxes, checklist and ranking), as data: an edition holds the paper the board read."""
    return {
        "cover_paper": {
            "background": [text for _, text in render_markdown(assessment.background).paragraphs],
            "themes": [c.theme.name for c in assessment.chapters.select_related("theme")],
            "appendices": _appendices_paragraph(assessment),
        }
    }


def paper_of_edition(document: dict) -> dict:
    """The cover paper of an edition, from its document alone, as the template reads it."""
    part = document["cover_paper"]
    purposes = document["purposes"]
    return {
        "assessment": document["assessment"],
        "priorities": [p for p in purposes if p["code"] == PurposeItem.Kind.PRIORITY],
        "statutory": [p for p in purposes if p["code"] == PurposeItem.Kind.STATUTORY],
        "ask": _ask(document["assessment"]["title"], draft=False),
        "background": part["background"],
        "themes_number": len(part["background"]) + 1,
        "themes": part["themes"],
        "appendices": part["appendices"],
        "headlines": document["headlines"],
        "checklist": document["checklist"],
        "ranking": document["priorities_part"],
        # Editions frozen before recommendations had leads and timescales print without them.
        "recommendations": document["recommendations"] if "has_front_matter" in document else [],
        "recommendations_paragraph": RECOMMENDATIONS_PARAGRAPH,
    }


def edition_cover_paper_html(*, edition, **_) -> str:
    """The cover paper of an edition for the PDF, from its document alone."""
    document = edition_document(edition)
    paper = paper_of_edition(document)
    partnership = document["partnership"]
    head = pdf_head(
        partnership["name"],
        title="Discussion and Decision Report",
        description=f"The board's cover paper of {paper['assessment']['title']}.",
        draft=False,
    )
    return render_to_string(
        "pdf/cover_paper.html", {**head, "partnership": partnership, "paper": paper}
    )


def cover_paper_html(*, assessment: Assessment, variant: str, appendices) -> str:
    """The self-contained HTML of the cover paper for the PDF (it has no restricted variant)."""
    head = page_head(
        assessment,
        title="Discussion and Decision Report",
        description=f"The board's cover paper of {assessment.title}.",
    )
    return render_to_string("pdf/cover_paper.html", {**head, "paper": cover_paper(assessment)})


# What the cover paper shows beyond the report's own inputs, for its PDF's content hash: its tick
# boxes, the headlines' wording and the count of appendices by kind, and its own templates.
COVER_PAPER_TEMPLATES = (
    "assessments/includes/cover_paper_body.html",
    "assessments/includes/cover_paper_recommendations.html",
    "assessments/includes/cover_paper_boxes.html",
    "assessments/includes/statutory_checklist.html",
    *PRIORITIES_TEMPLATES,
)


def cover_paper_inputs(assessment: Assessment) -> dict:
    return {
        "purposes": list(
            assessment.purposes.order_by("pk").values_list(
                "kind", "label", "addressed", "detail", "order"
            )
        ),
        "headlines": list(
            assessment.headlines.order_by("pk").values_list("text", "on_cover", "order")
        ),
        "appendix_kinds": list(assessment.appendices.order_by("pk").values_list("kind")),
        **checklist_inputs(assessment),
        **priorities_inputs(assessment),
    }


# The statutory checklist is also a part of the report (registered by the app's documents.py).
CHECKLIST_TEMPLATES = ("assessments/includes/statutory_checklist.html",)


def checklist_data(assessment: Assessment) -> dict:
    """The checklist as data for the report document (reporting/report_data.py)."""
    return {
        "checklist": [
            {
                "requirement": item.requirement,
                "label": item.label,
                "is_covered": item.is_covered,
                "chapters": [{"title": chapter.title} for chapter in item.chapters],
                "note": item.note,
            }
            for item in statutory_checklist(assessment)
        ]
    }


def checklist_inputs(assessment: Assessment) -> dict:
    return {
        "statutory_coverage": list(
            assessment.statutory_coverage.order_by("pk", "chapters__pk").values_list(
                "requirement", "note", "chapters__pk"
            )
        ),
    }
