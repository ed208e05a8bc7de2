"""The recommendations' admin import and export carry each one's own lead organisation, its
timescale and its measure of success: a file exported, edited and imported again comes back as
it left, and a lead that is not one of the assessment's partnership's organisations is a row
error that leaves every recommendation as it was."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.core.models import Recommendation

from ..factories import (
    ChapterFactory,
    MembershipFactory,
    OrganisationFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db

HEADER = "id,chapter_id,order,text,status,lead_organisation,due_by,success_measure\n"


@pytest.fixture
def chapter(assessment):
    return ChapterFactory(assessment=assessment, title="Violence")


@pytest.fixture
def recommendation(chapter, police_org):
    return RecommendationFactory(
        chapter=chapter,
        text="Map the night-time economy's hotspots.",
        lead_organisation=police_org,
        due_by=dt.date(2018, 3, 31),
        success_measure="Fewer assaults after midnight.",
    )


@pytest.fixture
def elsewhere_org(other_partnership):
    org = OrganisationFactory(name="Elsewhere Police", kind="police")
    org.partnerships.add(other_partnership)
    return org


def export_rows(client) -> list[dict]:
    url = reverse("admin:assessments_recommendation_export")
    form = client.get(url).context["form"]
    ticked = {n: "on" for n in form.fields if n not in ("format", "resource", "export_items")}
    response = client.post(url, {"format": 0, "resource": 0, **ticked})
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def upload(client, body: str):
    file = SimpleUploadedFile("recommendations.csv", body.encode(), content_type="text/csv")
    return client.post(
        reverse("admin:assessments_recommendation_import"),
        {"import_file": file, "format": "0", "resource": "0"},
    )


def confirm(client, preview):
    form = preview.context["confirm_form"]
    url = reverse("admin:assessments_recommendation_process_import")
    return client.post(url, {name: form[name].value() for name in form.fields})


def as_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def state():
    return list(
        Recommendation.objects.order_by("pk").values_list(
            "chapter", "text", "lead_organisation", "due_by", "success_measure"
        )
    )


def page(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def test_the_export_names_the_lead_organisation_the_date_and_the_measure(
    analyst_client, recommendation
):
    (row,) = export_rows(analyst_client)
    assert row["lead_organisation"] == "Test Police"
    assert row["due_by"] == "2018-03-31"
    assert row["success_measure"] == "Fewer assaults after midnight."


def test_an_exported_file_imported_again_brings_the_fields_back(
    analyst_client, recommendation, fire_org
):
    rows = export_rows(analyst_client)
    Recommendation.objects.filter(pk=recommendation.pk).update(
        lead_organisation=fire_org, due_by=None, success_measure=""
    )
    # A new row with a date written the British way round and the chapter's lead (empty).
    rows.append(
        {
            **rows[0],
            "id": "",
            "text": "Train door staff.",
            "lead_organisation": "",
            "due_by": "01/04/2018",
            "success_measure": "All door staff trained.",
        }
    )
    preview = upload(analyst_client, as_csv(rows))
    assert "confirm_form" in preview.context, page(preview)
    assert confirm(analyst_client, preview).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.lead_organisation.name == "Test Police"
    assert recommendation.due_by == dt.date(2018, 3, 31)
    assert recommendation.success_measure == "Fewer assaults after midnight."
    new = Recommendation.objects.get(text="Train door staff.")
    assert new.lead_organisation is None and new.lead == recommendation.chapter.lead_organisation
    assert new.due_by == dt.date(2018, 4, 1)  # 1 April, not 4 January
    assert new.success_measure == "All door staff trained."


def _other_partnership_analyst(analyst, other_partnership):
    """The analyst is the other partnership's analyst too: its organisations are within the
    analyst's reach, but not a lead for this partnership's recommendations."""
    MembershipFactory(user=analyst, partnership=other_partnership, role="analyst")


@pytest.mark.parametrize(
    "lead, date, message",
    [
        ("Elsewhere Police", "2018-03-31", "No organisation “Elsewhere Police” in the partnership"),
        ("Nobody Constabulary", "2018-03-31",
         "No organisation “Nobody Constabulary” in the partnership"),
        ("Test Police", "31/31/2018", "Enter a date like 31/03/2018 or 2018-03-31"),
    ],
    ids=["another-partnerships-organisation", "unknown-organisation", "bad-date"],
)  # fmt: skip
@pytest.mark.parametrize("analyst_of_both", [False, True], ids=["own", "analyst-of-both"])
def test_a_bad_lead_or_date_is_a_row_error_and_nothing_changes(
    client, analyst, other_partnership, recommendation, elsewhere_org, fire_org, lead, date,
    message, analyst_of_both,
):  # fmt: skip
    if analyst_of_both:
        _other_partnership_analyst(analyst, other_partnership)
    client.force_login(analyst)
    before = state()
    chapter = recommendation.chapter_id
    body = HEADER + (
        f"{recommendation.pk},{chapter},1,Changed,accepted,Test Fire,2019-01-01,Changed\n"
        f",{chapter},2,A new one,proposed,{lead},{date},Some measure\n"
    )
    preview = upload(client, body)
    assert message in page(preview)
    assert "confirm_form" not in preview.context
    invalid = preview.context["result"].invalid_rows
    assert [row.number for row in invalid] == [2]
    assert state() == before
