"""The demo partnership's 2017 Strategic Assessment: fictional people, prose and figures chosen so
that the headline figures of the real 2017 SaferMK cover report come out of the data.

Figures are annual totals; demo/seasons.py spreads counts over months so roll-ups have work to do.
Narratives are Markdown files in narratives/, as an analyst would write them.
"""

from pathlib import Path

NARRATIVES = Path(__file__).parent / "narratives"


def narrative(name: str) -> str:
    return (NARRATIVES / f"{name}.md").read_text(encoding="utf-8")


PARTNERSHIP = {"slug": "safermk", "name": "SaferMK Partnership", "area_name": "Milton Keynes"}
AREA = {"code": "E06000042", "name": "Milton Keynes", "population": 264_500}

ESTATES = [
    ("MK-EST-BLE", "Bletchley", 38_200),
    ("MK-EST-WOL", "Wolverton", 14_900),
    ("MK-EST-NET", "Netherfield", 5_300),
    ("MK-EST-FIS", "Fishermead", 4_800),
    ("MK-EST-CON", "Conniburrow", 3_100),
    ("MK-EST-CMK", "Central Milton Keynes", 7_400),
    ("MK-EST-NEW", "Newport Pagnell", 15_400),
    ("MK-EST-STR", "Stony Stratford", 11_700),
]

ORGANISATIONS = [
    # (name, short name, kind)
    ("Thames Valley Police", "TVP", "police"),
    ("Milton Keynes Council", "MK Council", "council"),
    ("Buckinghamshire Fire and Rescue Service", "BFRS", "fire"),
    ("Probation Service (Milton Keynes)", "Probation", "probation"),
    ("NHS Milton Keynes Clinical Commissioning Group", "NHS MK", "health"),
    ("Milton Keynes Youth Offending Team", "YOT", "youth_justice"),
    ("MK Community Safety Voluntary Network", "MKCSVN", "third_sector"),
]

USERS = [
    # (username, first, last, organisation short name, role, job title, staff)
    ("analyst", "Alex", "Morgan", "MK Council", "analyst",
     "Senior Community Safety Research Analyst", True),
    ("chair", "Jordan", "Ellis", "MK Council", "chair", "Chair, SaferMK Partnership", False),
    ("police", "Sam", "Okafor", "TVP", "partner", "Inspector, Neighbourhood Policing", False),
    ("fire", "Chris", "Walker", "BFRS", "partner", "Station Manager, Prevention", False),
]  # fmt: skip

ASSESSMENT = {
    "year": 2017,
    "title": "Strategic Assessment 2017",
    "author_name": "Alex Morgan",
    "author_role": "Senior Community Safety Research Analyst",
    "author_telephone": "01632 960418",
    "background": (
        "Following discussions at the SaferMK Partnership meeting in April 2017, partners agreed "
        "to support the production of the annual Strategic Assessment.\n\n"
        "SaferMK is responsible for reducing crime, disorder and the fear of crime. The production "
        "of an annual Strategic Assessment is a statutory obligation for all Community Safety "
        "Partnerships, under the Crime and Disorder Act 1998. The purpose of the document is to "
        "analyse the trends and patterns emerging from partnership data during the previous year, "
        "and to consider the challenges facing the wider Partnership in the coming months and "
        "years.\n\n"
        "The Strategic Assessment is also conceived to directly inform the SaferMK Strategy in "
        "identifying potential strategic priorities.\n\n"
        "Production of the report involved liaison with statutory and non-statutory partners, as "
        "well as third-sector organisations. Data was also drawn from national sources – most "
        "prominently the Office for National Statistics, Home Office and Crime Survey for England "
        "and Wales – in order to contextualise local patterns within wider national trends. "
        "Following this liaison period, Partners were consulted for their feedback. Wherever "
        "possible, the most recently available data was used."
    ),
    # The report's own opening, drawn from section 4 of the 2017 cover paper.
    "introduction": (
        "SaferMK is responsible for reducing crime, disorder and the fear of crime in Milton "
        "Keynes. Every Community Safety Partnership must produce an annual Strategic Assessment "
        "under the Crime and Disorder Act 1998; this is SaferMK's for 2017.\n\n"
        "The assessment analyses the trends and patterns in partnership data for the previous "
        "year and considers the challenges facing the Partnership in the coming months and "
        "years. It is written to inform the SaferMK Strategy directly, by identifying potential "
        "strategic priorities.\n\n"
        "It considers ten themes: crime, violence, reoffending, hate crime, domestic abuse, drugs "
        "and alcohol, fire service data, modern slavery, female genital mutilation (FGM) and "
        "cyber crime. Each chapter closes with recommendations: provisional suggestions meant to "
        "start the Partnership's discussion of its priorities, not decisions.\n\n"
        "Three restricted appendices, by crime category, by estate and of hotspots by "
        "neighbourhood, go only to the partners named for them; they are not for public "
        "circulation."
    ),
}

PRIORITIES = [
    ("Reducing the number of violent incidences", True),
    ("Tackling and enforcing substance misuse", True),
    ("Enhance community engagement to reduce fear of crime", True),
]
STATUTORY = [
    ("Anti-Social Behaviour", True, ""),
    ("Reducing Re-offending", True, ""),
    ("Prevent", False, ""),
    ("Police and Crime Commissioner", False, ""),
    (
        "An item under Section 17 of the Crime and Disorder Act 1998 that supports the delivery "
        "of crime reduction and addressing community safety concerns",
        True,
        "Annual Strategic Assessment is a statutory duty",
    ),
]

# The Home Office publishes recorded crime for every area, Milton Keynes', the force's and England
# and Wales' alike: the source names the publisher, and a chart names the places it shows.
HOME_OFFICE = "Home Office police recorded crime"
# The licence of each source that is not police.uk's, the Home Office's or the ONS's (those are
# the Open Government Licence's by default): statistics published on GOV.UK are OGL too, figures
# partners share with the partnership are shared under its information sharing agreement.
SHARED = "Shared under the SaferMK information sharing agreement (not for reuse)"
OGL = "Open Government Licence v3.0"
LICENCES = {
    "Thames Valley Police and Milton Keynes Council": SHARED,
    "Thames Valley Police": SHARED,
    "Youth Justice Board, proven reoffending": OGL,
    "Buckinghamshire Fire and Rescue Service": SHARED,
    "National Referral Mechanism": OGL,
    "NHS Digital FGM enhanced dataset": OGL,
    "Action Fraud": SHARED,
}

# SaferMK's own glossary, beside the standard terms every report defines (core/glossary.py): every
# abbreviation and term of art its narratives, summaries and recommendations use.
GLOSSARY = [
    ("BFRS", "Buckinghamshire Fire and Rescue Service: the fire and rescue authority for Milton "
     "Keynes and a responsible authority of the partnership."),
    ("County lines", "Drug supply by gangs from cities (for Milton Keynes, mostly London) into "
     "other towns through a dedicated phone line, exploiting children and vulnerable adults to "
     "carry and sell the drugs."),
    ("Cuckooing", "Taking over a vulnerable person's home to deal drugs from it, often as part "
     "of county lines."),
    ("FGM", "Female genital mutilation: any procedure that intentionally alters or injures the "
     "female genital organs for non-medical reasons; a crime in the UK."),
    ("MARAC", "Multi-Agency Risk Assessment Conference: a meeting of police, probation, health, "
     "housing and other agencies about the victims of domestic abuse at highest risk."),
    ("PCC", "Police and Crime Commissioner: the elected commissioner for Thames Valley, who sets "
     "the force's priorities and funds community safety work."),
    ("Prevent", "The duty on public bodies to help stop people being drawn into terrorism "
     "(Counter-Terrorism and Security Act 2015)."),
    ("TVP", "Thames Valley Police: the police force for Milton Keynes, Buckinghamshire, "
     "Berkshire and Oxfordshire."),
    ("YOT", "Youth Offending Team: the council-led team of police, probation, health and "
     "children's services working with young people who offend."),
]  # fmt: skip

# code: (name, unit, source, measure, increase_is_bad, period kind, {period start year: value})
# Rates give (numerator, denominator) per period.
INDICATORS = {
    "all-crime": ("All Crime", "offences", HOME_OFFICE, "count", True, "fy",
                  {2015: 21450, 2016: 22480}),
    "violence-against-the-person": ("Violence against the Person", "offences", HOME_OFFICE,
                                    "count", True, "fy", {2015: 6120, 2016: 6905}),
    "sexual-offences": ("Sexual Offences", "offences", HOME_OFFICE, "count", True, "fy",
                        {2015: 402, 2016: 486}),
    "robbery": ("Robbery", "offences", HOME_OFFICE, "count", True, "fy", {2015: 318, 2016: 287}),
    "anti-social-behaviour": ("Anti-social behaviour incidents", "incidents",
                              "Thames Valley Police and Milton Keynes Council", "count", True,
                              "fy", {2015: 9850, 2016: 9412}),
    "hate-crime": ("Hate Crime", "offences", HOME_OFFICE, "count", True, "fy",
                   {2015: 411, 2016: 390}),
    "domestic-abuse": ("Domestic abuse incidents and crimes", "incidents", "Thames Valley Police",
                       "count", True, "fy", {2016: 5870}),
    "drug-offences": ("Drug Offences", "offences", HOME_OFFICE, "count", True, "fy",
                      {2015: 1032, 2016: 962}),
    "cannabis-possession": ("Possession of Cannabis", "offences", HOME_OFFICE, "count", True,
                            "fy", {2015: 548, 2016: 510}),
    "juvenile-reoffending-rate": ("Juvenile proven reoffending rate", "%",
                                  "Youth Justice Board, proven reoffending", "rate", True, "fy",
                                  {2015: (130, 380), 2016: (120, 360)}),
    "fire-incidents": ("Incidents attended by BFRS", "incidents",
                       "Buckinghamshire Fire and Rescue Service", "count", True, "cy",
                       {2015: 4120, 2016: 4408}),
    "modern-slavery-referrals": ("Modern slavery referrals", "referrals",
                                 "National Referral Mechanism", "count", False, "fy",
                                 {2015: 14, 2016: 23}),
    "fgm-cases": ("New FGM cases recorded by health services", "cases",
                  "NHS Digital FGM enhanced dataset", "count", False, "fy", {2015: 38, 2016: 41}),
    "cyber-fraud-reports": ("Fraud and cyber crime reports", "reports", "Action Fraud", "count",
                            True, "fy", {2015: 1180, 2016: 1342}),
}  # fmt: skip

RECORDING_CAVEAT = (
    "Thought to relate in part to better recording practices and an increased willingness on the "
    "part of victims to report."
)

# Each chapter: theme, lead organisation, summary, narrative, selections, recommendations.
# A selection is (indicator code, comparison?, share of, caveat).
CHAPTERS = [
    {
        "slug": "crime",
        "title": "Crime",
        "lead": "TVP",
        "summary": "All Crime rose by 4.8% in 2016/17, in line with the national picture.",
        "narrative": narrative("chapter-crime"),
        "selections": [
            ("all-crime", True, None, ""),
            ("robbery", True, None, ""),
            ("anti-social-behaviour", True, None, ""),
        ],
        "recommendations": [
            "Continue to monitor the effect of improved recording on headline crime figures, "
            "and report victim-based crime separately to the board each quarter.",
            "Target vehicle crime prevention at the large car parks in Central Milton Keynes, "
            "working with car park operators.",
        ],
    },
    {
        "slug": "violence",
        "title": "Violence",
        "lead": "TVP",
        "summary": "Sexual Offences and Violence against the Person increased, in part through "
        "better recording.",
        "narrative": narrative("chapter-violence"),
        "selections": [
            ("violence-against-the-person", True, None, RECORDING_CAVEAT),
            ("sexual-offences", True, None, RECORDING_CAVEAT),
        ],
        "recommendations": [
            "Adopt reducing violent incidents as a partnership priority, with a focus on the "
            "night-time economy.",
            "Extend the licensed premises partnership scheme to the new leisure developments.",
            "Commission support for victims of sexual violence in line with the rise in reports.",
        ],
    },
    {
        "slug": "reoffending",
        "title": "Reoffending",
        "lead": "YOT",
        "summary": "The juvenile reoffending rate fell by 0.9 percentage points and remains one of "
        "the best in the country.",
        "narrative": narrative("chapter-reoffending"),
        "selections": [("juvenile-reoffending-rate", True, None, "")],
        "recommendations": [
            "Maintain the Youth Offending Team's prevention work with schools.",
            "Ask the Probation Service to report local adult reoffending figures to the board "
            "twice a year.",
        ],
    },
    {
        "slug": "hate-crime",
        "title": "Hate Crime",
        "lead": "TVP",
        "summary": "Hate Crime fell by 5.1%.",
        "narrative": narrative("chapter-hate-crime"),
        "selections": [("hate-crime", True, None, "")],
        "recommendations": [
            "Relaunch the third-party reporting centres with community groups.",
        ],
    },
    {
        "slug": "domestic-abuse",
        "title": "Domestic Abuse",
        "lead": "MK Council",
        "summary": "Because domestic abuse recording practice changed, 2017 is a baseline year.",
        "narrative": narrative("chapter-domestic-abuse"),
        "selections": [("domestic-abuse", False, None, "")],
        "recommendations": [
            "Use 2016/17 as the baseline for domestic abuse and report the change next year.",
            "Review the capacity of the independent domestic violence advisers service.",
        ],
    },
    {
        "slug": "drugs-and-alcohol",
        "title": "Drugs and Alcohol",
        "lead": "NHS MK",
        "summary": "Drug Offences fell by 6.8%; possession of cannabis was 53% of them.",
        "narrative": narrative("chapter-drugs-and-alcohol"),
        "selections": [
            ("drug-offences", True, None, ""),
            ("cannabis-possession", True, "drug-offences", ""),
        ],
        "recommendations": [
            "Adopt tackling and enforcing substance misuse as a partnership priority, including "
            "the response to county lines.",
            "Agree a joint protocol for cuckooing cases between police, housing and adult social "
            "care.",
        ],
    },
    {
        "slug": "fire-service-data",
        "title": "Fire Service data",
        "kind": "context",  # a source, not a problem to rank
        "lead": "BFRS",
        "summary": "Compared with 2015, BFRS attended 7% more incidents during 2016.",
        "narrative": narrative("chapter-fire-service-data"),
        "selections": [("fire-incidents", True, None, "")],
        "recommendations": [
            "Share deliberate fire hotspots with the anti-social behaviour team monthly.",
            "Extend referrals for home fire safety visits from adult social care.",
        ],
    },
    {
        "slug": "modern-slavery",
        "title": "Modern Slavery",
        "lead": "TVP",
        "summary": "Referrals rose from a low base as awareness grew.",
        "narrative": narrative("chapter-modern-slavery"),
        "selections": [("modern-slavery-referrals", True, None, "")],
        "recommendations": [
            "Provide modern slavery awareness training to licensing and housing officers.",
        ],
    },
    {
        "slug": "fgm",
        "title": "FGM",
        "lead": "NHS MK",
        "summary": "Health services recorded 41 new cases of female genital mutilation.",
        "narrative": narrative("chapter-fgm"),
        "selections": [("fgm-cases", True, None, "")],
        "recommendations": [
            "Continue FGM awareness sessions for school designated safeguarding leads.",
        ],
    },
    {
        "slug": "cyber-crime",
        "title": "Cyber Crime",
        "lead": "TVP",
        "summary": "Fraud and cyber crime reports to Action Fraud rose by 13.7%.",
        "narrative": narrative("chapter-cyber-crime"),
        "selections": [("cyber-fraud-reports", True, None, "")],
        "recommendations": [
            "Work with Trading Standards on a campaign against fraud targeting older residents.",
            "Offer cyber security advice sessions to small businesses with the local chamber of "
            "commerce.",
        ],
    },
]

# The cover paper's headlines, in the reference report's order; each names the selection it
# rests on (chapter slug, indicator code), or none for a statement without one figure.
HEADLINES = [
    ("crime", "all-crime", "An increase in All Crime of 4.8%"),
    (
        "violence",
        "violence-against-the-person",
        "Categories of Sexual Offences and Violence against the Person have seen increases, "
        "though both are thought to relate in part to better recording practices and an "
        "increased willingness on the part of victims to report",
    ),
    ("crime", "robbery", "Reductions are apparent in Robbery and Drug Offences."),
    (
        "reoffending",
        "juvenile-reoffending-rate",
        "The juvenile reoffending rate decreased by 0.9 percentage points and remains one of the "
        "best in the country.",
    ),
    ("hate-crime", "hate-crime", "Hate Crime reduced by 5.1%."),
    (
        "domestic-abuse",
        "domestic-abuse",
        "Due to changes in Domestic Abuse recording practices, 2017 is considered a baselining "
        "year.",
    ),
    (
        "drugs-and-alcohol",
        "drug-offences",
        "Drug Offences fell by 6.8%, with Possession of Cannabis accounting for 53% of offences.",
    ),
    ("fire-service-data", "fire-incidents", "Compared with 2015, BFRS attended 7% more incidents "
     "during 2016."),
]  # fmt: skip

APPENDICES = [
    {
        "slug": "crime-category",
        "title": "Appendix A: Crime by category",
        "kind": "crime_category",
        "grants": ["TVP", "MK Council"],
        "summary": "Recorded crime in Milton Keynes by Home Office offence category.",
        "narrative": narrative("appendix-crime-category"),
    },
    {
        "slug": "estate",
        "title": "Appendix B: Crime by estate",
        "kind": "estate",
        "grants": ["TVP"],
        "summary": "Crime and anti-social behaviour in Milton Keynes' estates.",
        "narrative": narrative("appendix-estate"),
    },
    {
        # Drawn from the chapters' hotspot maps (ChapterMap): one section per chapter with one.
        "slug": "hotspots",
        "title": "Appendix C: Hotspots by neighbourhood",
        "kind": "hotspots",
        "grants": ["TVP"],
        "summary": "Where crime concentrates: each mapped chapter's neighbourhoods (LSOAs) with "
        "every count, its crimes on a grid of 250-metre squares, and its hotspots.",
        "narrative": (
            "This appendix gives partners the detail behind each chapter's hotspot map. The "
            "chapters' maps are public, so counts under five are hidden there; here every count "
            "is shown, and each crime's police.uk location is placed on a grid of 250-metre "
            "squares, finer than a neighbourhood.\n\n"
            "A hotspot is a neighbourhood (LSOA) in the top 10% of the area's for the months "
            "mapped. Persistent hotspots were in the top 10% in the months before as well, "
            "emerging ones only now, declining ones only before. police.uk places each crime at "
            "the nearest of a fixed set of map points, never the address, so a square shows "
            "where crime was recorded near, not where it happened."
        ),
    },
]
