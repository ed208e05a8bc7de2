"""The glossary of a partnership's reports, and the abbreviations its narratives leave undefined.

Every report defines the standard terms below; a partnership adds its own (`GlossaryTerm`: its
fire service's initials, MARAC, county lines). A readiness check lists each abbreviation a
narrative uses that neither defines nor the short list of those every reader knows (UK, NHS):
listed for the analyst, never blocking, as GOV.UK asks for an abbreviation to be explained.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assessments.core.models import GlossaryTerm

# The terms any strategic assessment uses without explaining them, as a reader outside
# community safety needs.
STANDARD_TERMS = (
    ("ASB", "Anti-social behaviour: conduct that has caused, or is likely to cause, harassment, "
     "alarm or distress to any person (Anti-social Behaviour, Crime and Policing Act 2014)."),
    ("Baseline year", "The first year for which a figure is reported; later years are compared "
     "with it. A baseline has no change to report."),
    ("CSEW", "Crime Survey for England and Wales: a national survey of people's experience of "
     "crime, including crime not reported to the police."),
    ("CSP", "Community Safety Partnership: the statutory partners of an area working together "
     "under the Crime and Disorder Act 1998."),
    ("Estate", "A neighbourhood or ward of the area, made of whole LSOAs by the analyst's "
     "best-fit lookup."),
    ("LSOA", "Lower layer Super Output Area: a small statistical area of about 1,500 residents "
     "(Office for National Statistics)."),
    ("Not comparable", "A change is not given between two periods when either lacks months of "
     "figures: the difference would be the missing months, not a change in crime."),
    ("ONS", "Office for National Statistics: publishes the population estimates behind every "
     "rate per 1,000 residents."),
    ("Per 1,000 residents", "A count divided by the resident population and multiplied by 1,000, "
     "so that places of different sizes can be compared."),
    ("Percentage points", "The difference between two percentages: from 40% to 45% is 5 points, "
     "a relative increase of 12.5%."),
    ("Recorded crime", "Crime recorded by the police under the Home Office Counting Rules; it "
     "changes with reporting and recording practice as well as with offending."),
    ("Small-number suppression", "Counts from 1 to 4 are shown as “fewer than 5”, and others "
     "withheld where a total would reveal them, so that no one can be identified."),
)  # fmt: skip

# Abbreviations every reader knows (GOV.UK's style guide expands none of these).
NEEDS_NO_EXPANSION = frozenset(
    {"UK", "EU", "NHS", "GP", "GPs", "CCTV", "BBC", "TV", "ID", "PDF", "CSV", "DNA", "MP", "OK"}
)
# Two or more capitals (digits allowed after the first), a lower-case plural "s" allowed.
ABBREVIATION = re.compile(r"\b([A-Z][A-Z0-9]*[A-Z])s?\b")


def glossary_terms(partnership_id: int) -> list[tuple[str, str]]:
    """The report's glossary: the standard terms and the partnership's own, alphabetically; a
    partnership's definition of a standard term replaces it."""
    terms = dict(STANDARD_TERMS)
    own = GlossaryTerm.objects.filter(partnership_id=partnership_id).order_by("term")
    terms |= dict(own.values_list("term", "definition"))
    return sorted(terms.items(), key=lambda item: item[0].casefold())


def abbreviations_in(text: str) -> set[str]:
    return set(ABBREVIATION.findall(text))


def undefined_abbreviations(texts: Iterable[str], terms: Iterable[str]) -> list[str]:
    """The abbreviations the texts use that the glossary's terms and the known ones do not
    cover, alphabetically."""
    defined = {term.strip() for term in terms} | NEEDS_NO_EXPANSION
    used = set().union(*(abbreviations_in(text) for text in texts))
    return sorted(used - defined)
