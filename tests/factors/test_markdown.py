from factors.text import render_markdown


def test_markdown_renders_and_strips_script():
    html = render_markdown("**bold** <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html


def test_links_get_rel_nofollow_ugc_noopener():
    html = render_markdown("[site](https://example.org)")
    assert 'rel="nofollow ugc noopener"' in html
