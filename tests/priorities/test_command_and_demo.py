"""`priorities SLUG YEAR [--json]` on the demo: every theme ranked, the reference report's
priorities near the top, each criterion's score with where it came from."""

import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def ranking(*args, **options) -> str:
    out = io.StringIO()
    call_command("priorities", *args, stdout=out, **options)
    return out.getvalue()


def test_the_demo_ranks_its_nine_themes_with_the_reference_priorities_near_the_top(demo):
    rows = json.loads(ranking("safermk", "2017", json=True))
    # "Fire Service data" is a chapter about a source, not a problem to rank.
    assert len(rows) == 9 and "Fire Service data" not in [row["theme"] for row in rows]
    scores = [row["combined_score"] for row in rows]
    assert scores == sorted(scores, reverse=True) and None not in scores
    top_four = [row["theme"] for row in rows[:4]]
    # Violent incidents; substance misuse; community engagement to reduce the fear of crime.
    assert {"Violence", "Drugs and Alcohol", "Crime"} <= set(top_four)
    assert all(row["organisations_scored"] == 4 for row in rows)


def test_each_criterion_says_where_its_score_came_from(demo):
    rows = {row["theme"]: row for row in json.loads(ranking("safermk", "2017", json=True))}
    sources = {c["name"]: c["source"] for c in rows["Violence"]["criteria"]}
    assert sources == {
        "Volume": "data",
        "Trend": "data",
        "Harm to victims": "partners",
        "Community concern": "partners",
        "Partnership capacity": "partners",
    }
    # Domestic abuse is a baseline year: no trend from the data, so the analyst's override.
    trend = next(c for c in rows["Domestic Abuse"]["criteria"] if c["name"] == "Trend")
    assert (trend["score"], trend["source"]) == (3.0, "override")


def test_the_plain_ranking_and_an_unknown_assessment(demo):
    text = ranking("safermk", "2017")
    assert text.splitlines()[0].startswith("1. Violence: ")
    with pytest.raises(Exception, match="No assessment 2030"):
        ranking("safermk", "2030")


def test_the_demos_reoffending_volume_is_not_proposed_from_its_rate(demo):
    """Reoffending's only figure is the juvenile proven reoffending rate (33.3%): the volume
    criterion's count bands say nothing of it, so the data proposes no volume."""
    from assessments.priorities.selectors import priority_matrix

    matrix = priority_matrix(demo)
    row = next(row for row in matrix.rows if row.theme == "Reoffending")
    volume = next(cell for cell in row.cells if cell.criterion.name == "Volume")
    assert volume.proposal.score is None and "33.3" not in volume.proposal.figure
    assert "volume is proposed from counts only" in volume.proposal.figure
    rows = {row["theme"]: row for row in json.loads(ranking("safermk", "2017", json=True))}
    criteria = {c["name"]: c for c in rows["Reoffending"]["criteria"]}
    assert criteria["Volume"]["source"] != "data"
