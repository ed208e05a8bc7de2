import datetime as dt
import io

import factory
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from assessments.appendices.models import Appendix
from assessments.consultation.models import Comment
from assessments.core.models import (
    Assessment,
    Chapter,
    Membership,
    Organisation,
    Partnership,
    Recommendation,
    Theme,
    User,
)
from assessments.indicators.models import (
    Geography,
    Headline,
    ImportBatch,
    Indicator,
    IndicatorSelection,
    Observation,
)
from assessments.publication.models import StatutoryCoverage, StatutoryRequirement
from assessments.publication.services.editions import edition_freeze, edition_publish
from assessments.workspace.services import chapter_figure_add


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    area_name = factory.Sequence(lambda n: f"Area {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.OTHER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", settings.DEMO_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = "partner"


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    year = 2017
    title = factory.LazyAttribute(lambda a: f"Strategic Assessment {a.year}")
    status = Assessment.Status.DRAFT
    consultation_closes_on = factory.LazyAttribute(
        lambda a: dt.date.today() + dt.timedelta(days=14) if a.status == "consultation" else None
    )

    @factory.post_generation
    def edition(obj, create, extracted, **kwargs):
        """An approved or published assessment has its edition, as the workflow leaves it."""
        if create:
            freeze_as_status(obj)


def freeze_as_status(assessment: Assessment) -> Assessment:
    """Give an assessment put at "approved" or "published" by hand the edition the workflow
    would have frozen (and published) from its content as it stands now."""
    Status = Assessment.Status
    if (
        assessment.status in (Status.APPROVED, Status.PUBLISHED)
        and not assessment.editions.filter(status__in=["approved", "published"]).exists()
    ):
        edition_freeze(assessment, by=None)
        if assessment.status == Status.PUBLISHED:
            edition_publish(assessment, by=None)
    return assessment


def refreeze(assessment: Assessment) -> Assessment:
    """An assessment put at "approved" or "published" by hand and then filled: its edition made
    again from what it now holds, as if the board had approved it now."""
    Assessment.objects.filter(pk=assessment.pk).update(public_edition=None)
    assessment.public_edition = None
    assessment.editions.all().delete()
    return freeze_as_status(assessment)


def set_status(assessment: Assessment, status: str) -> Assessment:
    """Put the assessment at `status` without the workflow's steps, with its edition."""
    Assessment.objects.filter(pk=assessment.pk).update(status=status)
    assessment.refresh_from_db()
    return freeze_as_status(assessment)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chapter

    assessment = factory.SubFactory(AssessmentFactory)
    theme = factory.SubFactory(
        ThemeFactory, partnership=factory.SelfAttribute("..assessment.partnership")
    )
    order = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"chapter-{n}")
    title = factory.Sequence(lambda n: f"Chapter {n}")
    narrative = "A first paragraph about crime.\n\nA second paragraph about disorder."


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    chapter = factory.SubFactory(ChapterFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Recommendation number {n}.")


class AppendixFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appendix

    assessment = factory.SubFactory(AssessmentFactory)
    order = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"appendix-{n}")
    title = factory.Sequence(lambda n: f"Appendix {n}")
    narrative = factory.Sequence(lambda n: f"Restricted appendix text {n}.")


class GeographyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Geography

    partnership = factory.SubFactory(PartnershipFactory)
    level = Geography.Level.AREA
    code = factory.Sequence(lambda n: f"E0600{n:04d}")
    name = factory.Sequence(lambda n: f"Area {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    partnership = factory.SubFactory(PartnershipFactory)
    code = factory.Sequence(lambda n: f"indicator-{n}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    source = "Test source"


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    author = factory.SubFactory(UserFactory)
    chapter = factory.SubFactory(ChapterFactory)
    body = "A comment."


class ImportBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportBatch

    partnership = factory.SubFactory(PartnershipFactory)
    source = ImportBatch.Source.ADMIN
    key = factory.Sequence(lambda n: f"batch-{n}")


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    indicator = factory.SubFactory(IndicatorFactory)
    batch = factory.SubFactory(
        ImportBatchFactory, partnership=factory.SelfAttribute("..indicator.partnership")
    )
    geography = factory.SubFactory(
        GeographyFactory, partnership=factory.SelfAttribute("..indicator.partnership")
    )
    period_type = "m"
    period_start = dt.date(2016, 4, 1)
    value = 1


def member(partnership, role, **user_fields):
    """A new user with `role` in `partnership`."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, partnership=partnership, role=role)
    return user


def image_bytes(size=(40, 30), kind="PNG", exif: bytes | None = None) -> bytes:
    """An image file's bytes, as a figure upload would bring them."""
    out = io.BytesIO()
    options = {"exif": exif} if exif else {}
    Image.new("RGB", size, (200, 30, 30)).save(out, kind, **options)
    return out.getvalue()


def upload(content: bytes, name="map.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def make_ready(assessment: Assessment, analyst: User | None = None) -> Assessment:
    """Fill `assessment` so that it passes every readiness check and the publication gate: an
    introduction, one chapter with narrative, a recommendation, a figure with alternative text,
    an indicator with data for both periods, a headline on the cover that agrees with it, and
    every statutory requirement mapped to the chapter."""
    assessment.introduction = "This year's assessment."
    assessment.save(update_fields=["introduction"])
    area = GeographyFactory(partnership=assessment.partnership)
    chapter = ChapterFactory(
        assessment=assessment, slug="crime", title="Crime", narrative="Text.\n\n[[figure:1]]"
    )
    RecommendationFactory(chapter=chapter)
    chapter_figure_add(
        chapter=chapter, image=upload(image_bytes()), alt_text="A map", caption="Crime", by=analyst
    )
    indicator = IndicatorFactory(partnership=assessment.partnership, name="All crime")
    selection = IndicatorSelection.objects.create(
        chapter=chapter,
        indicator=indicator,
        period_type="fy",
        current_period_start=dt.date(2016, 4, 1),
        comparison_period_start=dt.date(2015, 4, 1),
    )
    for start, value in ((dt.date(2015, 4, 1), 100), (dt.date(2016, 4, 1), 110)):
        ObservationFactory(
            indicator=indicator, geography=area, period_type="fy", period_start=start, value=value
        )
    Headline.objects.create(assessment=assessment, selection=selection, text="Crime rose by 10%.")
    for requirement in StatutoryRequirement.values:
        coverage = StatutoryCoverage.objects.create(assessment=assessment, requirement=requirement)
        coverage.chapters.add(chapter)
    if assessment.editions.exists():
        refreeze(assessment)
    return assessment
