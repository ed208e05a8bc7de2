"""The PDF documents of higher layers, registered with reporting's registry (a shell module like
models.py and admin.py: AssessmentsConfig.ready() loads it once the models are ready).

Reporting's export job renders every document; it may not import publication, which is above it,
so the cover paper, and the statutory checklist and the priority matrix's ranking that the report
prints in its back matter, are handed to it here, with what their content hash must cover. The
workflow, in consultation, is handed what its steps do to the report's editions the same way."""

from assessments.consultation.models import WorkflowEvent
from assessments.consultation.services.workflow import step_effect
from assessments.priorities.report_part import PRIORITIES_TEMPLATES, priorities_data
from assessments.publication.services.board import board_decision_data
from assessments.publication.services.cover_paper import (
    CHECKLIST_TEMPLATES,
    COVER_PAPER_TEMPLATES,
    checklist_data,
    cover_paper_data,
    cover_paper_html,
    cover_paper_inputs,
    edition_cover_paper_html,
)
from assessments.publication.services.editions import (
    on_approve,
    on_back_to_consultation,
    on_publish,
    on_take_down,
)
from assessments.publication.services.progress import PROGRESS_TEMPLATES, progress_data
from assessments.reporting.documents import Document, document_register
from assessments.reporting.models import ReportExport
from assessments.reporting.report_data import ReportPart, report_part_register

document_register(
    ReportExport.Kind.COVER_PAPER,
    Document(
        build=cover_paper_html,
        inputs=cover_paper_inputs,
        templates=COVER_PAPER_TEMPLATES,
        build_edition=edition_cover_paper_html,
    ),
)
report_part_register(
    "checklist",
    ReportPart(data=checklist_data, templates=CHECKLIST_TEMPLATES),
)
report_part_register("progress", ReportPart(data=progress_data, templates=PROGRESS_TEMPLATES))
report_part_register(
    "board_decision",
    ReportPart(data=board_decision_data, templates=("pdf/includes/board_decision.html",)),
)
report_part_register("cover_paper", ReportPart(data=cover_paper_data, printed=False))
report_part_register(
    "priorities",
    ReportPart(data=priorities_data, templates=PRIORITIES_TEMPLATES),
)

# What the workflow's steps do to the report's editions (publication/services/editions.py).
Action = WorkflowEvent.Action
step_effect(Action.APPROVE, on_approve)
step_effect(Action.PUBLISH, on_publish)
step_effect(Action.UNPUBLISH, on_take_down)
step_effect(Action.BACK_TO_CONSULTATION, on_back_to_consultation)
