"""One document prints every narrative: the ids their text makes (paragraph anchors, footnotes,
an analyst's own) must neither repeat nor take the document's own, or a footnote link in one
chapter lands in another and a contents entry on someone's paragraph."""

import re
from collections import Counter

from assessments.reporting.documents import report_html

SHARED_TEXT = (
    "Partners agreed the figures.[^1]\n\n"
    '<p id="glossary">A paragraph of the analyst\'s own.</p>\n\n'
    "[^1]: Source: the partnership's analyst."
)


def test_narratives_printed_together_keep_their_ids_and_links_to_themselves(demo):
    chapters = list(demo.chapters.order_by("order")[:2])
    for chapter in chapters:
        chapter.narrative = SHARED_TEXT
        chapter.save()

    html = report_html(assessment=demo, variant="public", appendices=[])

    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [name for name, count in ids.items() if count > 1] == []
    # The contents' "Glossary" goes to the glossary, not to the analyst's paragraph.
    assert re.search(r'<section class="back-matter" id="glossary">', html)
    for chapter in chapters:
        scope = f"chapter-{chapter.slug}-text-"
        footnote_links = re.findall(rf'href="#({scope}fn:1)"', html)
        assert footnote_links, f"{chapter.slug}'s footnote link points to its own footnote"
        assert f'id="{scope}fn:1"' in html
