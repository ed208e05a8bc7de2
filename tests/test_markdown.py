from assessments.markdown import render_markdown


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
