"""The scoring form (one score and comment per theme and criterion) and the analyst's override."""

from __future__ import annotations

from django import forms

from assessments.core.models import Chapter
from assessments.priorities.models import LEVELS, Criterion, OrganisationScore
from assessments.priorities.services.scores import Given

NOT_SCORED = ("", "Not scored")


def score_choices(criterion: Criterion) -> list[tuple]:
    return [NOT_SCORED, *((level, f"{level}: {text}") for level, text in criterion.levels)]


class ScoringForm(forms.Form):
    """One radio group and one comment box per theme and criterion; a blank answer is allowed
    (not every organisation can judge every theme)."""

    def __init__(
        self,
        *args,
        chapters: list[Chapter],
        criteria: list[Criterion],
        existing: dict[tuple[int, int], OrganisationScore],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.keys = [(chapter, criterion) for chapter in chapters for criterion in criteria]
        for chapter, criterion in self.keys:
            given = existing.get((chapter.pk, criterion.pk))
            suffix = f"{chapter.pk}-{criterion.pk}"
            self.fields[f"score-{suffix}"] = forms.TypedChoiceField(
                label=f"{chapter.title}: {criterion.name}. {criterion.question}",
                choices=score_choices(criterion),
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                initial=given.score if given else "",
            )
            self.fields[f"comment-{suffix}"] = forms.CharField(
                label=f"Comment on {criterion.name.lower()} for {chapter.title} (optional)",
                required=False,
                max_length=2000,
                widget=forms.Textarea,
                initial=given.comment if given else "",
            )

    def themes(self) -> list[tuple[Chapter, list[tuple]]]:
        """The form's fields grouped by theme, for the template."""
        grouped: dict[int, tuple[Chapter, list]] = {}
        for chapter, criterion in self.keys:
            suffix = f"{chapter.pk}-{criterion.pk}"
            fields = (criterion, self[f"score-{suffix}"], self[f"comment-{suffix}"])
            grouped.setdefault(chapter.pk, (chapter, []))[1].append(fields)
        return list(grouped.values())

    def given(self) -> list[Given]:
        return [
            Given(
                chapter.pk,
                criterion.pk,
                self.cleaned_data[f"score-{chapter.pk}-{criterion.pk}"],
                self.cleaned_data[f"comment-{chapter.pk}-{criterion.pk}"],
            )
            for chapter, criterion in self.keys
        ]


class OverrideForm(forms.Form):
    """The analyst's score for one theme and criterion, with the reason; no score removes it."""

    chapter = forms.ModelChoiceField(queryset=Chapter.objects.none(), label="Theme")
    criterion = forms.ModelChoiceField(queryset=Criterion.objects.none(), label="Criterion")
    score = forms.TypedChoiceField(
        choices=[("", "No override: use the partners' or the data's score")]
        + [(level, str(level)) for level in LEVELS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    reason = forms.CharField(widget=forms.Textarea, required=False, max_length=2000, label="Why")

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chapter"].queryset = assessment.chapters.order_by("order")
        self.fields["chapter"].label_from_instance = lambda chapter: chapter.title
        self.fields["criterion"].queryset = assessment.priority_criteria.all()
