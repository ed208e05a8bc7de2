"""The scoring form (one theme's score and comment per criterion) and the analyst's override."""

from __future__ import annotations

from django import forms

from assessments.core.models import Chapter
from assessments.priorities.models import LEVELS, Criterion, OrganisationScore
from assessments.priorities.services.scores import Given

NOT_SCORED = ("", "Not scored")


def score_choices(criterion: Criterion) -> list[tuple]:
    return [NOT_SCORED, *((level, f"{level}: {text}") for level, text in criterion.levels)]


class ScoringForm(forms.Form):
    """One theme's scores: a radio group and a comment box per criterion; a blank answer is
    allowed (not every organisation can judge every criterion of every theme)."""

    def __init__(
        self,
        *args,
        chapter: Chapter,
        criteria: list[Criterion],
        existing: dict[tuple[int, int], OrganisationScore],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.chapter = chapter
        self.criteria = criteria
        for criterion in criteria:
            given = existing.get((chapter.pk, criterion.pk))
            suffix = self._suffix(criterion)
            score = given.score if given else ""
            comment = given.comment if given else ""
            self.fields[f"score-{suffix}"] = _score_field(
                score_choices(criterion), forms.RadioSelect, score, label=criterion.name
            )
            self.fields[f"comment-{suffix}"] = _comment_field(
                forms.Textarea, comment,
                label=f"Comment on {criterion.name.lower()} (optional)",
            )  # fmt: skip
            # What the page showed, sent back with the answer: only what the person changed is
            # saved (a colleague may have scored since the page was opened).
            shown_choices = [("", ""), *((n, n) for n in range(1, 5))]
            self.fields[f"shown-score-{suffix}"] = _score_field(
                shown_choices, forms.HiddenInput, score
            )
            self.fields[f"shown-comment-{suffix}"] = _comment_field(forms.HiddenInput, comment)

    def _suffix(self, criterion: Criterion) -> str:
        return f"{self.chapter.pk}-{criterion.pk}"

    def by_criterion(self) -> list[tuple]:
        """(criterion, score field, comment field) for the template (the hidden fields are the
        form's `hidden_fields()`)."""
        return [
            (c, self[f"score-{self._suffix(c)}"], self[f"comment-{self._suffix(c)}"])
            for c in self.criteria
        ]

    def given(self) -> list[Given]:
        data = self.cleaned_data
        return [
            Given(
                self.chapter.pk,
                criterion.pk,
                data[f"score-{suffix}"],
                data[f"comment-{suffix}"],
                shown_score=data[f"shown-score-{suffix}"],
                shown_comment=data[f"shown-comment-{suffix}"],
            )
            for criterion in self.criteria
            for suffix in [self._suffix(criterion)]
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
        self.fields["chapter"].queryset = assessment.chapters.themes().order_by("order")
        self.fields["chapter"].label_from_instance = lambda chapter: chapter.title
        self.fields["criterion"].queryset = assessment.priority_criteria.all()


def _score_field(choices, widget, initial, label=None) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=widget,
        initial=initial,
    )


def _comment_field(widget, initial, label=None) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=2000, widget=widget, initial=initial
    )
