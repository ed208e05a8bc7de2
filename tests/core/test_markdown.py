from assessments.core.markdown import render_markdown


def test_every_paragraph_gets_a_stable_anchor_from_its_text():
    before = render_markdown("Violence rose.\n\nRobbery fell.")
    after = render_markdown("A new opening paragraph.\n\nViolence rose.\n\nRobbery fell.")
    assert dict(before.paragraphs).keys() <= dict(after.paragraphs).keys()
    anchor = before.paragraphs[0][0]
    assert f'id="{anchor}"' in after.html


def test_repeated_paragraphs_get_distinct_anchors():
    rendered = render_markdown("Same text.\n\nSame text.")
    anchors = [a for a, _ in rendered.paragraphs]
    assert len(set(anchors)) == 2


def test_untrusted_html_is_removed():
    rendered = render_markdown(
        '<script>alert(1)</script>\n\n<img src="file:///etc/passwd">\n\n'
        '[click](javascript:alert(1)) and <a href="file:///etc/passwd" rel="attachment">x</a>'
        '\n\n<p onclick="x()">hi</p>'
    )
    html = str(rendered.html)
    for forbidden in ("<script", "<img", "javascript:", "file://", "onclick", "attachment"):
        assert forbidden not in html


def test_tables_footnotes_and_headings_are_supported():
    html = str(
        render_markdown(
            "# Big\n\n| Area | Count |\n|---|---|\n| MK | 4 |\n\nNote[^1]\n\n[^1]: Source."
        ).html
    )
    assert "<h2>Big</h2>" in html  # the page title is the only h1
    assert "<table>" in html and "<td>MK</td>" in html
    assert 'class="footnote"' in html


def test_paragraph_text_excludes_markup_and_placeholders():
    rendered = render_markdown("Some **bold** text<br> here.")
    assert rendered.paragraphs[0][1] == "Some bold text here."


# The site's own HTML, placed by the renderer ---------------------------------------------------

FIGURE = (
    '<figure class="app-workspace-figure" id="figure-1">'
    '<img src="data:image/png;base64,AAAA" alt="A map"></figure>'
)


def test_a_figure_replaces_its_reference_paragraph_as_markdown_renders():
    rendered = render_markdown(
        "Before.\n\n[[figure:1]]\n\nSee [[figure:1]] above.\n\n[[figure:2]]", figures={1: FIGURE}
    )
    html = str(rendered.html)
    before, after = rendered.paragraphs[0][0], rendered.paragraphs[2][0]
    # The site's HTML is kept whole (the sanitiser would drop <img>, data: and the class).
    assert f'<p id="{before}">Before.</p>\n{FIGURE}\n<p id="{after}">See' in html
    assert html.count("<img") == 1  # a reference in running text stays text
    assert "[[figure:2]]</p>" in html  # a figure not uploaded stays a reference
    # The reference paragraph keeps its place in the numbering comments refer to.
    assert [text for _, text in rendered.paragraphs][1] == "[[figure:1]]"


def test_figures_do_not_let_untrusted_images_through():
    html = str(
        render_markdown(
            '[[figure:1]]\n\n<img src="https://example.com/t.png">\n\n![x](https://example.com/t.png)',
            figures={1: FIGURE},
        ).html
    )
    assert html.count("<img") == 1
    assert "example.com" not in html


def test_html_after_a_paragraph_is_placed_by_its_anchor():
    text = "First.\n\n[[figure:1]]\n\n> Quoted."
    anchors = [anchor for anchor, _ in render_markdown(text).paragraphs]
    links = {
        anchor: f'<p class="app-links"><a class="govuk-link" href="?on={anchor}">x</a></p>'
        for anchor in anchors
    }
    html = str(
        render_markdown(
            text, figures={1: FIGURE}, after_paragraph=lambda anchor, _: links.get(anchor)
        ).html
    )
    assert f'<p id="{anchors[0]}">First.</p>{links[anchors[0]]}' in html
    assert f'<p id="{anchors[2]}">Quoted.</p>{links[anchors[2]]}' in html  # nested too
    assert links[anchors[1]] not in html  # a placed figure is no paragraph to comment on


def test_no_style_attribute_survives_not_even_on_table_cells():
    """A fixed box laid over the page (the DRAFT or restricted marking of a PDF included)."""
    box = "position: fixed; top: 0; left: 0; width: 100%; height: 100%; background: white"
    html = str(
        render_markdown(
            f'<table><tr><th style="{box}">Area</th><td style="{box}">Nothing to see</td></tr>'
            "</table>\n\n| Area | Count |\n|:--|--:|\n| MK | 4 |"
        ).html
    )
    assert "style" not in html and "position" not in html
    assert "Nothing to see" in html
    # Column alignment stays, as an attribute that can only say left, right or centre.
    assert '<td align="right">4</td>' in html


def test_alignment_takes_only_its_own_values():
    html = str(render_markdown('<table><tr><td align="javascript:x()">a</td></tr></table>').html)
    assert "align" not in html
