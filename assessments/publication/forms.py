"""The board's decision, as the admin and the board meeting page take it: the themes agreed are
chosen from the priority matrix's ranking, and choosing otherwise than its top needs the
board's reason (issue 20)."""

from __future__ import annotations

from django import forms

from assessments.core.models import Assessment, Recommendation, Theme
from assessments.priorities.selectors import departs_from_ranking, priority_matrix
from assessments.publication.models import BoardDecision, RecommendationOutcome

DEPARTURE_MISSING = "These are not the top of the ranking: say why the board chose them."


def _check_themes(form: forms.ModelForm, assessment: Assessment | None) -> None:
    """Themes of the assessment's partnership only, and a reason where they depart from the
    ranking's top."""
    themes = form.cleaned_data.get("agreed_themes")
    if assessment is None or not themes:
        return
    # Someone who administers several partnerships is offered all their themes.
    foreign = [t.name for t in themes if t.partnership_id != assessment.partnership_id]
    if foreign:
        form.add_error(
            "agreed_themes", f"Not themes of {assessment.partnership.name}: {', '.join(foreign)}."
        )
        return
    if departs_from_ranking(assessment, {theme.pk for theme in themes}) and not (
        form.cleaned_data.get("ranking_departure", "").strip()
    ):
        form.add_error("ranking_departure", DEPARTURE_MISSING)


# What the board decided, in both forms.
DECISION_FIELDS = [
    "met_on",
    "minutes_reference",
    "agreed_themes",
    "ranking_departure",
    "priorities",
    "notes",
]


class BoardDecisionForm(forms.ModelForm):
    """The admin's form: the assessment is chosen in it."""

    class Meta:
        model = BoardDecision
        fields = ["assessment", *DECISION_FIELDS]
        widgets = {"agreed_themes": forms.CheckboxSelectMultiple}

    def clean(self):
        cleaned = super().clean()
        _check_themes(self, cleaned.get("assessment"))
        return cleaned


NOT_DECIDED = ""
OUTCOME_CHOICES = [(NOT_DECIDED, "Not decided"), *RecommendationOutcome.Outcome.choices]


class BoardMeetingForm(forms.ModelForm):
    """The chair's form on the board meeting page: the meeting, the themes agreed from the
    ranking (each labelled with its rank) and a decision on each recommendation."""

    class Meta:
        model = BoardDecision
        fields = DECISION_FIELDS
        labels = {"notes": "Other decisions and notes"}
        widgets = {"met_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, assessment: Assessment, **kwargs):
        kwargs.setdefault("instance", BoardDecision(assessment=assessment))
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.fields["met_on"].help_text = "For example, 12 October 2017 is 2017-10-12"
        rows = priority_matrix(assessment).rows
        ranked = {row.chapter.theme_id: row for row in rows if row.chapter.theme_id}
        themes = self.fields["agreed_themes"]
        themes.queryset = Theme.objects.filter(pk__in=ranked)
        themes.help_text = "In the order of the priority matrix's ranking."
        themes.choices = [
            (pk, _ranked_label(ranked[pk])) for pk in ranked
        ]  # the ranking's order, not the names'
        self.recommendations = list(
            Recommendation.objects.filter(chapter__assessment=assessment)
            .select_related("chapter")
            .order_by("chapter__order", "order", "pk")
        )
        decided = {}
        if self.instance.pk:
            decided = dict(self.instance.outcomes.values_list("recommendation_id", "outcome"))
        for recommendation in self.recommendations:
            self.fields[_outcome_field(recommendation)] = forms.ChoiceField(
                label=recommendation.text,
                help_text=recommendation.chapter.title,
                choices=OUTCOME_CHOICES,
                required=False,
                initial=decided.get(recommendation.pk, NOT_DECIDED),
            )

    def outcome_fields(self) -> list[forms.BoundField]:
        return [self[_outcome_field(r)] for r in self.recommendations]

    def outcomes(self) -> dict[int, str]:
        """The decision on each recommendation, by its id ("" for not decided)."""
        return {r.pk: self.cleaned_data[_outcome_field(r)] for r in self.recommendations}

    def clean(self):
        cleaned = super().clean()
        _check_themes(self, self.assessment)
        return cleaned


def _outcome_field(recommendation: Recommendation) -> str:
    return f"outcome_{recommendation.pk}"


def _ranked_label(row) -> str:
    score = "not scored" if row.combined is None else f"score {row.combined}"
    return f"{row.rank or '–'}. {row.theme} ({score})"
