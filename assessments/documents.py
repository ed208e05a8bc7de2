"""The PDF documents of higher layers, registered with reporting's registry (a shell module like
models.py and admin.py: AssessmentsConfig.ready() loads it once the models are ready).

Reporting's export job renders every document; it may not import publication, which is above it,
so the cover paper, and the statutory checklist and the priority matrix's ranking that the report
prints in its back matter, are handed to it here, with what their content hash must cover."""

from assessments.priorities.report_part import (
    PRIORITIES_TEMPLATES,
    priorities_context,
    priorities_inputs,
)
from assessments.publication.services.cover_paper import (
    CHECKLIST_TEMPLATES,
    COVER_PAPER_TEMPLATES,
    checklist_context,
    checklist_inputs,
    cover_paper_html,
    cover_paper_inputs,
)
from assessments.reporting.documents import (
    Document,
    ReportPart,
    document_register,
    report_part_register,
)
from assessments.reporting.models import ReportExport

document_register(
    ReportExport.Kind.COVER_PAPER,
    Document(build=cover_paper_html, inputs=cover_paper_inputs, templates=COVER_PAPER_TEMPLATES),
)
report_part_register(
    "checklist",
    ReportPart(context=checklist_context, inputs=checklist_inputs, templates=CHECKLIST_TEMPLATES),
)
report_part_register(
    "priorities",
    ReportPart(
        context=priorities_context, inputs=priorities_inputs, templates=PRIORITIES_TEMPLATES
    ),
)
