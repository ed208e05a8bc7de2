"""The site's URLs, from each feature package. Publication comes last: its chapter page takes any
slug under an assessment, and chapter slugs may not take the words the other routes use."""

from assessments.accounts import urls as accounts
from assessments.appendices import urls as appendices
from assessments.consultation import urls as consultation
from assessments.data_returns import urls as data_returns
from assessments.indicators import urls as indicators
from assessments.priorities import urls as priorities
from assessments.publication import urls as publication
from assessments.reporting import urls as reporting
from assessments.workspace import urls as workspace

urlpatterns = [
    *appendices.urlpatterns,
    *consultation.urlpatterns,
    *accounts.urlpatterns,
    *indicators.urlpatterns,
    *reporting.urlpatterns,
    *data_returns.urlpatterns,
    *workspace.urlpatterns,
    *priorities.urlpatterns,
    *publication.urlpatterns,
]
