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


def test_nothing_of_one_text_carries_into_the_next():
    """One converter is reused per thread: footnotes, abbreviations and link references of a
    text must not reach the text rendered after it."""
    first = render_markdown("HTML here[^1] and [a link][ref].\n\n[^1]: A note.\n\n"
                            "*[HTML]: Hyper Text\n\n[ref]: https://example.org/")  # fmt: skip
    assert "A note." in first and "<abbr" in first and 'href="https://example.org/"' in first
    second = render_markdown("HTML again[^1], [a link][ref].")
    assert "A note." not in second and "<abbr" not in second and "example.org" not in second
