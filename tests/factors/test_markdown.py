from common.markdown import render_markdown


def test_markdown_renders_and_strips_script():
    html = render_markdown("**bold** <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html


def test_links_get_rel_nofollow_ugc_noopener():
    html = render_markdown("[site](https://example.org)")
    assert 'rel="nofollow ugc noopener"' in html


def test_headings_rank_below_the_pages_own_sections():
    html = render_markdown("# Top\n\n## Section\n\n### Sub\n\n###### Deep")
    assert "<h3>Top</h3>" in html and "<h4>Section</h4>" in html and "<h5>Sub</h5>" in html
    assert "<h6>Deep</h6>" in html
    assert "<h1" not in html and "<h2" not in html
