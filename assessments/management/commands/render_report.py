"""Render an assessment's report to a PDF file synchronously, for scripts and benchmarks."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from assessments.appendices.models import AppendixAccess
from assessments.appendices.services import appendix_access_record
from assessments.core.models import User
from assessments.core.personal_copy import personal_copy
from assessments.core.selectors import assessment_by_url
from assessments.management.commands._reliable import ReliableCommand
from assessments.reporting.documents import render_report, report_appendices
from assessments.reporting.models import ReportExport
from assessments.reporting.permissions import can_request_export


class Command(ReliableCommand):
    help = (
        "Render the report of the assessment SLUG YEAR as a PDF. --html also writes the exact, "
        "self-contained HTML given to WeasyPrint."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The partnership's slug, e.g. safermk")
        parser.add_argument("year", type=int)
        parser.add_argument(
            "--variant", choices=ReportExport.Variant.values, default=ReportExport.Variant.PUBLIC
        )
        parser.add_argument(
            "--user", help="Whose personal copy the restricted variant is (required for it)"
        )
        parser.add_argument("--output", required=True, type=Path, help="The PDF file to write")
        parser.add_argument("--html", type=Path, help="Also write the HTML to this file")

    def handle(self, *args, slug, year, variant, user, output, html, **options):
        assessment = assessment_by_url(slug, year)
        if assessment is None:
            raise CommandError(f"No assessment {slug} {year}")
        person = self._user(user, variant)
        if person is not None and not can_request_export(person, assessment, variant):
            raise CommandError(f"{person.username} may not have the {variant} PDF of {slug} {year}")
        appendices = report_appendices(user=person, assessment=assessment, variant=variant)
        # The restricted variant is the user's personal copy, logged like a download.
        marking = assessment.partnership.restricted_marking
        restricted = variant == ReportExport.Variant.RESTRICTED
        copy = personal_copy(person, marking=marking) if restricted else None
        html_text, rendered = render_report(
            assessment=assessment, variant=variant, appendices=appendices, copy=copy
        )
        output.write_bytes(rendered.content)
        if html:
            html.write_text(html_text, encoding="utf-8")
        for appendix in appendices:
            appendix_access_record(
                appendix=appendix,
                user=person,
                route=AppendixAccess.Route.PDF,
                path=f"render_report {output}",
                copy_id=copy.copy_id,
            )
        issued = f" {copy.issued_to}, copy {copy.copy_id}." if copy else ""
        self.stdout.write(
            f"Wrote {output}: {rendered.pages} pages, {len(rendered.content):,} bytes, "
            f"{len(appendices)} appendices.{issued}"
        )

    def _user(self, username: str | None, variant: str) -> User | None:
        if username is None:
            if variant == ReportExport.Variant.RESTRICTED:
                raise CommandError("The restricted variant needs --user: whose appendices?")
            return None
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user {username}") from None
