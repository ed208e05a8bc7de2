"""The PDF documents of higher layers, registered with reporting's registry (a shell module like
models.py and admin.py: AssessmentsConfig.ready() loads it once the models are ready).

Reporting's export job renders every document; it may not import publication, which is above it,
so the cover paper is handed to it here, with what its content hash must cover."""

from assessments.publication.services.cover_paper import (
    COVER_PAPER_TEMPLATES,
    cover_paper_html,
    cover_paper_inputs,
)
from assessments.reporting.documents import Document, document_register
from assessments.reporting.models import ReportExport

document_register(
    ReportExport.Kind.COVER_PAPER,
    Document(build=cover_paper_html, inputs=cover_paper_inputs, templates=COVER_PAPER_TEMPLATES),
)
